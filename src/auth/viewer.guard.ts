import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS, viewerHolderOf, type Access } from '../common/access.js';
import { Forbidden, Unauthenticated } from '../common/errors.js';
import type { ViewerHolder as CommonViewerHolder } from '../common/viewer-holder.js';
import { UserEntity, UserRole } from '../users/user.entity.js';
import { AuthService } from './auth.service.js';

// The access decorators live in common/ (users/ needs them and auth/ imports users/).
export { AuthorOnly, SignedIn, Viewer } from '../common/access.js';

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
    holder.viewerLookup ??= this.resolve(holder.authorization);
    const viewer = (holder.viewer = await holder.viewerLookup);
    if (!access) return true;
    if (!viewer) throw new Unauthenticated();
    if (access === 'author' && viewer.role !== UserRole.AUTHOR) {
      throw new Forbidden('Only the author can do this.');
    }
    return true;
  }

  private async resolve(authorization: string | undefined): Promise<UserEntity | null> {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match)
      throw new Unauthenticated('Send the session token as "Authorization: Bearer <token>".');
    return this.auth.userForSession(match[1]!);
  }
}
