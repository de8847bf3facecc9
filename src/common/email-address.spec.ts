import { normalizeEmail } from './email-address.js';

describe('normalizeEmail', () => {
  it.each([
    ['reader@example.org', 'reader@example.org'],
    ['  Reader@Example.ORG  ', 'reader@example.org'],
    ['first.last+tag@sub.example.co.uk', 'first.last+tag@sub.example.co.uk'],
    ["o'brien@example.org", "o'brien@example.org"],
    ['a_b-c=d@example-domain.org', 'a_b-c=d@example-domain.org'],
    ['jane@bücher.example', 'jane@xn--bcher-kva.example'],
    ['x@xn--bcher-kva.example', 'x@xn--bcher-kva.example'],
  ])('takes %j as %j', (raw, expected) => {
    expect(normalizeEmail(raw)).toBe(expected);
  });

  it.each([
    '',
    'not-an-email',
    'a@b',
    '@example.org',
    'reader@',
    'two@at@example.org',
    'x<victim@example.org>',
    'Victim <victim@example.org>',
    '<victim@example.org>',
    '(c)victim@example.org',
    'victim@example.org(c)',
    'victim(c)@example.org',
    'a@b.example,c@d.example',
    'a@b.example,c',
    'a@b.example;x',
    'a@b.example; c@d.example',
    '"victim"@example.org',
    '"a b"@example.org',
    'victim@example.org"',
    'a b@example.org',
    'a@exa mple.org',
    'a\t@example.org',
    'a@example.org\n',
    'a@example.org\r\nBcc: x@y.example',
    'a\u0000@example.org',
    'a@example.org\u0000',
    'a@example.org\u007f',
    'a..b@example.org',
    '.a@example.org',
    'a.@example.org',
    'a%b@example.org',
    'a!b@example.org',
    'a\\b@example.org',
    'a@[127.0.0.1]',
    'a@127.0.0.1',
    'a@-example.org',
    'a@example-.org',
    'a@example..org',
    'a@example.org.',
    'a@exa_mple.org',
    'a@example.org\u200b',
    'ä@example.org',
    `${'a'.repeat(65)}@example.org`,
    `a@${'b'.repeat(64)}.org`,
    `a@${'b.'.repeat(130)}org`,
  ])('refuses %j as BAD_USER_INPUT on email', (raw) => {
    expect(() => normalizeEmail(raw)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'email' } }),
    );
  });

  it('names the field it is given', () => {
    expect(() => normalizeEmail('x<v@example.org>', 'contactEmail')).toThrow(
      expect.objectContaining({ details: { field: 'contactEmail' } }),
    );
  });

  it('refuses what is not a string', () => {
    expect(() => normalizeEmail(undefined)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
  });
});
