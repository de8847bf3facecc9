import type { FrameMessage } from './messages.js';

// The frame's side of the embed: tells the host page when it is ready and how tall
// it is. The frame cannot know for sure which site embeds it, so it posts to
// document.referrer's origin (the host page, under browsers' default referrer
// policy) or, without a referrer, to '*'. That is safe only because these messages
// carry numbers (a height, an offset) and nothing private. The frame listens to no
// messages at all; if it ever does, it must act only when event.source === window.parent.

const inFrame = window.parent !== window;

function targetOrigin(): string {
  try {
    return new URL(document.referrer).origin;
  } catch {
    return '*';
  }
}

function post(message: FrameMessage): void {
  if (inFrame) window.parent.postMessage(message, targetOrigin());
}

// The root element's own box: its height is the content's (body margins included,
// counted once), and, unlike scrollHeight, it shrinks when the content does.
const height = (): number => Math.ceil(document.documentElement.getBoundingClientRect().height);

let ready = false;

/**
 * Called once the conversation shows real content (or an error), never for a
 * loading state: the host page keeps the frame hidden until then, so it never
 * shows a spinner's height first.
 */
export function frameReady(): void {
  if (!inFrame || ready) return;
  ready = true;
  let last = height();
  post({ type: 'rizom:ready', height: last });
  new ResizeObserver(() => {
    const now = height();
    if (now !== last) post({ type: 'rizom:height', height: (last = now) });
  }).observe(document.documentElement);
}

/** Asks the host page to bring a point of the frame (px from its top) into view. */
export function frameScrollTo(element: Element): void {
  if (!inFrame || !ready) return;
  post({
    type: 'rizom:scrollTo',
    top: Math.max(0, Math.round(element.getBoundingClientRect().top)),
  });
}
