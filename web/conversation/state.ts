import { signal } from '@preact/signals';
import { frameScrollTo } from '../embed/frame.js';
import type { InterestNode, Viewer } from './documents.js';

/** The signed-in reader; null when anonymous. */
export const viewer = signal<Viewer | null>(null);
/** True while the reader has not chosen a public name yet (asked at their first post). */
export const askDisplayName = signal(false);
/** The reader's own offer to collaborate on this essay. */
export const ownInterest = signal<InterestNode | null>(null);
/** Polite announcements for screen readers (posted, signed in, new responses). */
export const announcement = signal('');
export const online = signal(navigator.onLine);
/** Characters a response or reply may have after trimming (RespondInput.body). */
export const responseLimit = signal(10_000);

addEventListener('online', () => (online.value = true));
addEventListener('offline', () => (online.value = false));

export function announce(text: string): void {
  // Clearing first makes a repeated message announced again.
  announcement.value = '';
  setTimeout(() => (announcement.value = text), 50);
}

export const SIGN_IN_EMAIL_ID = 'rizom-sign-in-email';

/**
 * Moves focus after the next render (to a new response, an opened form…):
 * `target` is a selector, or a function finding the element.
 */
export function focusSoon(
  target: string | (() => HTMLElement | null | undefined),
  tries = 10,
): void {
  const wait = tries === 10 ? 0 : 30;
  setTimeout(() => {
    const element =
      typeof target === 'string' ? document.querySelector<HTMLElement>(target) : target();
    if (!element || !element.isConnected || element.closest('[hidden]')) {
      if (tries > 0) focusSoon(target, tries - 1);
      return;
    }
    element.focus();
    element.scrollIntoView({ block: 'nearest' });
    frameScrollTo(element); // in the embed, the host page scrolls, not the frame
  }, wait);
}
