import { isUniqueViolation } from './unique-violation.js';

describe('isUniqueViolation', () => {
  it('names the constraint PostgreSQL refused', () => {
    const error = { code: '23505', constraint: 'essays_slug_key' };
    expect(isUniqueViolation(error, 'essays_slug_key')).toBe(true);
    expect(isUniqueViolation(error, 'digest_subscriptions_email_scope_key')).toBe(false);
  });

  it('falls back to the message when the driver gives no constraint', () => {
    const error = { code: '23505', message: 'duplicate key value violates "essays_slug_key"' };
    expect(isUniqueViolation(error, 'essays_slug_key')).toBe(true);
  });

  it('is false for other errors', () => {
    expect(
      isUniqueViolation({ code: '23503', constraint: 'essays_slug_key' }, 'essays_slug_key'),
    ).toBe(false);
    expect(isUniqueViolation(new Error('essays_slug_key'), 'essays_slug_key')).toBe(false);
    expect(isUniqueViolation(undefined, 'essays_slug_key')).toBe(false);
  });
});
