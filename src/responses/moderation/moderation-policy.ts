import { HeldReason, ModerationState } from './moderation-state.js';
import { ModerationMode } from './moderation-settings.entity.js';

export interface EffectiveSettings {
  mode: ModerationMode;
  blockedTerms: string[];
  maxLinks: number | null;
}

/** What the browser forms send with the mutation (absent for other API clients). */
export interface FormSignals {
  /** The hidden field people never see; bots fill it. */
  honeypot?: string | null;
  /** Milliseconds between the form appearing and its submission. */
  elapsedMs?: number | null;
}

export interface DraftFacts {
  body: string;
  /** The writer has a response the author approved after a hold. */
  writerTrusted: boolean;
  /** The same body is already a response of theirs to another prompt. */
  duplicateElsewhere: boolean;
  form?: FormSignals | null;
  /** The least time a person takes to write in the browser forms (SPAM_MIN_SUBMIT_MS). */
  minSubmitMs: number;
}

export interface Decision {
  state: ModerationState.HELD | ModerationState.PUBLISHED;
  reason: HeldReason | null;
}

const PUBLISH: Decision = { state: ModerationState.PUBLISHED, reason: null };
const hold = (reason: HeldReason): Decision => ({ state: ModerationState.HELD, reason });

/** Lower case without accents, so "Café" and "CAFE" are the same word. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

const LINK = /\bhttps?:\/\/[^\s)<>\]]+|\bwww\.[^\s)<>\]]+/giu;
const MARKDOWN_LINK_TEXT = /\[([^\]]*)\]\([^)]*\)/gu;

export function countLinks(body: string): number {
  return body.match(LINK)?.length ?? 0;
}

/** Nothing but links (and punctuation) once the links are taken out. */
export function isLinksOnly(body: string): boolean {
  if (countLinks(body) === 0) return false;
  const rest = body.replace(MARKDOWN_LINK_TEXT, '').replace(LINK, '');
  return !/[\p{L}\p{N}]/u.test(rest);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a blocked word or phrase appears as a whole word (case and accents ignored). */
export function containsBlockedTerm(body: string, terms: readonly string[]): boolean {
  const text = foldText(body);
  return terms.some((term) => {
    const words = foldText(term).trim().split(/\s+/u).filter(Boolean).map(escapeRegExp);
    if (words.length === 0) return false;
    return new RegExp(`(?<![\\p{L}\\p{N}])${words.join('\\s+')}(?![\\p{L}\\p{N}])`, 'u').test(text);
  });
}

/** Whether a new response goes out at once or waits for the author, and why. */
export function decide(settings: EffectiveSettings, draft: DraftFacts): Decision {
  const form = draft.form;
  if (form) {
    const honeypotFilled = typeof form.honeypot === 'string' && form.honeypot.trim() !== '';
    const tooFast = typeof form.elapsedMs === 'number' && form.elapsedMs < draft.minSubmitMs;
    if (honeypotFilled || tooFast) return hold(HeldReason.SUSPECTED_SPAM);
  }
  if (isLinksOnly(draft.body) || draft.duplicateElsewhere) return hold(HeldReason.SUSPECTED_SPAM);
  if (containsBlockedTerm(draft.body, settings.blockedTerms)) return hold(HeldReason.BLOCKED_TERM);
  if (settings.maxLinks !== null && countLinks(draft.body) > settings.maxLinks) {
    return hold(HeldReason.TOO_MANY_LINKS);
  }
  if (settings.mode === ModerationMode.ALL) return hold(HeldReason.ALL);
  if (settings.mode === ModerationMode.FIRST_TIME && !draft.writerTrusted) {
    return hold(HeldReason.FIRST_TIME);
  }
  return PUBLISH;
}

/**
 * What an edit of a published response is checked against again: what it
 * says (links only, blocked terms, too many links). The mode and the form
 * signals are about its first posting and are not asked again.
 */
export function editHold(settings: EffectiveSettings, body: string): HeldReason | null {
  if (isLinksOnly(body)) return HeldReason.SUSPECTED_SPAM;
  if (containsBlockedTerm(body, settings.blockedTerms)) return HeldReason.BLOCKED_TERM;
  if (settings.maxLinks !== null && countLinks(body) > settings.maxLinks) {
    return HeldReason.TOO_MANY_LINKS;
  }
  return null;
}
