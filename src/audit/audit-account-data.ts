import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import {
  AccountData,
  type AccountDataContributor,
  type AccountErasure,
} from '../account/account-data.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import type { UserEntity } from '../users/user.entity.js';
import { AuditEntryEntity } from './audit-entry.entity.js';

/**
 * Audit rows whose subject is the reader (their ban and unban). The log is
 * append-only, so erasure does not remove them: it replaces the reader's id
 * by a keyed hash ("erased:hmac-sha256:…"), the one change the trigger
 * allows, and only while this transaction says it is erasing. Rows about
 * the same former reader still match each other; none names them.
 */
@Injectable()
export class AuditAccountData implements AccountDataContributor, OnModuleInit {
  readonly key = 'auditLog';

  constructor(
    private readonly accountData: AccountData,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  onModuleInit(): void {
    this.accountData.contribute(this);
  }

  async export(manager: EntityManager, user: UserEntity): Promise<unknown> {
    const entries = await manager
      .getRepository(AuditEntryEntity)
      .find({ where: { subjectId: user.id }, order: { occurredAt: 'ASC', id: 'ASC' } });
    return entries.map((entry) => ({
      action: entry.action,
      before: entry.before,
      after: entry.after,
      occurredAt: entry.occurredAt,
    }));
  }

  async erase(manager: EntityManager, { user }: AccountErasure): Promise<void> {
    const erased = `erased:hmac-sha256:${createHmac('sha256', this.config.jwtSecret).update(user.id).digest('hex')}`;
    await manager.query(`SELECT set_config('rizom.audit_erasure', 'on', true)`);
    await manager.query(`UPDATE audit_log SET subject_id = $2 WHERE subject_id = $1`, [
      user.id,
      erased,
    ]);
    await manager.query(`SELECT set_config('rizom.audit_erasure', 'off', true)`);
  }
}
