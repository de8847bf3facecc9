import { returnPath, safeReturnPath } from './return-path.js';

describe('returnPath', () => {
  it.each(['/essays/designing-systems', '/', '/essays/a?b=c#d', '/desk/queue?x=%2F%2F'])(
    'keeps the same-origin path %s',
    (path) => expect(returnPath(path)).toBe(path),
  );

  it('treats a missing or empty value as none', () => {
    expect(returnPath(undefined)).toBeNull();
    expect(returnPath(null)).toBeNull();
    expect(returnPath('')).toBeNull();
  });

  it.each([
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    'essays/relative',
    'javascript:alert(1)',
    '/essays/a\nSet-Cookie: x',
    '/essays/\u0000',
    '/essays/\t',
    '/essays/\u0085',
    `/${'a'.repeat(2000)}`,
  ])('refuses %j as BAD_USER_INPUT on returnTo', (path) => {
    expect(() => returnPath(path)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'returnTo' } }),
    );
  });
});
describe('safeReturnPath', () => {
  it.each([
    ['/essays/designing-systems', '/essays/designing-systems'],
    ['/essays/a?prompt=1#conversation', '/essays/a?prompt=1#conversation'],
    ['/', '/'],
  ])('keeps a path of this site: %s', (value, expected) => {
    expect(safeReturnPath(value)).toBe(expected);
  });

  it.each([
    '//evil.example',
    '//evil.example/essays/a',
    '/\\evil.example',
    '/\\/evil.example',
    '\\\\evil.example',
    'https://evil.example',
    'http:/evil.example',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'essays/a',
    '/\t/evil.example',
    '/\n/evil.example',
    '/essays/a\u0000',
    '',
    '/' + 'a'.repeat(2001),
    undefined,
    ['/essays/a'],
  ])('sends anything else to /: %j', (value) => {
    expect(safeReturnPath(value)).toBe('/');
  });
});
