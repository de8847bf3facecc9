import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Forbidden, Unauthenticated } from '../common/errors.js';
import type { ViewerHolder as CommonViewerHolder } from '../common/viewer-holder.js';
import { UserEntity, UserRole } from '../users/user.entity.js';
import { AuthService } from './auth.service.js';

/** What every request carries about who is asking: here, the user entity. */
export type ViewerHolder = CommonViewerHolder<UserEntity>;

const ACCESS = Symbol('access');
type Access = 'signed-in' | UserRole;

/** The resolver needs a signed-in user. */
export const SignedIn = () => SetMetadata(ACCESS, 'signed-in' satisfies Access);
/** The resolver is for the author only. */
export const AuthorOnly = () => SetMetadata(ACCESS, UserRole.AUTHOR satisfies Access);

/** The signed-in user, or null for anonymous requests. */
export const Viewer = createParamDecorator(
  (_data: unknown, context: ExecutionContext): UserEntity | null =>
    holderOf(context).viewer ?? null,
);

function holderOf(context: ExecutionContext): ViewerHolder {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<ViewerHolder>();
  }
  const request = context
    .switchToHttp()
    .getRequest<{ headers: Record<string, string>; viewerHolder?: ViewerHolder }>();
  request.viewerHolder ??= { authorization: request.headers.authorization };
  return request.viewerHolder;
}

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
    const holder = holderOf(context);
    holder.viewerLookup ??= this.resolve(holder.authorization);
    const viewer = (holder.viewer = await holder.viewerLookup);
    if (!access) return true;
    if (!viewer) throw new Unauthenticated();
    if (access === UserRole.AUTHOR && viewer.role !== UserRole.AUTHOR) {
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
