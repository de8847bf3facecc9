import type { EssayView, PromptView, ResponseView } from '../page-views.js';
import { count, escapeHtml, timeHtml } from './format.js';

/** Replies shown open under a response; the rest fold into a disclosure. */
const OPEN_REPLIES = 3;

/**
 * The conversation as the browser code renders it too (same structure and
 * classes, so nothing jumps when it takes over `#conversation`).
 * `morePage(prompt, cursor)` is the URL of a prompt's next page, which
 * works without JavaScript.
 */
export function conversationHtml(
  essay: EssayView,
  morePage: (prompt: PromptView, cursor: string | null) => string,
): string {
  return `<section class="conversation" id="conversation" aria-label="Conversation">
${essay.prompts.map((prompt) => promptHtml(prompt, morePage)).join('\n')}
<noscript><p class="notice">Turn on JavaScript to answer, reply or offer to collaborate.</p></noscript>
</section>`;
}

function promptHtml(
  prompt: PromptView,
  morePage: (prompt: PromptView, cursor: string | null) => string,
): string {
  const id = `prompt-${prompt.id}`;
  const meta = `${count(prompt.responseCount, 'response')}${prompt.isOpen ? '' : ' · Closed'}`;
  const list = prompt.responses.length
    ? `<ol class="responses">\n${prompt.responses.map((response) => responseHtml(response, false)).join('\n')}\n</ol>`
    : `<p class="responses__empty">${prompt.isOpen ? 'No responses yet. Be the first to answer.' : 'No responses.'}</p>`;
  const pager = [
    prompt.after
      ? `<a class="pager__link" href="${escapeHtml(morePage(prompt, null))}">Newest responses</a>`
      : '',
    prompt.nextCursor
      ? `<a class="pager__link" href="${escapeHtml(morePage(prompt, prompt.nextCursor))}">Load more responses</a>`
      : '',
  ].filter(Boolean);
  return `<section class="prompt" id="${id}" aria-labelledby="${id}-q">
<h2 class="prompt__question" id="${id}-q">${escapeHtml(prompt.question)}</h2>
<p class="prompt__meta">${meta}</p>
${list}${pager.length ? `\n<nav class="pager" aria-label="More responses">${pager.join(' ')}</nav>` : ''}
</section>`;
}

function responseHtml(response: ResponseView, isReply: boolean): string {
  const meta = [
    `<span class="response__author">${escapeHtml(response.authorName)}</span>`,
    response.byAuthor ? '<span class="badge badge--author">Author</span>' : '',
    timeHtml(response.createdAt),
    response.edited ? '<span class="response__edited">edited</span>' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const body = response.deleted
    ? '<div class="response__body response__body--deleted"><p>This response was deleted.</p></div>'
    : `<div class="response__body prose">${response.bodyHtml}</div>`;
  return `<li class="response${isReply ? ' response--reply' : ''}${response.deleted ? ' response--deleted' : ''}" id="response-${response.id}">
<article class="response__card">
<header class="response__meta">${meta}</header>
${body}${repliesHtml(response)}
</article>
</li>`;
}

function repliesHtml(response: ResponseView): string {
  if (response.replies.length === 0) return '';
  const open = response.replies.slice(0, OPEN_REPLIES);
  const folded = response.replies.slice(OPEN_REPLIES);
  const list = (replies: ResponseView[]) =>
    `<ol class="replies">\n${replies.map((reply) => responseHtml(reply, true)).join('\n')}\n</ol>`;
  const unloaded = response.replyCount - response.replies.length;
  return `\n${list(open)}${
    folded.length
      ? `\n<details class="replies__more"><summary>${count(folded.length, 'more reply', 'more replies')}</summary>\n${list(folded)}\n</details>`
      : ''
  }${unloaded > 0 ? `\n<p class="replies__note">${count(unloaded, 'more reply', 'more replies')}: turn on JavaScript to read them.</p>` : ''}`;
}
