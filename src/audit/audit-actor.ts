import { AsyncLocalStorage } from 'node:async_hooks';
import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import { Observable } from 'rxjs';
import type { ViewerHolder } from '../auth/viewer.guard.js';

const actors = new AsyncLocalStorage<{ actorId: string | null }>();

/** The user on whose request the current code runs; null outside a request (CLI, jobs). */
export function currentActorId(): string | null {
  return actors.getStore()?.actorId ?? null;
}

/**
 * Runs each resolver and route handler with the signed-in user (resolved by
 * ViewerGuard before it) as the current actor, so that services can write
 * "who" into the audit log without every call passing it along.
 */
@Injectable()
export class AuditActorInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const actorId = holderOf(context)?.viewer?.id ?? null;
    return new Observable((subscriber) =>
      actors.run({ actorId }, () => next.handle().subscribe(subscriber)),
    );
  }
}

function holderOf(context: ExecutionContext): ViewerHolder | undefined {
  if (context.getType<GqlContextType>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<ViewerHolder>();
  }
  if (context.getType() === 'http') {
    return context.switchToHttp().getRequest<{ viewerHolder?: ViewerHolder }>().viewerHolder;
  }
  return undefined;
}
