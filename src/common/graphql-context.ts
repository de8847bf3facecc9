import type { ViewerHolder } from '../auth/viewer.guard.js';
import type { LoaderHost } from './loaders.js';

/** The context of one GraphQL operation. */
export interface GraphQLContext extends ViewerHolder, LoaderHost {
  requestId?: string;
  clientIp?: string;
}
