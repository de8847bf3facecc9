import { Inject, Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadUserInput } from '../common/errors.js';
import { isUuid } from '../common/uuid.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';

/**
 * What a link token is for: confirming or managing (and unsubscribing from) a
 * digest subscription, or stopping reply emails or the author's review digest.
 */
export type LinkPurpose = 'confirm' | 'manage' | 'replies' | 'review';

export class InvalidLink extends BadUserInput {
  constructor() {
    super('This link is not valid. Use the newest link we sent you.', 'token');
  }
}

/**
 * Signed tokens for email links. A token names its row and is bound to the
 * address it was sent to: it does not expire, cannot be guessed, and stops
 * working for any other address.
 */
@Injectable()
export class LinkTokens {
  constructor(@Inject(APP_CONFIG) private readonly config: RuntimeConfig) {}

  sign(purpose: LinkPurpose, id: string, email: string): string {
    return `${Buffer.from(id).toString('base64url')}.${this.signature(purpose, id, email)}`;
  }

  /** The id a token names; check it with `matches` once the row is loaded. */
  idOf(token: unknown): string {
    if (typeof token !== 'string' || token.length > 200) throw new InvalidLink();
    const [encodedId, signature] = token.split('.');
    if (!encodedId || !signature) throw new InvalidLink();
    const id = Buffer.from(encodedId, 'base64url').toString('utf8');
    if (!isUuid(id)) throw new InvalidLink();
    return id;
  }

  matches(purpose: LinkPurpose, token: string, id: string, email: string): boolean {
    const given = Buffer.from(token.split('.')[1] ?? '');
    const expected = Buffer.from(this.signature(purpose, id, email));
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private signature(purpose: LinkPurpose, id: string, email: string): string {
    return createHmac('sha256', this.config.jwtSecret)
      .update(`link:${purpose}:${id}:${email.toLowerCase()}`)
      .digest('base64url')
      .slice(0, 32);
  }
}
