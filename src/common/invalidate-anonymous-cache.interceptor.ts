import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { finalize, type Observable } from 'rxjs';
import { AnonymousReadCache } from './anonymous-read-cache.js';

/**
 * Clears the anonymous read cache when a mutation's resolver is done, whatever
 * the transport (HTTP or graphql-ws) and whether it succeeded. Root fields
 * only: field resolvers get no interceptors.
 */
@Injectable()
export class InvalidateAnonymousCacheInterceptor implements NestInterceptor {
  constructor(private readonly cache: AnonymousReadCache) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.cache.enabled || context.getType<GqlContextType>() !== 'graphql') {
      return next.handle();
    }
    const info = GqlExecutionContext.create(context).getInfo<GraphQLResolveInfo>();
    if (info.operation.operation !== 'mutation') return next.handle();
    return next.handle().pipe(finalize(() => this.cache.invalidate()));
  }
}
