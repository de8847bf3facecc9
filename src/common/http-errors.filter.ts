import { ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, RateLimited, type ErrorCode } from './errors.js';

const STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
};

/**
 * Domain errors on plain HTTP routes (exports, email-link pages) become JSON
 * with the same codes GraphQL uses. GraphQL errors pass through to the
 * GraphQL error formatter.
 */
@Catch(DomainError)
export class HttpErrorsFilter implements ExceptionFilter {
  catch(error: DomainError, host: ArgumentsHost): unknown {
    if (host.getType<string>() !== 'http') return error;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof RateLimited)
      void reply.header('retry-after', String(error.retryAfterSeconds));
    void reply
      .code(STATUS[error.code])
      .header('cache-control', 'no-store')
      .send({ error: { code: error.code, message: error.message, ...error.details } });
    return undefined;
  }
}
