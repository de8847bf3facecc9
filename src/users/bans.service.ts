import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Forbidden } from '../common/errors.js';
import { ReaderBanEntity } from './reader-ban.entity.js';
import { UserEntity } from './user.entity.js';

export class ReaderBanned extends Forbidden {
  constructor() {
    super(
      'You are banned from this conversation: you can still read it, but not respond, reply, express interest or report.',
    );
  }
}

/**
 * SQL true when the user `userIdSql` names is banned: for other features'
 * checks that weigh the ban in their own statement (then refuse with ReaderBanned).
 */
export function readerBannedSql(userIdSql: string): string {
  return `EXISTS (SELECT 1 FROM reader_bans b WHERE b.user_id = ${userIdSql})`;
}

/** Who the author banned. The ban itself is here; what it hides is the responses' business. */
@Injectable()
export class BansService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** FORBIDDEN, saying so, when the user is banned. */
  async refuseBanned(user: UserEntity): Promise<void> {
    const [{ banned }] = await this.dataSource.query<[{ banned: boolean }]>(
      `SELECT ${readerBannedSql('$1')} AS banned`,
      [user.id],
    );
    if (banned) throw new ReaderBanned();
  }

  findBan(manager: EntityManager, userId: string): Promise<ReaderBanEntity | null> {
    return manager.getRepository(ReaderBanEntity).findOneBy({ userId });
  }

  async bansOf(userIds: readonly string[]): Promise<(ReaderBanEntity | null)[]> {
    const bans = await this.dataSource
      .getRepository(ReaderBanEntity)
      .findBy({ userId: In([...userIds]) });
    return userIds.map((id) => bans.find((ban) => ban.userId === id) ?? null);
  }

  /** Records (or replaces) a ban; the previous one, if any, is returned. */
  async ban(
    manager: EntityManager,
    values: { userId: string; reason: string; hideExisting: boolean },
  ): Promise<ReaderBanEntity> {
    await manager.getRepository(ReaderBanEntity).upsert(values, ['userId']);
    return manager.getRepository(ReaderBanEntity).findOneByOrFail({ userId: values.userId });
  }

  /** Lifts a ban; whether there was one. */
  async unban(manager: EntityManager, userId: string): Promise<boolean> {
    const result = await manager.getRepository(ReaderBanEntity).delete({ userId });
    return (result.affected ?? 0) > 0;
  }
}
