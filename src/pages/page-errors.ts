import type { FastifyReply } from 'fastify';
import { DomainError } from '../common/errors.js';
import type { Theme } from '../common/html-page.js';
import { errorPageHtml } from './templates/error.template.js';

/**
 * Sends the page `render` makes, or a page in the same look saying what went
 * wrong: 404 for essays that are not published (or do not exist), 400 for a
 * forged cursor. Anything else is a bug and goes to the error filter.
 */
export async function renderOrExplain(
  reply: FastifyReply,
  headers: Record<string, string>,
  look: { chrome?: boolean; theme?: Theme },
  render: () => Promise<string>,
): Promise<void> {
  let status = 200;
  let html: string;
  try {
    html = await render();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const notFound = error.code === 'NOT_FOUND';
    status = notFound ? 404 : 400;
    html = errorPageHtml(notFound ? 'not-found' : 'bad-request', {
      ...look,
      message: error.message,
    });
  }
  void reply.code(status).headers(headers).send(html);
}
