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

/** The caller's address as rate limits key it; callers whose transport named none share one key. */
export function rateLimitAddress(context: Pick<GraphQLContext, 'clientIp'>): string {
  return context.clientIp ?? 'unknown';
}
