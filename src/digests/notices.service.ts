import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DeliveriesService } from '../mail/deliveries.service.js';
import { DeliveryKind } from '../mail/delivery.entity.js';
import { UserEntity } from '../users/user.entity.js';

/** Notifications decided as part of a change: today, the reply notice. */
@Injectable()
export class NoticesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deliveries: DeliveriesService,
  ) {}

  /**
   * In the reply's own transaction: when the author replies to a reader, that
   * reader gets one email (unless they turned reply emails off).
   */
  async decideReplyNotice(
    manager: EntityManager,
    reply: { id: string; authorId: string },
    parent: { authorId: string },
  ): Promise<string | null> {
    if (parent.authorId === reply.authorId) return null;
    const reader = await manager.getRepository(UserEntity).findOneBy({ id: parent.authorId });
    if (!reader || !reader.replyEmails) return null;
    return this.deliveries.decide(manager, {
      kind: DeliveryKind.REPLY_NOTICE,
      recipient: reader.email,
      reasonKey: `reply:${reply.id}`,
      userId: reader.id,
    });
  }

  async enqueue(deliveryId: string | null): Promise<void> {
    if (deliveryId) await this.deliveries.enqueue([deliveryId]);
  }

  /** Turns reply emails on or off for a user; off also skips the ones still pending. */
  async setReplyEmails(userId: string, enabled: boolean): Promise<UserEntity> {
    return this.dataSource.transaction(async (manager) => {
      await manager.getRepository(UserEntity).update(userId, { replyEmails: enabled });
      if (!enabled) {
        await manager.query(
          `UPDATE deliveries SET state = 'SKIPPED', last_error = 'reply emails turned off', updated_at = now()
            WHERE user_id = $1 AND kind = 'REPLY_NOTICE' AND state = 'PENDING'`,
          [userId],
        );
      }
      return manager.getRepository(UserEntity).findOneByOrFail({ id: userId });
    });
  }
}
