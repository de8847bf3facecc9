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

/** Who the author banned. The ban itself is here; what it hides is the responses' business. */
@Injectable()
export class BansService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** FORBIDDEN, saying so, when the user is banned. */
  async refuseBanned(user: UserEntity): Promise<void> {
    if (await this.isBanned(user)) throw new ReaderBanned();
  }

  /** Whether the author banned the user (for callers that weigh it with other checks). */
  async isBanned(user: UserEntity): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      'SELECT 1 FROM reader_bans WHERE user_id = $1',
      [user.id],
    );
    return rows.length > 0;
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
