import type { FastifyInstance, FastifyRequest } from 'fastify';
import { htmlPage, PAGE_HEADERS } from './html-page.js';

/** The content types an HTML form (or a no-preflight fetch) can send across sites. */
const FORM_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses state-changing form posts made from another site (login CSRF: a
 * page elsewhere posting its own sign-in token to /sign-in, or any other
 * form): 403 when the browser says `Sec-Fetch-Site: cross-site`, or sends an
 * `Origin` that is neither PUBLIC_URL's origin nor the host the request was
 * made to. Requests with neither header are let through: browsers always
 * send one of them on a cross-site post, and mail providers' servers making
 * the RFC 8058 one-click unsubscribe POST send none. GraphQL has Apollo's
 * own CSRF prevention as well.
 */
export function refuseCrossSiteForms(fastify: FastifyInstance, publicUrl: string): void {
  const publicOrigin = new URL(publicUrl).origin;
  fastify.addHook('onRequest', async (request, reply) => {
    if (!UNSAFE_METHODS.has(request.method) || !isForm(request)) return;
    if (!isCrossSite(request, publicOrigin)) return;
    request.log.info({ url: request.url.split('?')[0] }, 'cross-site form post refused');
    await reply
      .code(403)
      .headers(PAGE_HEADERS)
      .send(
        htmlPage(
          'Not from here',
          `<h1>This form came from another site</h1>
<p>For your safety, forms are accepted only from this site's own pages. Open the link from your email again, or go back to the page and try once more.</p>`,
        ),
      );
  });
}

function isForm(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  // No content type at all: a browser form sends one, but treat it as a form to be safe.
  if (type === undefined) return true;
  return FORM_TYPES.has(type.split(';')[0]!.trim().toLowerCase());
}

function isCrossSite(request: FastifyRequest, publicOrigin: string): boolean {
  if (header(request, 'sec-fetch-site') === 'cross-site') return true;
  const origin = header(request, 'origin');
  if (origin === undefined) return false;
  if (origin === publicOrigin) return false;
  try {
    // Same origin as the request itself (a machine reached by another name than PUBLIC_URL's).
    return new URL(origin).host !== header(request, 'host');
  } catch {
    return true; // "null" (sandboxed frames, privacy-stripped) or garbage
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.toLowerCase();
}
