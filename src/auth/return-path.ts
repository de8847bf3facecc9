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

/**
 * The same rule for what arrives from a browser (the sign-in page's `return`
 * query and form field): never an error, anything that is not a path on this
 * site is `/`. The parsed URL must also stay on this site, whatever a browser
 * makes of the path.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string') return '/';
  let path: string | null;
  try {
    path = returnPath(value);
  } catch {
    return '/';
  }
  if (!path) return '/';
  const base = 'http://return.invalid';
  try {
    const url = new URL(path, base);
    return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}
