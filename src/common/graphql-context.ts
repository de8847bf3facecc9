import type { LoaderHost } from './loaders.js';
import type { ViewerHolder } from './viewer-holder.js';

/**
 * The context of one GraphQL operation. `TViewer` is whatever auth resolves the
 * viewer to (its user entity); code that reads `viewer` names it.
 */
export interface GraphQLContext<TViewer = unknown> extends ViewerHolder<TViewer>, LoaderHost {
  requestId?: string;
  clientIp?: string;
}
