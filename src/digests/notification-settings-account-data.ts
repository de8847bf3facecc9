import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AccountData,
  type AccountDataContributor,
  type AccountErasure,
} from '../account/account-data.js';
import type { UserEntity } from '../users/user.entity.js';
import { NotificationSettingsEntity } from './notification-settings.entity.js';
import { NotificationSettingsService } from './notification-settings.service.js';

/** The account's reply-email and review-digest settings; removed with the account. */
@Injectable()
export class NotificationSettingsAccountData implements AccountDataContributor, OnModuleInit {
  readonly key = 'notificationSettings';

  constructor(
    private readonly accountData: AccountData,
    private readonly settings: NotificationSettingsService,
  ) {}

  onModuleInit(): void {
    this.accountData.contribute(this);
  }

  async export(manager: EntityManager, user: UserEntity): Promise<unknown> {
    const settings = await this.settings.forUser(user.id, manager);
    return {
      replyEmails: settings.replyEmails,
      reviewDigestEnabled: settings.reviewDigestEnabled,
      reviewDigestTimezone: settings.reviewDigestTimezone,
      reviewDigestHour: settings.reviewDigestHour,
    };
  }

  /** The row would go with the user (ON DELETE CASCADE); removed here so the order is plain. */
  async erase(manager: EntityManager, { user }: AccountErasure): Promise<void> {
    await manager.getRepository(NotificationSettingsEntity).delete({ userId: user.id });
  }
}
