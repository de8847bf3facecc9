import { renderPage, SITE_NAME } from '../../common/html-page.js';
import { assetUrl } from '../../common/web-assets.js';
import type { PageSettings } from '../page-views.js';
import { escapeHtml } from './format.js';

/**
 * `GET /desk`: an empty shell the desk's browser code fills. It holds no data:
 * the desk asks the API as the signed-in author, so a reader (or nobody) who
 * opens it learns nothing.
 */
export function deskPageHtml(settings: PageSettings): string {
  const stylesheet = assetUrl('desk.css');
  const script = assetUrl('desk.js');
  return renderPage({
    title: `Desk · ${SITE_NAME}`,
    head: [
      '<meta name="robots" content="noindex, nofollow">',
      stylesheet ? `<link rel="stylesheet" href="${escapeHtml(stylesheet)}">` : '',
    ]
      .filter(Boolean)
      .join('\n'),
    mainClass: 'page page--desk',
    body: `<div id="desk" class="desk">
<h1>Desk</h1>
<noscript><p class="notice">The desk needs JavaScript.</p></noscript>
<p class="desk__loading" aria-live="polite">Loading the desk…</p>
</div>`,
    boot: {
      desk: true,
      publicUrl: settings.publicUrl,
      responseMaxLength: settings.responseMaxLength,
    },
    scripts: script ? [script] : [],
  });
}
