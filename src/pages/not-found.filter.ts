import { ArgumentsHost, Catch, NotFoundException, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PAGE_HEADERS } from '../common/html-page.js';
import { errorPageHtml } from './templates/error.template.js';

/**
 * A browser that asks for a page that does not exist gets the 404 page in the
 * site's look; every other client keeps the JSON answer.
 */
@Catch(NotFoundException)
export class NotFoundPageFilter implements ExceptionFilter {
  catch(error: NotFoundException, host: ArgumentsHost): unknown {
    if (host.getType<string>() !== 'http') return error;
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const wantsPage =
      (request.method === 'GET' || request.method === 'HEAD') &&
      /\btext\/html\b/.test(request.headers.accept ?? '');
    if (!wantsPage) {
      void reply.code(404).send(error.getResponse());
      return undefined;
    }
    void reply
      .code(404)
      .headers({ ...PAGE_HEADERS, 'cache-control': 'no-cache' })
      .send(errorPageHtml('not-found'));
    return undefined;
  }
}
