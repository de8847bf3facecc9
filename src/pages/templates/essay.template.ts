import { renderPage, SITE_NAME, type Theme } from '../../common/html-page.js';
import { assetUrl } from '../../common/web-assets.js';
import type { EssayView, PageSettings, PromptView } from '../page-views.js';
import { conversationHtml } from './conversation.template.js';
import { escapeHtml, queryString, timeHtml } from './format.js';

export interface Boot {
  publicUrl: string;
  essay: string;
  prompt: string | null;
  mode: 'hosted' | 'embed';
  /** RESPONSE_MAX_LENGTH, for the editor's counter. */
  responseMaxLength: number;
}

/** The hosted essay page: the essay, its conversation, and what search and link previews read. */
export function essayPageHtml(essay: EssayView, settings: PageSettings): string {
  const morePage = (prompt: PromptView, cursor: string | null) =>
    `/essays/${encodeURIComponent(essay.slug)}${queryString({ prompt: cursor ? prompt.id : null, after: cursor })}#prompt-${prompt.id}`;
  const tags = essay.tags.length
    ? ` <ul class="tags" aria-label="Tags">${essay.tags.map((tag) => `<li class="tag">${escapeHtml(tag)}</li>`).join('')}</ul>`
    : '';
  return renderPage({
    title: `${essay.title} · ${SITE_NAME}`,
    head: essayMeta(essay),
    mainClass: 'page page--essay',
    body: `<article class="essay">
<header class="essay__header">
<h1 class="essay__title">${escapeHtml(essay.title)}</h1>
<div class="essay__meta">${essay.publishedAt ? timeHtml(essay.publishedAt) : ''}${tags}</div>
</header>
<div class="essay__body prose">${essay.bodyHtml}</div>
</article>
${conversationHtml(essay, morePage, settings)}`,
    boot: {
      publicUrl: settings.publicUrl,
      essay: essay.slug,
      prompt: null,
      mode: 'hosted',
      responseMaxLength: settings.responseMaxLength,
    } satisfies Boot,
    scripts: conversationScript(),
  });
}

/** The frame the embed loader puts on the author's site: the conversation only. */
export function embedPageHtml(
  essay: EssayView,
  settings: PageSettings,
  options: { theme: Theme; prompt: string | null },
): string {
  const morePage = (prompt: PromptView, cursor: string | null) =>
    `/embed/essays/${encodeURIComponent(essay.slug)}${queryString({
      theme: options.theme === 'auto' ? null : options.theme,
      prompt: options.prompt ?? (cursor ? prompt.id : null),
      after: cursor,
    })}`;
  return renderPage({
    title: `Conversation: ${essay.title}`,
    head: `<meta name="robots" content="noindex">\n<link rel="canonical" href="${escapeHtml(essay.canonicalUrl)}">`,
    theme: options.theme,
    chrome: false,
    mainClass: 'page page--frame',
    // The frame's own heading, for assistive technology; the host page shows the essay.
    body: `<h1 class="visually-hidden">Conversation: ${escapeHtml(essay.title)}</h1>
${conversationHtml(essay, morePage, settings)}`,
    boot: {
      publicUrl: settings.publicUrl,
      essay: essay.slug,
      prompt: options.prompt,
      mode: 'embed',
      responseMaxLength: settings.responseMaxLength,
    } satisfies Boot,
    scripts: conversationScript(),
  });
}

function conversationScript(): string[] {
  const script = assetUrl('conversation.js');
  return script ? [script] : [];
}

function essayMeta(essay: EssayView): string {
  const meta = (attribute: 'name' | 'property', key: string, value: string) =>
    `<meta ${attribute}="${key}" content="${escapeHtml(value)}">`;
  return [
    meta('name', 'description', essay.excerpt),
    `<link rel="canonical" href="${escapeHtml(essay.canonicalUrl)}">`,
    meta('property', 'og:type', 'article'),
    meta('property', 'og:site_name', SITE_NAME),
    meta('property', 'og:title', essay.title),
    meta('property', 'og:description', essay.excerpt),
    meta('property', 'og:url', essay.canonicalUrl),
    ...(essay.publishedAt
      ? [meta('property', 'article:published_time', essay.publishedAt.toISOString())]
      : []),
    ...essay.tags.map((tag) => meta('property', 'article:tag', tag)),
    meta('name', 'twitter:card', 'summary'),
  ].join('\n');
}
