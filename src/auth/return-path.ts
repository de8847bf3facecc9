/**
 * Where a reader goes back to after signing in: a path on this site only.
 * Anything that a browser could read as another site (`//evil.example`,
 * `/\evil`, `https://…`, `javascript:`), control characters or an over-long
 * value → `/`. Never an open redirect.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//')) return '/';
  // Browsers read `\` as `/` in URLs; control characters (tab, newline) are stripped by them.
  if (value.includes('\\') || [...value].some(isControl)) return '/';
  const base = 'http://return.invalid';
  try {
    const url = new URL(value, base);
    return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}

function isControl(character: string): boolean {
  const code = character.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}
