import escapeHtml from 'escape-html';
import { assetUrl } from './web-assets.js';

export { escapeHtml };

export const SITE_NAME = 'Rizom Conversations';

export type Theme = 'light' | 'dark' | 'auto';

/**
 * Headers for the small HTML pages email links open: no caching, the shared
 * stylesheet and our own scripts only. Their URLs carry tokens, so a referrer
 * never holds more than our origin; `no-referrer` would also make browsers
 * send `Origin: null` with the page's own form posts, which the cross-site
 * form check (cross-site-forms.hook.ts) must refuse.
 */
export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'strict-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

export interface PageLayout {
  /** The whole `<title>`. */
  title: string;
  /** What `<main>` holds; must already be escaped. */
  body: string;
  /** More tags for `<head>` (meta, canonical); must already be escaped. */
  head?: string;
  /** `<html data-theme>`: auto follows the reader's system setting. */
  theme?: Theme;
  /** The site header and footer; the embedded frame has neither. */
  chrome?: boolean;
  mainClass?: string;
  /** Data for the browser code, as `<script type="application/json" id="rizom-boot">`. */
  boot?: Record<string, unknown>;
  /** Script URLs of our own origin, loaded as modules after the boot data. */
  scripts?: string[];
}

const COLOR_SCHEME: Record<Theme, string> = { light: 'light', dark: 'dark', auto: 'light dark' };

/** Every page's document: the shared stylesheet, theme, header and footer. */
export function renderPage(page: PageLayout): string {
  const theme = page.theme ?? 'auto';
  const chrome = page.chrome ?? true;
  const stylesheet = assetUrl('style.css');
  const scripts = (page.scripts ?? []).map(
    (src) => `<script type="module" src="${escapeHtml(src)}"></script>`,
  );
  return `<!doctype html>
<html lang="en" data-theme="${theme}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="${COLOR_SCHEME[theme]}">
<link rel="icon" href="data:,">
<title>${escapeHtml(page.title)}</title>
${stylesheet ? `<link rel="stylesheet" href="${escapeHtml(stylesheet)}">\n` : ''}${page.head ?? ''}
</head>
<body class="${chrome ? 'site' : 'frame'}">
${chrome ? `<a class="skip-link" href="#main">Skip to content</a>\n<header class="site-header"><a class="site-header__name" href="/">${SITE_NAME}</a></header>\n` : ''}<main id="main" class="${escapeHtml(page.mainClass ?? 'page')}">
${page.body}
</main>
${chrome ? `<footer class="site-footer"><p>${SITE_NAME} · essays as conversations</p></footer>\n` : ''}${page.boot ? `<script type="application/json" id="rizom-boot">${bootJson(page.boot)}</script>\n` : ''}${scripts.join('\n')}
</body></html>`;
}

/** A small page (sign-in, digest links): the shared look, narrow, not indexed. */
export function htmlPage(title: string, bodyHtml: string, scripts: string[] = []): string {
  return renderPage({
    title: `${title} · ${SITE_NAME}`,
    body: bodyHtml,
    head: '<meta name="robots" content="noindex">',
    mainClass: 'page page--narrow',
    scripts,
  });
}

/** JSON safe inside a script element: no `</script>` or `<!--` can appear. */
function bootJson(value: Record<string, unknown>): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
