import { safeReturnPath } from './return-path.js';

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
