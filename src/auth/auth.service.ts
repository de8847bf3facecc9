import { Inject, Injectable, Logger } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock } from '../common/clock.js';
import { BadUserInput, DomainError, Unauthenticated } from '../common/errors.js';
import { RateLimits, type RateRule } from '../common/rate-limits.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { DeliveriesService } from '../mail/deliveries.service.js';
import { DeliveryKind } from '../mail/delivery.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { normalizeEmail } from '../common/email-address.js';
import { UsersService } from '../users/users.service.js';
import { returnPath } from './return-path.js';
import { SessionTokens } from './session-tokens.js';
import { SignInTokenEntity } from './sign-in-token.entity.js';

/** Wrong codes a sign-in takes before its code stops working. */
export const MAX_CODE_TRIES = 5;

export interface SignedIn {
  token: string;
  user: UserEntity;
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly perEmail: RateRule;
  private readonly perClient: RateRule;
  private readonly mailsPerEmail: RateRule;
  /** Past an address's mail cap, at most one sign-in email per this many minutes. */
  readonly throttleMinutes: number;
  private readonly codeTriesPerEmail: RateRule;
  private readonly codeTriesPerClient: RateRule;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly tokens: SessionTokens,
    private readonly users: UsersService,
    private readonly deliveries: DeliveriesService,
    private readonly rateLimits: RateLimits,
    private readonly clock: Clock,
  ) {
    // Per address from one client: see requestSignIn.
    this.perEmail = {
      name: 'sign-in-email-client',
      points: config.rateLimits.signInPerEmailPerHour,
      durationSeconds: 3600,
    };
    this.perClient = {
      name: 'sign-in-client',
      points: config.rateLimits.signInPerClientPerHour,
      durationSeconds: 3600,
    };
    this.mailsPerEmail = {
      name: 'sign-in-mails-email',
      points: config.rateLimits.signInMailsPerEmailPerHour,
      durationSeconds: 3600,
    };
    this.throttleMinutes = Math.min(5, config.signInTokenTtlMinutes);
    this.codeTriesPerEmail = {
      name: 'sign-in-code-email',
      points: config.rateLimits.signInCodeTriesPerHour,
      durationSeconds: 3600,
    };
    this.codeTriesPerClient = {
      name: 'sign-in-code-client',
      points: config.rateLimits.signInPerClientPerHour,
      durationSeconds: 3600,
    };
  }

  /**
   * Emails a one-time sign-in link and code. Answers the same whether or not
   * an account exists; the account is made when the link or code is used.
   *
   * Limits are keyed so that no one can lock an address's owner out: each
   * client has its own allowance per address (and one overall), so requests
   * from elsewhere never refuse the owner's. What protects the inbox is the
   * address's mail cap: past it, requests still answer true, but at most one
   * email goes out per throttle window (shorter than a link's lifetime), so
   * the owner always has a recent, working link in their inbox.
   */
  async requestSignIn(email: string, clientKey: string, returnTo?: string | null): Promise<void> {
    const normalized = normalizeEmail(email);
    const back = returnPath(returnTo);
    await this.rateLimits.consume(this.perClient, clientKey);
    await this.rateLimits.consume(this.perEmail, `${normalized} ${clientKey}`);
    const withinCap = await this.rateLimits.tryConsume(this.mailsPerEmail, normalized);
    const deliveryId = await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      // Past the cap, one email per window: the ledger row for the window decides who sends it.
      const reasonKey = withinCap ? crypto.randomUUID() : this.throttleWindowKey(now);
      const decided = await this.deliveries.decide(manager, {
        kind: DeliveryKind.SIGN_IN,
        recipient: normalized,
        reasonKey,
      });
      if (!decided) return null;
      const token = manager.getRepository(SignInTokenEntity).create({
        // Within the cap the token row and its email share the id.
        id: withinCap ? reasonKey : crypto.randomUUID(),
        email: normalized,
        expiresAt: new Date(now.getTime() + this.config.signInTokenTtlMinutes * 60_000),
        usedAt: null,
        returnTo: back,
      });
      // The id decides the secret and the code.
      token.tokenHash = SessionTokens.hash(this.tokens.signInSecret(token.id));
      token.codeHash = this.tokens.codeHash(normalized, this.tokens.signInCode(token.id));
      await manager.getRepository(SignInTokenEntity).insert(token);
      return decided;
    });
    if (deliveryId) await this.deliveries.enqueue([deliveryId]);
  }

  /** The ledger key of the throttle window `now` falls in (past an address's mail cap). */
  private throttleWindowKey(now: Date): string {
    const windowMs = this.throttleMinutes * 60_000;
    return `window:${new Date(Math.floor(now.getTime() / windowMs) * windowMs).toISOString()}`;
  }

  /** Exchanges a one-time token for a session; the token is used up. */
  async signIn(secret: string): Promise<SignedIn> {
    if (typeof secret !== 'string' || secret.length < 20 || secret.length > 200) {
      throw new BadUserInput('That sign-in link is not valid.', 'token');
    }
    const user = await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const claimed = await manager
        .createQueryBuilder()
        .update(SignInTokenEntity)
        .set({ usedAt: now })
        .where('token_hash = :hash AND used_at IS NULL AND expires_at > :now', {
          hash: SessionTokens.hash(secret),
          now,
        })
        .returning(['email'])
        .execute();
      const email = (claimed.raw as { email: string }[])[0]?.email;
      if (!email) throw new InvalidSignInLink();
      return this.users.findOrCreateReader(email, manager);
    });
    this.logger.log(`user ${user.id} signed in`);
    return { token: await this.tokens.issue(user), user };
  }

  /**
   * Signs in with the 6-digit code from the email. Wrong, expired, used and
   * unknown all answer the same; every wrong code counts against each live
   * code of the address, and a code dies at its fifth wrong try.
   */
  async signInWithCode(email: string, code: string, clientKey: string): Promise<SignedIn> {
    const normalized = normalizeEmail(email);
    const digits = code.replace(/[\s-]/g, '');
    if (!/^\d{6}$/.test(digits)) {
      throw new BadUserInput('The code is the 6 digits from the sign-in email.', 'code');
    }
    await this.rateLimits.consume(this.codeTriesPerClient, clientKey);
    // Per address from this client: someone guessing elsewhere never locks the owner out.
    await this.rateLimits.consume(this.codeTriesPerEmail, `${normalized} ${clientKey}`);
    const hash = Buffer.from(this.tokens.codeHash(normalized, digits), 'hex');
    const user = await this.dataSource.transaction(async (manager) => {
      const tokens = manager.getRepository(SignInTokenEntity);
      // Locked, so concurrent guesses at one address are counted one after another.
      const live = await tokens
        .createQueryBuilder('token')
        .setLock('pessimistic_write')
        .where('token.email = :email', { email: normalized })
        .andWhere('token.used_at IS NULL AND token.expires_at > :now', { now: this.clock.now() })
        .andWhere('token.code_hash IS NOT NULL AND token.failed_code_attempts < :max', {
          max: MAX_CODE_TRIES,
        })
        .getMany();
      const match = live.find((token) =>
        timingSafeEqual(Buffer.from(token.codeHash!, 'hex'), hash),
      );
      if (!match) {
        if (live.length) {
          await tokens.increment(
            { id: In(live.map((token) => token.id)) },
            'failedCodeAttempts',
            1,
          );
        }
        return null;
      }
      await tokens.update(match.id, { usedAt: this.clock.now() });
      return this.users.findOrCreateReader(normalized, manager);
    });
    if (!user) throw new InvalidSignInCode();
    this.logger.log(`user ${user.id} signed in with a code`);
    return { token: await this.tokens.issue(user), user };
  }

  /** The user a session token stands for; Unauthenticated when it is not valid, or signed out. */
  async userForSession(token: string): Promise<UserEntity> {
    const session = await this.tokens.verify(token);
    const user = await this.users.findById(session.userId);
    if (!user) throw new Unauthenticated('The account for this session no longer exists.');
    if (user.sessionVersion !== session.sessionVersion) {
      throw new Unauthenticated('This session was signed out. Sign in again.');
    }
    return user;
  }

  /** Ends every session of the user: tokens issued before now stop working everywhere. */
  async signOut(user: UserEntity): Promise<void> {
    await this.users.bumpSessionVersion(user.id);
    this.logger.log(`user ${user.id} signed out everywhere`);
  }

  /**
   * Whether a viewer resolved earlier (a graphql-ws subscription's) is still
   * signed in: long-lived subscriptions check it before private events.
   */
  async stillSignedIn(viewer: UserEntity): Promise<boolean> {
    const current = await this.users.findById(viewer.id);
    return current !== null && current.sessionVersion === viewer.sessionVersion;
  }

  /** For a deleted account: every sign-in link and code of the address goes. */
  async forgetSignInTokens(manager: EntityManager, email: string): Promise<void> {
    await manager.getRepository(SignInTokenEntity).delete({ email });
  }

  /** The link emailed for a token row (the worker calls this while composing). */
  signInLink(token: Pick<SignInTokenEntity, 'id' | 'returnTo'>): string {
    const secret = encodeURIComponent(this.tokens.signInSecret(token.id));
    const back = token.returnTo
      ? `&return=${encodeURIComponent(token.returnTo).replace(/%2F/g, '/')}`
      : '';
    return `${this.config.publicUrl}/sign-in?token=${secret}${back}`;
  }

  /** The code emailed with a token row's link. */
  signInCode(tokenId: string): string {
    return this.tokens.signInCode(tokenId);
  }
}

export class InvalidSignInCode extends BadUserInput {
  constructor() {
    super(
      'That code is wrong, has expired or was already used. Check the latest sign-in email, or request a new code.',
      'code',
    );
  }
}

export class InvalidSignInLink extends DomainError {
  readonly code = 'UNAUTHENTICATED' as const;
  constructor() {
    super('This sign-in link has expired or was already used. Ask for a new one.');
  }
}
