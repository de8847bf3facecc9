import { BadUserInput } from '../common/errors.js';

const MAX_LENGTH = 2000;
// C0 and C1 controls and DEL: a browser drops or rewrites them in URLs.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The path a sign-in link brings the reader back to: a path on this site only,
 * never an open redirect (`//evil.example` and `/\evil.example` are other sites to a browser).
 */
export function returnPath(value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (
    value.length > MAX_LENGTH ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.startsWith('/\\') ||
    CONTROL.test(value)
  ) {
    throw new BadUserInput(
      'The return path must be a path on this site, starting with a single "/".',
      'returnTo',
    );
  }
  return value;
}
