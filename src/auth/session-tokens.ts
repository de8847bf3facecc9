import { Inject, Injectable } from '@nestjs/common';
import { createHash, createHmac } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { Unauthenticated } from '../common/errors.js';
import { Clock } from '../common/clock.js';
import { isUuid } from '../common/uuid.js';

const ISSUER = 'rizom-conversations';
/** Tokens whose signature was checked, kept per process: a signed-in reader sends the same one on every request. */
const VERIFIED_TOKENS = 10_000;

/** Who a valid session token stands for, and the session version it was issued at. */
export interface Session {
  userId: string;
  sessionVersion: number;
}

/**
 * Session JWTs, and the one-time sign-in secrets derived from a token row id
 * (so the database keeps only hashes and the mail worker can still write the link).
 */
@Injectable()
export class SessionTokens {
  private readonly key: Uint8Array;
  /** Sessions of tokens already verified, with their `exp` (seconds): verifying is a quarter of a cheap read's CPU. */
  private readonly verified = new LRUCache<string, { session: Session; expiresAt: number }>({
    max: VERIFIED_TOKENS,
  });

  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(config.jwtSecret);
  }

  async issue(user: { id: string; sessionVersion: number }): Promise<string> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({ sv: user.sessionVersion })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setIssuedAt(now)
      .setExpirationTime(now + this.config.sessionTtlDays * 86_400)
      .sign(this.key);
  }

  /**
   * The session a token stands for; Unauthenticated when it is not valid. A
   * token without `exp` never ends, so it is refused; one without `sv` was
   * issued before session versions and counts as version 0.
   */
  async verify(token: string): Promise<Session> {
    const known = this.verified.get(token);
    if (known) {
      // What jose checks of a token it has verified before: only the time can have changed.
      if (known.expiresAt <= Math.floor(this.clock.now().getTime() / 1000)) {
        this.verified.delete(token);
        throw new Unauthenticated('The session has expired. Sign in again.');
      }
      return known.session;
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub'],
        currentDate: this.clock.now(),
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new Unauthenticated('The session has expired. Sign in again.');
      }
      throw new Unauthenticated('The session token is not valid.');
    }
    const version = payload.sv ?? 0;
    if (!isUuid(payload.sub ?? '') || !Number.isSafeInteger(version) || Number(version) < 0) {
      throw new Unauthenticated('The session token is not valid.');
    }
    const session = Object.freeze({ userId: payload.sub!, sessionVersion: version as number });
    this.verified.set(token, { session, expiresAt: payload.exp! });
    return session;
  }

  signInSecret(tokenId: string): string {
    return createHmac('sha256', this.config.jwtSecret)
      .update(`sign-in:${tokenId}`)
      .digest('base64url');
  }

  /** The 6-digit code emailed with a token row's link, derived like its secret. */
  signInCode(tokenId: string): string {
    const digest = createHmac('sha256', this.config.jwtSecret)
      .update(`sign-in-code:${tokenId}`)
      .digest();
    return String(digest.readUIntBE(0, 6) % 1_000_000).padStart(6, '0');
  }

  /**
   * What is stored of a code: keyed, since a million codes are searched in a
   * moment without the key; bound to the address the code was sent to.
   */
  codeHash(email: string, code: string): string {
    return createHmac('sha256', this.config.jwtSecret)
      .update(`sign-in-code-hash:${email}:${code}`)
      .digest('hex');
  }

  static hash(secret: string): string {
    return createHash('sha256').update(secret).digest('hex');
  }
}
