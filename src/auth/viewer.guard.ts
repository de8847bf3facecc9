import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS, DOWNLOAD_SESSION, viewerHolderOf, type Access } from '../common/access.js';
import { Forbidden, Unauthenticated } from '../common/errors.js';
import type { ViewerHolder as CommonViewerHolder } from '../common/viewer-holder.js';
import { UserEntity, UserRole } from '../users/user.entity.js';
import { AuthService } from './auth.service.js';
import { DESK_SESSION_COOKIE, readCookie } from './session-cookie.js';

// The access decorators live in common/ (users/ needs them and auth/ imports users/).
export { AuthorOnly, DownloadSession, SignedIn, Viewer } from '../common/access.js';

/** What every request carries about who is asking: here, the user entity. */
export type ViewerHolder = CommonViewerHolder<UserEntity>;

@Injectable()
export class ViewerGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    // Open HTTP routes (the pages email links open, health) never look at the
    // session: a browser may send an unrelated Authorization header (a staging
    // site behind basic auth), and that must not break them.
    if (!access && context.getType<string>() !== 'graphql') return true;
    const holder = viewerHolderOf<UserEntity>(context);
    holder.viewerLookup ??= this.resolve(holder.authorization ?? this.downloadCookie(context));
    const viewer = (holder.viewer = await holder.viewerLookup);
    if (!access) return true;
    if (!viewer) throw new Unauthenticated();
    if (access === 'author' && viewer.role !== UserRole.AUTHOR) {
      throw new Forbidden('Only the author can do this.');
    }
    return true;
  }

  /** The desk's session cookie, as a Bearer value: on GET downloads marked @DownloadSession() only. */
  private downloadCookie(context: ExecutionContext): string | undefined {
    if (context.getType<string>() !== 'http') return undefined;
    const marked = this.reflector.getAllAndOverride<boolean | undefined>(DOWNLOAD_SESSION, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!marked) return undefined;
    const request = context
      .switchToHttp()
      .getRequest<{ method: string; headers: Record<string, string | undefined> }>();
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    const token = readCookie(request.headers.cookie, DESK_SESSION_COOKIE);
    return token ? `Bearer ${token}` : undefined;
  }

  private async resolve(authorization: string | undefined): Promise<UserEntity | null> {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match)
      throw new Unauthenticated('Send the session token as "Authorization: Bearer <token>".');
    return this.auth.userForSession(match[1]!);
  }
}
