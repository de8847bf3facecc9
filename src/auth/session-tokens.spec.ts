import type { RuntimeConfig } from '../config/runtime.js';
import { FixedClock } from '../common/clock.js';
import { SessionTokens } from './session-tokens.js';

const USER = { id: '6f1c1b36-8f49-4d6e-9a57-3f0c4f2d9e11', sessionVersion: 3 };
const config = {
  jwtSecret: 'a-secret-of-the-tests-thirty-two-chars',
  sessionTtlDays: 30,
} as RuntimeConfig;

describe('session tokens', () => {
  it('verifies a token again from memory, and still ends it when its time is up', async () => {
    const clock = new FixedClock(new Date('2026-12-02T10:00:00Z'));
    const tokens = new SessionTokens(config, clock);
    const token = await tokens.issue(USER);
    const session = { userId: USER.id, sessionVersion: 3 };
    expect(await tokens.verify(token)).toEqual(session);
    expect(await tokens.verify(token)).toEqual(session);

    // exp is issued-at + 30 days: a second before it the token holds, at it the token ends.
    clock.set(new Date(Date.parse('2026-12-02T10:00:00Z') + 30 * 86_400_000 - 1000));
    expect(await tokens.verify(token)).toEqual(session);
    clock.set(new Date(Date.parse('2026-12-02T10:00:00Z') + 30 * 86_400_000));
    await expect(tokens.verify(token)).rejects.toThrow('The session has expired. Sign in again.');
    // Forgotten once ended: a fresh verifier (another process) says the same.
    await expect(tokens.verify(token)).rejects.toThrow('The session has expired. Sign in again.');
    await expect(new SessionTokens(config, clock).verify(token)).rejects.toThrow(
      'The session has expired. Sign in again.',
    );
  });

  it('refuses a token that differs from a verified one by its signature or its claims', async () => {
    const clock = new FixedClock(new Date('2026-12-02T10:00:00Z'));
    const tokens = new SessionTokens(config, clock);
    const token = await tokens.issue(USER);
    await tokens.verify(token);
    const [header, claims, signature] = token.split('.') as [string, string, string];
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    await expect(tokens.verify(`${header}.${claims}.${flipped}`)).rejects.toThrow(
      'The session token is not valid.',
    );
    const otherClaims = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(claims, 'base64url').toString()), sv: 4 }),
    ).toString('base64url');
    await expect(tokens.verify(`${header}.${otherClaims}.${signature}`)).rejects.toThrow(
      'The session token is not valid.',
    );
    const otherKey = new SessionTokens(
      { ...config, jwtSecret: 'another-secret-thirty-two-chars-long' },
      clock,
    );
    await expect(otherKey.verify(token)).rejects.toThrow('The session token is not valid.');
  });
});
