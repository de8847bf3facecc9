import type { RuntimeConfig } from '../config/runtime.js';
import { clearedDeskSessionCookies, deskSessionCookies, readCookie } from './session-cookie.js';

const config = (publicUrl: string) => ({ publicUrl, sessionTtlDays: 30 }) as RuntimeConfig;

describe("the desk's session cookie", () => {
  it('is Secure when PUBLIC_URL is https, and lives as long as a session', () => {
    for (const line of deskSessionCookies('t.o.k', config('https://talk.example.org')))
      expect(line).toMatch(
        /^rizom_desk=t\.o\.k; Path=\/(essays|account); HttpOnly; SameSite=Strict; Max-Age=2592000; Secure$/,
      );
    for (const line of deskSessionCookies('t', config('http://127.0.0.1:3000')))
      expect(line).not.toContain('Secure');
    expect(clearedDeskSessionCookies(config('https://talk.example.org'))).toEqual([
      'rizom_desk=; Path=/essays; HttpOnly; SameSite=Strict; Max-Age=0; Secure',
      'rizom_desk=; Path=/account; HttpOnly; SameSite=Strict; Max-Age=0; Secure',
    ]);
  });

  it('is read from a Cookie header by name, and only by name', () => {
    expect(readCookie('a=1; rizom_desk=x.y=; b=2', 'rizom_desk')).toBe('x.y=');
    expect(readCookie('not_rizom_desk=x', 'rizom_desk')).toBeUndefined();
    expect(readCookie('rizom_desk=', 'rizom_desk')).toBeUndefined();
    expect(readCookie(undefined, 'rizom_desk')).toBeUndefined();
  });
});
