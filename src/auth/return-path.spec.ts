import { returnPath } from './return-path.js';

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
