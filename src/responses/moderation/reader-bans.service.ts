import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditAction } from '../../audit/audit-entry.entity.js';
import { AuditLogService } from '../../audit/audit-log.service.js';
import { BadUserInput, NotFound } from '../../common/errors.js';
import { isUuid } from '../../common/uuid.js';
import { BansService } from '../../users/bans.service.js';
import type { ReaderBanEntity } from '../../users/reader-ban.entity.js';
import { UserEntity, UserRole } from '../../users/user.entity.js';
import { UsersService } from '../../users/users.service.js';
import { AuthorNotBannable } from './moderation.errors.js';
import { ModerationService } from './moderation.service.js';

export const MAX_BAN_REASON_LENGTH = 1000;

/** The author bans and unbans readers: the ban (users/) and what it hides (responses) change together. */
@Injectable()
export class ReaderBansService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bans: BansService,
    private readonly moderation: ModerationService,
    private readonly audit: AuditLogService,
    private readonly users: UsersService,
  ) {}

  async ban(
    actorId: string,
    userId: string,
    rawReason: string,
    hideExisting: boolean,
  ): Promise<ReaderBanEntity> {
    const reason = typeof rawReason === 'string' ? rawReason.trim() : '';
    if (reason.length === 0) throw new BadUserInput('Give a reason for the ban.', 'reason');
    if (reason.length > MAX_BAN_REASON_LENGTH) {
      throw new BadUserInput(
        `The reason is longer than ${MAX_BAN_REASON_LENGTH} characters.`,
        'reason',
      );
    }
    const user = await this.requireUser(userId);
    if (user.role === UserRole.AUTHOR) throw new AuthorNotBannable();
    return this.dataSource.transaction(async (manager) => {
      const previous = await this.bans.findBan(manager, user.id);
      const ban = await this.bans.ban(manager, { userId: user.id, reason, hideExisting });
      await this.moderation.setHiddenByBan(manager, user.id, hideExisting);
      // The reason's words stay on the ban, not in the log.
      await this.audit.record(
        manager,
        actorId,
        AuditAction.READER_BANNED,
        { type: 'reader', id: user.id },
        { banned: Boolean(previous), hideExisting: previous?.hideExisting ?? false },
        { banned: true, hideExisting },
      );
      return ban;
    });
  }

  /** Lifts the ban and shows what it hid again; false when there was none. */
  async unban(actorId: string, userId: string): Promise<boolean> {
    const user = await this.requireUser(userId);
    return this.dataSource.transaction(async (manager) => {
      const lifted = await this.bans.unban(manager, user.id);
      await this.moderation.setHiddenByBan(manager, user.id, false);
      if (lifted) {
        await this.audit.record(
          manager,
          actorId,
          AuditAction.READER_UNBANNED,
          { type: 'reader', id: user.id },
          { banned: true },
          { banned: false },
        );
      }
      return lifted;
    });
  }

  private async requireUser(userId: string): Promise<UserEntity> {
    const user = isUuid(userId) ? await this.users.findById(userId) : null;
    if (!user) throw new NotFound('The reader');
    return user;
  }
}
