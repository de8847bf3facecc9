import { UserRole } from './user.entity.js';
import { chosenDisplayName, neutralDisplayName } from './display-name.js';

describe('chosenDisplayName', () => {
  it.each([
    ['Jane Smith', 'Jane Smith'],
    ['  Jane  ', 'Jane'],
    ['x', 'x'],
    ['李小龙', '李小龙'],
    ['👩‍💻 Ada', '👩‍💻 Ada'],
    ['e\u0301lan', 'élan'],
    ['a'.repeat(60), 'a'.repeat(60)],
    ['🙂'.repeat(60), '🙂'.repeat(60)],
  ])('takes %j as %j', (input, expected) => {
    expect(chosenDisplayName(input)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    '\t\n',
    'a'.repeat(61),
    'Jane\u0000',
    'Jane\nSmith',
    'Jane\u0007',
    'Jane\u007f',
    'Jane\u0085',
    'evil\u202erohtua',
    'a\u202ab',
    'a\u202bb',
    'a\u202cb',
    'a\u202db',
    'a\u2066b',
    'a\u2067b',
    'a\u2068b',
    'a\u2069b',
    'a\u200eb',
    'a\u200fb',
    'a\u061cb',
    'a\u2028b',
    'The\u200bauthor',
    'Ja\ufeffne',
  ])('refuses %j as BAD_USER_INPUT on displayName', (input) => {
    expect(() => chosenDisplayName(input)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'displayName' } }),
    );
  });
});

describe('neutralDisplayName', () => {
  it('names a reader "Reader" and four digits, and the author "The author"', () => {
    expect(neutralDisplayName(UserRole.READER)).toMatch(/^Reader \d{4}$/);
    expect(neutralDisplayName(UserRole.AUTHOR)).toBe('The author');
  });
});
