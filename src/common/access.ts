import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { ViewerHolder } from './viewer-holder.js';

/*
 * Who may call a resolver or route, declared where it is defined. The guard
 * that enforces it (auth's ViewerGuard) reads ACCESS; these decorators name no
 * feature, so any feature can use them without importing auth.
 */

export const ACCESS = Symbol('access');
export type Access = 'signed-in' | 'author';

/** The resolver needs a signed-in user. */
export const SignedIn = () => SetMetadata(ACCESS, 'signed-in' satisfies Access);
/** The resolver is for the author only. */
export const AuthorOnly = () => SetMetadata(ACCESS, 'author' satisfies Access);

export const DOWNLOAD_SESSION = Symbol('download-session');
/**
 * A GET download that also takes the desk's session cookie (auth's
 * session-cookie.ts), so a plain `<a href download>` works. Never on a route
 * that changes anything: the guard reads the cookie on GET and HEAD only.
 */
export const DownloadSession = () => SetMetadata(DOWNLOAD_SESSION, true);

/** The signed-in user (as the guard resolved it), or null for anonymous requests. */
export const Viewer = createParamDecorator(
  (_data: unknown, context: ExecutionContext): unknown => viewerHolderOf(context).viewer ?? null,
);

/** The holder of this request's viewer: the GraphQL context, or one kept on the HTTP request. */
export function viewerHolderOf<TViewer>(context: ExecutionContext): ViewerHolder<TViewer> {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<ViewerHolder<TViewer>>();
  }
  const request = context
    .switchToHttp()
    .getRequest<{ headers: Record<string, string>; viewerHolder?: ViewerHolder<TViewer> }>();
  request.viewerHolder ??= { authorization: request.headers.authorization };
  return request.viewerHolder;
}
