import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AccountData,
  type AccountDataContributor,
  type AccountErasure,
} from '../account/account-data.js';
import type { UserEntity } from '../users/user.entity.js';
import { DigestSubscriptionEntity } from './digest-subscription.entity.js';

/** The digest subscriptions of the account's address; removed with the account. */
@Injectable()
export class SubscriptionAccountData implements AccountDataContributor, OnModuleInit {
  readonly key = 'subscriptions';

  constructor(private readonly accountData: AccountData) {}

  onModuleInit(): void {
    this.accountData.contribute(this);
  }

  async export(manager: EntityManager, user: UserEntity): Promise<unknown> {
    const subscriptions = await manager
      .getRepository(DigestSubscriptionEntity)
      .find({ where: { email: user.email }, order: { createdAt: 'ASC' } });
    return subscriptions.map((subscription) => ({
      id: subscription.id,
      email: subscription.email,
      scope: subscription.scope,
      essayId: subscription.essayId,
      frequency: subscription.frequency,
      timezone: subscription.timezone,
      sendHour: subscription.sendHour,
      weekday: subscription.weekday,
      status: subscription.status,
      confirmedAt: subscription.confirmedAt,
      unsubscribedAt: subscription.unsubscribedAt,
      createdAt: subscription.createdAt,
    }));
  }

  /** Their pending emails are skipped with the rest of the address's (account/ does that). */
  async erase(manager: EntityManager, { user }: AccountErasure): Promise<void> {
    await manager.getRepository(DigestSubscriptionEntity).delete({ email: user.email });
  }
}
