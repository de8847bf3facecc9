import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { BadUserInput, DomainError } from '../common/errors.js';
import { RateLimits, type RateRule } from '../common/rate-limits.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { DeliveriesService } from '../mail/deliveries.service.js';
import { DeliveryKind } from '../mail/delivery.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { normalizeEmail, UsersService } from '../users/users.service.js';
import { SessionTokens } from './session-tokens.js';
import { SignInTokenEntity } from './sign-in-token.entity.js';

export interface SignedIn {
  token: string;
  user: UserEntity;
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly perEmail: RateRule;
  private readonly perClient: RateRule;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly tokens: SessionTokens,
    private readonly users: UsersService,
    private readonly deliveries: DeliveriesService,
    private readonly rateLimits: RateLimits,
    private readonly clock: Clock,
  ) {
    this.perEmail = {
      name: 'sign-in-email',
      points: config.rateLimits.signInPerEmailPerHour,
      durationSeconds: 3600,
    };
    this.perClient = {
      name: 'sign-in-client',
      points: config.rateLimits.signInPerClientPerHour,
      durationSeconds: 3600,
    };
  }

  /**
   * Emails a one-time sign-in link. Answers the same whether or not an account
   * exists; the account is made when the link is used.
   */
  async requestSignIn(email: string, clientKey: string): Promise<void> {
    const normalized = normalizeEmail(email);
    await this.rateLimits.consume(this.perClient, clientKey);
    await this.rateLimits.consume(this.perEmail, normalized);
    const deliveryId = await this.dataSource.transaction(async (manager) => {
      const token = manager.getRepository(SignInTokenEntity).create({
        email: normalized,
        expiresAt: new Date(
          this.clock.now().getTime() + this.config.signInTokenTtlMinutes * 60_000,
        ),
        usedAt: null,
      });
      // The id decides the secret, so the row is written once its id is known.
      token.id = crypto.randomUUID();
      token.tokenHash = SessionTokens.hash(this.tokens.signInSecret(token.id));
      await manager.getRepository(SignInTokenEntity).insert(token);
      return this.deliveries.decide(manager, {
        kind: DeliveryKind.SIGN_IN,
        recipient: normalized,
        reasonKey: token.id,
      });
    });
    if (deliveryId) await this.deliveries.enqueue([deliveryId]);
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
    return { token: await this.tokens.issue(user.id), user };
  }

  /** The link emailed for a token row (the worker calls this while composing). */
  signInLink(tokenId: string): string {
    return `${this.config.publicUrl}/sign-in?token=${encodeURIComponent(this.tokens.signInSecret(tokenId))}`;
  }
}

export class InvalidSignInLink extends DomainError {
  readonly code = 'UNAUTHENTICATED' as const;
  constructor() {
    super('This sign-in link has expired or was already used. Ask for a new one.');
  }
}
