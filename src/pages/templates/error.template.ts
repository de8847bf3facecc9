import { renderPage, SITE_NAME, type Theme } from '../../common/html-page.js';
import { escapeHtml } from './format.js';

/** A page that went wrong, in the same look: 404 for what is not (or not yet) published. */
export function errorPageHtml(
  kind: 'not-found' | 'bad-request',
  options: { chrome?: boolean; theme?: Theme; message?: string } = {},
): string {
  const [heading, text] =
    kind === 'not-found'
      ? ['We could not find that page', 'It may have moved, or it is not published yet.']
      : ['That link did not work', options.message ?? 'Something in the address is not right.'];
  return renderPage({
    title: `${heading} · ${SITE_NAME}`,
    head: '<meta name="robots" content="noindex">',
    theme: options.theme,
    chrome: options.chrome,
    mainClass: options.chrome === false ? 'page page--frame' : 'page page--narrow',
    body: `<h1>${heading}</h1>
<p>${escapeHtml(text)}</p>
${options.chrome === false ? '' : '<p><a href="/">See all essays</a></p>'}`,
  });
}
