import { renderPage, SITE_NAME } from '../../common/html-page.js';
import type { EssayIndexView } from '../page-views.js';
import { count, escapeHtml, queryString, timeHtml } from './format.js';

/** `GET /`: the published essays, newest first. */
export function essayIndexHtml(index: EssayIndexView, publicUrl: string): string {
  const items = index.essays.map(
    (essay) => `<li class="essay-list__item">
<article class="essay-card">
<h2 class="essay-card__title"><a href="/essays/${encodeURIComponent(essay.slug)}">${escapeHtml(essay.title)}</a></h2>
<p class="essay-card__meta">${essay.publishedAt ? `${timeHtml(essay.publishedAt)} · ` : ''}${count(essay.responseCount, 'response')}</p>
${essay.excerpt ? `<p class="essay-card__excerpt">${escapeHtml(essay.excerpt)}</p>` : ''}
</article>
</li>`,
  );
  const pager = [
    index.isFirstPage ? '' : '<a class="pager__link" href="/">Newest essays</a>',
    index.nextCursor
      ? `<a class="pager__link" href="/${escapeHtml(queryString({ after: index.nextCursor }))}">Older essays</a>`
      : '',
  ].filter(Boolean);
  return renderPage({
    title: SITE_NAME,
    head: [
      `<meta name="description" content="Essays that end in a question, and the conversations they start.">`,
      index.isFirstPage
        ? `<link rel="canonical" href="${escapeHtml(`${publicUrl}/`)}">`
        : '<meta name="robots" content="noindex, follow">',
      `<meta property="og:type" content="website">`,
      `<meta property="og:title" content="${SITE_NAME}">`,
    ].join('\n'),
    mainClass: 'page',
    body: `<h1>Essays</h1>
${
  items.length
    ? `<ol class="essay-list">\n${items.join('\n')}\n</ol>`
    : `<p class="notice">${index.isFirstPage ? 'No essays are published yet.' : 'No older essays.'}</p>`
}${pager.length ? `\n<nav class="pager" aria-label="More essays">${pager.join(' ')}</nav>` : ''}`,
  });
}
