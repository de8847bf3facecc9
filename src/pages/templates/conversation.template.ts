import type { EssayView, PromptView, ResponseView } from '../page-views.js';
import { count, escapeHtml, timeHtml } from './format.js';

/** Replies shown open under a response; the rest fold into a disclosure. */
const OPEN_REPLIES = 3;

type MorePage = (prompt: PromptView, cursor: string | null) => string;

/**
 * The conversation as the browser code renders it for a reader who is not
 * signed in: the same structure, classes and controls in the same places (the
 * sign-in form, an editor per open prompt, "Reply", the take-part buttons),
 * so nothing moves when it takes over `#conversation`. Here the controls are
 * disabled, and say that they need JavaScript. `morePage(prompt, cursor)` is
 * the URL of a prompt's next page, which works without JavaScript.
 */
export function conversationHtml(
  essay: EssayView,
  morePage: MorePage,
  limits: { responseMaxLength: number },
): string {
  return `<section class="conversation" id="conversation" aria-label="Conversation">
${signInHtml()}
${essay.prompts.map((prompt) => promptHtml(prompt, morePage, limits)).join('\n')}
<section class="take-part" aria-label="Take part">
<div class="take-part__buttons"><button type="button" class="button button--secondary" disabled>Offer to collaborate</button> <button type="button" class="button button--secondary" disabled>Get the digest</button></div>
</section>
</section>`;
}

function signInHtml(): string {
  return `<div class="account account--signed-out">
<noscript><p class="notice">Turn on JavaScript to answer, reply or offer to collaborate.</p></noscript>
<form class="sign-in">
<p class="sign-in__title">Sign in to respond, reply or offer to collaborate. We email you a code: no password.</p>
<div class="field field--inline"><label for="conversation-email">Email</label> <input id="conversation-email" type="email" autocomplete="email" disabled> <button type="submit" class="button" disabled>Email me a code</button></div>
</form>
</div>`;
}

function editorHtml(prompt: PromptView, limits: { responseMaxLength: number }): string {
  const id = `prompt-${prompt.id}-response`;
  return `<form class="editor">
<div class="field"><label for="${id}">Your response</label>
<textarea id="${id}" rows="5" disabled aria-describedby="${id}-count"></textarea>
<p class="editor__count" id="${id}-count">0 / ${limits.responseMaxLength.toLocaleString('en')} characters · Markdown</p></div>
<div class="editor__privacy"><input type="checkbox" id="${id}-private" disabled> <label for="${id}-private">Only the author can see this</label> <span class="editor__visibility" aria-hidden="true">Public: everyone can read it</span></div>
<div class="editor__actions"><button type="submit" class="button" disabled>Post</button> <button type="button" class="button button--quiet" disabled>Preview</button></div>
</form>`;
}

function promptHtml(
  prompt: PromptView,
  morePage: MorePage,
  limits: { responseMaxLength: number },
): string {
  const id = `prompt-${prompt.id}`;
  const meta = `${count(prompt.responseCount, 'response')}${prompt.isOpen ? '' : ' · Closed'}`;
  const list = prompt.responses.length
    ? `<ol class="responses">\n${prompt.responses.map((response) => responseHtml(response, false, prompt.isOpen)).join('\n')}\n</ol>`
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
${prompt.isOpen ? editorHtml(prompt, limits) : '<p class="notice">This prompt is closed: its responses stay here to read.</p>'}
${list}${pager.length ? `\n<nav class="pager" aria-label="More responses">${pager.join(' ')}</nav>` : ''}
</section>`;
}

function responseHtml(response: ResponseView, isReply: boolean, isOpen: boolean): string {
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
  const reply =
    !isReply && isOpen && !response.deleted
      ? '\n<div class="response__actions"><button type="button" class="button button--quiet" disabled>Reply</button></div>'
      : '';
  return `<li class="response${isReply ? ' response--reply' : ''}${response.deleted ? ' response--deleted' : ''}" id="response-${response.id}">
<article class="response__card">
<header class="response__meta">${meta}</header>
${body}${reply}${repliesHtml(response, isOpen)}
</article>
</li>`;
}

function repliesHtml(response: ResponseView, isOpen: boolean): string {
  if (response.replies.length === 0) return '';
  const open = response.replies.slice(0, OPEN_REPLIES);
  const folded = response.replies.slice(OPEN_REPLIES);
  const list = (replies: ResponseView[]) =>
    `<ol class="replies">\n${replies.map((reply) => responseHtml(reply, true, isOpen)).join('\n')}\n</ol>`;
  const unloaded = response.replyCount - response.replies.length;
  return `\n${list(open)}${
    folded.length
      ? `\n<details class="replies__more"><summary>${count(folded.length, 'more reply', 'more replies')}</summary>\n${list(folded)}\n</details>`
      : ''
  }${unloaded > 0 ? `\n<p class="replies__note">${count(unloaded, 'more reply', 'more replies')}: turn on JavaScript to read them.</p>` : ''}`;
}
