import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock } from '../common/clock.js';
import { BadUserInput } from '../common/errors.js';
import { RateLimits, type RateRule } from '../common/rate-limits.js';
import { isUuid } from '../common/uuid.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { isUniqueViolation } from '../database/unique-violation.js';
import { EssaysRepository } from '../essays/essays.repository.js';
import { EventType } from '../events/event.entity.js';
import { EventsService } from '../events/events.service.js';
import { DeliveriesService } from '../mail/deliveries.service.js';
import { skipUnclaimedForSubscription } from '../mail/delivery-skips.js';
import { DeliveryKind } from '../mail/delivery.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { normalizeEmail } from '../common/email-address.js';
import {
  DigestFrequency,
  DigestScope,
  DigestSubscriptionEntity,
  SubscriptionStatus,
} from './digest-subscription.entity.js';
import { SubscriptionScopeTaken } from './digests.errors.js';
import { InvalidLink, LinkTokens } from '../mail/link-tokens.js';
import { isTimeZone } from './slots.js';

export interface SubscriptionPreferences {
  scope?: DigestScope | null;
  essayId?: string | null;
  frequency?: DigestFrequency | null;
  timezone?: string | null;
  sendHour?: number | null;
  /** ISO weekday, 1–7. */
  weekday?: number | null;
}

/** Digest subscriptions: double opt-in, preferences, and unsubscribing that takes effect at once. */
@Injectable()
export class SubscriptionsService {
  private readonly perEmail: RateRule;
  private readonly perClient: RateRule;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: RuntimeConfig,
    private readonly deliveries: DeliveriesService,
    private readonly tokens: LinkTokens,
    private readonly rateLimits: RateLimits,
    private readonly clock: Clock,
    private readonly events: EventsService,
    private readonly essays: EssaysRepository,
  ) {
    const limits = config.rateLimits;
    this.perEmail = {
      name: 'subscribe-email',
      points: limits.subscribePerEmailPerHour,
      durationSeconds: 3600,
    };
    this.perClient = {
      name: 'subscribe-client',
      points: limits.subscribePerClientPerHour,
      durationSeconds: 3600,
    };
  }

  /**
   * Subscribes an address. A confirmed subscription in that scope is never
   * changed here (preferences change only with its manage token): its owner
   * gets a "manage your subscription" email instead, at most one per clock
   * hour. Unconfirmed ones take the preferences and get a confirmation
   * email. Answers nothing either way, so it reveals nothing.
   */
  async subscribe(
    email: string,
    preferences: SubscriptionPreferences,
    clientKey: string,
  ): Promise<void> {
    const address = normalizeEmail(email);
    const wanted = await this.validPreferences(preferences, null);
    await this.rateLimits.consume(this.perClient, clientKey);
    await this.rateLimits.consume(this.perEmail, address);
    const deliveryId = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(DigestSubscriptionEntity);
      await manager.query(
        `INSERT INTO digest_subscriptions (email, scope, essay_id, scope_key, frequency, timezone, send_hour, weekday)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (email, scope_key) DO NOTHING`,
        [
          address,
          wanted.scope,
          wanted.essayId,
          wanted.scopeKey,
          wanted.frequency,
          wanted.timezone,
          wanted.sendHour,
          wanted.weekday,
        ],
      );
      const subscription = await repository
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .where('s.email = :address AND s.scope_key = :scopeKey', {
          address,
          scopeKey: wanted.scopeKey,
        })
        .getOneOrFail();
      if (subscription.status === SubscriptionStatus.CONFIRMED) {
        const hour = new Date(Math.floor(this.clock.now().getTime() / 3_600_000) * 3_600_000);
        return this.deliveries.decide(manager, {
          kind: DeliveryKind.SUBSCRIPTION_MANAGE,
          recipient: address,
          reasonKey: `manage:${subscription.id}:${hour.toISOString()}`,
          subscriptionId: subscription.id,
        });
      }
      Object.assign(subscription, {
        frequency: wanted.frequency,
        timezone: wanted.timezone,
        sendHour: wanted.sendHour,
        weekday: wanted.weekday,
      });
      subscription.status = SubscriptionStatus.PENDING;
      subscription.confirmationRequests += 1;
      await repository.save(subscription);
      return this.deliveries.decide(manager, {
        kind: DeliveryKind.SUBSCRIPTION_CONFIRM,
        recipient: address,
        reasonKey: `confirm:${subscription.id}:${subscription.confirmationRequests}`,
        subscriptionId: subscription.id,
      });
    });
    if (deliveryId) await this.deliveries.enqueue([deliveryId]);
  }

  /** Confirms by the emailed link; confirming twice changes nothing. */
  async confirm(token: string): Promise<DigestSubscriptionEntity> {
    return this.dataSource.transaction(async (manager) => {
      const subscription = await this.lockByToken(manager, 'confirm', token);
      if (subscription.status === SubscriptionStatus.CONFIRMED) return subscription;
      if (subscription.status === SubscriptionStatus.UNSUBSCRIBED) {
        throw new BadUserInput(
          'This subscription was cancelled. Subscribe again to get a new link.',
          'token',
        );
      }
      const now = this.clock.now();
      Object.assign(subscription, {
        status: SubscriptionStatus.CONFIRMED,
        confirmedAt: now,
        windowStart: now,
      });
      await this.events.record(manager, {
        type: EventType.SUBSCRIPTION_CONFIRMED,
        essayId: subscription.essayId,
        subjectId: subscription.id,
      });
      return manager.getRepository(DigestSubscriptionEntity).save(subscription);
    });
  }

  /**
   * Unsubscribes at once: every email still pending for this subscription
   * and not yet claimed by a worker is skipped in the same transaction; none
   * is claimed after this commits. One a worker claimed before (composing or
   * sending it, a few milliseconds from SMTP) goes out, once, recorded as
   * SENT. Never waits for a send. Idempotent.
   */
  async unsubscribe(token: string): Promise<DigestSubscriptionEntity> {
    return this.dataSource.transaction(async (manager) => {
      const subscription = await this.lockByToken(manager, 'manage', token);
      if (subscription.status !== SubscriptionStatus.UNSUBSCRIBED) {
        Object.assign(subscription, {
          status: SubscriptionStatus.UNSUBSCRIBED,
          unsubscribedAt: this.clock.now(),
        });
        await manager.getRepository(DigestSubscriptionEntity).save(subscription);
      }
      await skipUnclaimedForSubscription(manager, subscription.id, 'unsubscribed');
      return subscription;
    });
  }

  async update(
    token: string,
    preferences: SubscriptionPreferences,
  ): Promise<DigestSubscriptionEntity> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const subscription = await this.lockByToken(manager, 'manage', token);
        const wanted = await this.validPreferences(preferences, subscription);
        Object.assign(subscription, wanted);
        return manager.getRepository(DigestSubscriptionEntity).save(subscription);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'digest_subscriptions_email_scope_key'))
        throw new SubscriptionScopeTaken();
      throw error;
    }
  }

  /** The subscriptions of the signed-in user's address. */
  mine(user: UserEntity): Promise<DigestSubscriptionEntity[]> {
    return this.dataSource
      .getRepository(DigestSubscriptionEntity)
      .find({ where: { email: user.email }, order: { createdAt: 'ASC' } });
  }

  findById(id: string): Promise<DigestSubscriptionEntity | null> {
    return this.dataSource.getRepository(DigestSubscriptionEntity).findOneBy({ id });
  }

  findByIds(ids: readonly string[]): Promise<DigestSubscriptionEntity[]> {
    return this.dataSource.getRepository(DigestSubscriptionEntity).findBy({ id: In([...ids]) });
  }

  manageToken(subscription: DigestSubscriptionEntity): string {
    return this.tokens.sign('manage', subscription.id, subscription.email);
  }

  confirmToken(subscription: DigestSubscriptionEntity): string {
    return this.tokens.sign('confirm', subscription.id, subscription.email);
  }

  /** The subscription a manage link names, for showing the manage page. */
  async byManageToken(token: string): Promise<DigestSubscriptionEntity> {
    const id = this.tokens.idOf(token);
    const subscription = await this.findById(id);
    if (!subscription || !this.tokens.matches('manage', token, id, subscription.email))
      throw new InvalidLink();
    return subscription;
  }

  private async lockByToken(
    manager: EntityManager,
    purpose: 'confirm' | 'manage',
    token: string,
  ): Promise<DigestSubscriptionEntity> {
    const id = this.tokens.idOf(token);
    const subscription = await manager
      .getRepository(DigestSubscriptionEntity)
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .where('s.id = :id', { id })
      .getOne();
    if (!subscription || !this.tokens.matches(purpose, token, id, subscription.email))
      throw new InvalidLink();
    return subscription;
  }

  private async validPreferences(
    preferences: SubscriptionPreferences,
    current: DigestSubscriptionEntity | null,
  ): Promise<
    Pick<
      DigestSubscriptionEntity,
      'scope' | 'essayId' | 'scopeKey' | 'frequency' | 'timezone' | 'sendHour' | 'weekday'
    >
  > {
    const scope = preferences.scope ?? current?.scope ?? DigestScope.ALL_ESSAYS;
    const essayId =
      scope === DigestScope.ESSAY ? (preferences.essayId ?? current?.essayId ?? null) : null;
    if (scope === DigestScope.ESSAY) {
      if (!essayId)
        throw new BadUserInput('essayId is required for an ESSAY subscription.', 'essayId');
      const [essay] = isUuid(essayId) ? await this.essays.findPublished([essayId]) : [];
      if (!essay) {
        throw new BadUserInput('There is no published essay with that id.', 'essayId');
      }
    }
    const timezone = (preferences.timezone ?? current?.timezone ?? 'UTC').trim();
    if (!isTimeZone(timezone)) {
      throw new BadUserInput(
        `"${timezone}" is not an IANA time zone (e.g. Europe/Paris).`,
        'timezone',
      );
    }
    const sendHour = preferences.sendHour ?? current?.sendHour ?? 8;
    if (!Number.isInteger(sendHour) || sendHour < 0 || sendHour > 23) {
      throw new BadUserInput('sendHour must be a whole hour from 0 to 23.', 'sendHour');
    }
    const weekday = preferences.weekday ?? current?.weekday ?? 1;
    return {
      scope,
      essayId,
      scopeKey: essayId ?? 'ALL',
      frequency: preferences.frequency ?? current?.frequency ?? DigestFrequency.DAILY,
      timezone,
      sendHour,
      weekday,
    };
  }
}
