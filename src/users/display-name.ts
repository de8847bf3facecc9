import { randomInt } from 'node:crypto';
import { BadUserInput } from '../common/errors.js';
import { UserRole } from './user.entity.js';

export const DISPLAY_NAME_MAX_LENGTH = 60;

/**
 * Characters a public name may not hold: controls, line and paragraph
 * separators, the bidirectional marks, embeddings, overrides and isolates
 * (they reorder the text around a name: "evil\u202Erohtua" shows as "evilauthor"),
 * and invisible zero-width spaces. U+200D stays: emoji sequences need it.
 */
const FORBIDDEN = /[\p{Cc}\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/u;

/** A name a user chose, trimmed and checked; BAD_USER_INPUT on `displayName` when unfit. */
export function chosenDisplayName(value: string): string {
  const name = value.normalize('NFC').trim();
  const length = [...name].length;
  if (length === 0 || length > DISPLAY_NAME_MAX_LENGTH) {
    throw new BadUserInput(
      `The name must be 1 to ${DISPLAY_NAME_MAX_LENGTH} characters.`,
      'displayName',
    );
  }
  if (FORBIDDEN.test(name)) {
    throw new BadUserInput(
      'The name may not hold control, invisible or text-direction characters.',
      'displayName',
    );
  }
  return name;
}

/**
 * The name someone has until they choose one. Never taken from the email
 * address: that would publish part of a private address.
 */
export function neutralDisplayName(role: UserRole): string {
  return role === UserRole.AUTHOR ? 'The author' : `Reader ${randomInt(1000, 10_000)}`;
}
