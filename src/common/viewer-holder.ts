/**
 * What every request carries about who is asking; resolved once per request.
 * Generic so that common/ names no feature: auth fills it with its user.
 */
export interface ViewerHolder<TViewer> {
  authorization?: string;
  viewerLookup?: Promise<TViewer | null>;
  /** Set by ViewerGuard before any resolver of the request runs. */
  viewer?: TViewer | null;
}
