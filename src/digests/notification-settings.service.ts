import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditAction } from '../audit/audit-entry.entity.js';
import { AuditLogService, type AuditActorId } from '../audit/audit-log.service.js';
import { skipPendingForUser } from '../mail/delivery-skips.js';
import { DeliveryKind } from '../mail/delivery.entity.js';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  NotificationSettingsEntity,
} from './notification-settings.entity.js';

export type NotificationSettings = Pick<
  NotificationSettingsEntity,
  | 'userId'
  | 'replyEmails'
  | 'reviewDigestEnabled'
  | 'reviewDigestTimezone'
  | 'reviewDigestHour'
  | 'reviewWindowStart'
>;

export interface ReviewDigestChanges {
  enabled?: boolean | null;
  timezone?: string | null;
  sendHour?: number | null;
}

/** Reply emails and the author's review digest: the one place that reads and writes them. */
@Injectable()
export class NotificationSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
  ) {}

  /** A user's settings: the defaults until they change one. */
  async forUser(
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<NotificationSettings> {
    const row = await manager.getRepository(NotificationSettingsEntity).findOneBy({ userId });
    return row ?? { userId, ...DEFAULT_NOTIFICATION_SETTINGS };
  }

  /** Turns reply emails on or off for a user; off also skips the ones still pending. */
  async setReplyEmails(userId: string, enabled: boolean): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.write(manager, userId, { replyEmails: enabled });
      if (!enabled) {
        await skipPendingForUser(
          manager,
          userId,
          DeliveryKind.REPLY_NOTICE,
          'reply emails turned off',
        );
      }
    });
  }

  /**
   * The author's review digest: on/off, time zone and hour; what is not given
   * stays. The actor is the signed-in user; null from the page an email link opens.
   */
  async updateReviewDigest(
    actorId: AuditActorId,
    userId: string,
    changes: ReviewDigestChanges,
  ): Promise<void> {
    const values: Partial<NotificationSettings> = {};
    if (changes.enabled !== undefined && changes.enabled !== null)
      values.reviewDigestEnabled = changes.enabled;
    if (changes.timezone) values.reviewDigestTimezone = changes.timezone;
    if (changes.sendHour !== undefined && changes.sendHour !== null)
      values.reviewDigestHour = changes.sendHour;
    await this.dataSource.transaction(async (manager) => {
      const before = await this.forUser(userId, manager);
      if (Object.keys(values).length) await this.write(manager, userId, values);
      const after = await this.forUser(userId, manager);
      await this.audit.record(
        manager,
        actorId,
        AuditAction.REVIEW_DIGEST_SETTINGS_CHANGED,
        { type: 'user', id: userId },
        reviewDigestBrief(before),
        reviewDigestBrief(after),
      );
    });
  }

  /** Writes the given settings, creating the user's row (with the defaults) on first use. */
  private async write(
    manager: EntityManager,
    userId: string,
    values: Partial<NotificationSettings>,
  ): Promise<void> {
    const metadata = manager.connection.getMetadata(NotificationSettingsEntity);
    const columns = Object.keys(values).map(
      (property) => metadata.findColumnWithPropertyName(property)!.databaseName,
    );
    await manager
      .createQueryBuilder()
      .insert()
      .into(NotificationSettingsEntity)
      .values({ userId, ...values })
      .orUpdate([...columns, 'updated_at'], ['user_id'])
      .execute();
  }
}

function reviewDigestBrief(settings: NotificationSettings) {
  return {
    enabled: settings.reviewDigestEnabled,
    timezone: settings.reviewDigestTimezone,
    sendHour: settings.reviewDigestHour,
  };
}
