import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotFound } from '../common/errors.js';
import { normalizeEmail } from '../common/email-address.js';
import { entityRowMapper, type EntityRowMapper } from '../database/entity-rows.js';
import { chosenDisplayName, neutralDisplayName } from './display-name.js';
import { UserEntity, UserRole } from './user.entity.js';

// The one spelling of an address lives in common/, for every feature; re-exported for callers here.
export { normalizeEmail };

/** Not an address (no @): no sign-in can ever reach this user. */
const FORMER_READER_EMAIL = 'former-reader';

@Injectable()
export class UsersService {
  private readonly toUser: EntityRowMapper<UserEntity>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.toUser = entityRowMapper(dataSource, UserEntity);
  }

  /** The user, or null; in `manager`'s transaction when given. */
  async findById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<UserEntity | null> {
    // Plain SQL: every signed-in request looks its viewer up here.
    const [row] = await manager.query<Record<string, unknown>[]>(
      'SELECT * FROM users WHERE id = $1',
      [id],
    );
    return row ? this.toUser(row) : null;
  }

  /**
   * In `manager`'s transaction: the user, locked for update so no other
   * request changes or deletes it meanwhile; null when there is none.
   */
  lock(manager: EntityManager, id: string): Promise<UserEntity | null> {
    return manager
      .getRepository(UserEntity)
      .createQueryBuilder('user')
      .setLock('pessimistic_write')
      .where('user.id = :id', { id })
      .getOne();
  }

  /** The users loader's batch, on every page that shows who wrote what: plain SQL. */
  async findByIds(ids: readonly string[]): Promise<UserEntity[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      'SELECT * FROM users WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return rows.map(this.toUser);
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ email: normalizeEmail(email) });
  }

  async getByEmail(email: string): Promise<UserEntity> {
    const user = await this.findByEmail(email);
    if (!user) throw new NotFound(`A user with the email ${email.trim()}`);
    return user;
  }

  findAuthors(): Promise<UserEntity[]> {
    return this.dataSource
      .getRepository(UserEntity)
      .find({ where: { role: UserRole.AUTHOR }, order: { createdAt: 'ASC' } });
  }

  /** The reader for this email, created on first sign-in. */
  async findOrCreateReader(email: string, manager: EntityManager): Promise<UserEntity> {
    const normalized = normalizeEmail(email);
    await manager
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values({
        email: normalized,
        displayName: neutralDisplayName(UserRole.READER),
        displayNameChosen: false,
        role: UserRole.READER,
      })
      .orIgnore()
      .execute();
    return manager.getRepository(UserEntity).findOneByOrFail({ email: normalized });
  }

  /**
   * Readers with these addresses and chosen names, created when missing (the
   * demo's seed), in the caller's transaction; answered in address order.
   */
  async ensureReaders(
    manager: EntityManager,
    readers: { email: string; displayName: string }[],
  ): Promise<Pick<UserEntity, 'id' | 'email'>[]> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values(
        readers.map((reader) => ({
          email: reader.email,
          displayName: reader.displayName,
          displayNameChosen: true,
          role: UserRole.READER,
        })),
      )
      .orIgnore()
      .execute();
    return manager.query(
      `SELECT id, email FROM users WHERE email = ANY($1::text[]) ORDER BY email`,
      [readers.map((reader) => reader.email)],
    );
  }

  /** The public name the user chose for themselves. */
  async updateDisplayName(userId: string, displayName: string): Promise<UserEntity> {
    const name = chosenDisplayName(displayName);
    const users = this.dataSource.getRepository(UserEntity);
    await users.update(userId, { displayName: name, displayNameChosen: true });
    return users.findOneByOrFail({ id: userId });
  }

  async bumpSessionVersion(userId: string): Promise<void> {
    await this.dataSource.getRepository(UserEntity).increment({ id: userId }, 'sessionVersion', 1);
  }

  /**
   * The user that stands in for deleted accounts (their anonymised responses,
   * the threads they started): no address anyone can sign in with.
   */
  async formerReaderId(manager: EntityManager): Promise<string> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values({
        email: FORMER_READER_EMAIL,
        displayName: 'A former reader',
        displayNameChosen: true,
        role: UserRole.READER,
      })
      .orIgnore()
      .execute();
    return (await manager.getRepository(UserEntity).findOneByOrFail({ email: FORMER_READER_EMAIL }))
      .id;
  }

  async delete(manager: EntityManager, userId: string): Promise<void> {
    await manager.getRepository(UserEntity).delete({ id: userId });
  }

  /** Creates the author, or promotes an existing user to author. */
  async makeAuthor(email: string, displayName?: string): Promise<UserEntity> {
    const normalized = normalizeEmail(email);
    // The CLI's --name is a public name like any other: the same rules as updateProfile.
    const name = displayName === undefined ? undefined : chosenDisplayName(displayName);
    return this.dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(UserEntity)
        .values({
          email: normalized,
          displayName: name ?? neutralDisplayName(UserRole.AUTHOR),
          displayNameChosen: name !== undefined,
          role: UserRole.AUTHOR,
        })
        .orUpdate(name ? ['role', 'display_name', 'display_name_chosen'] : ['role'], ['email'])
        .execute();
      return manager.getRepository(UserEntity).findOneByOrFail({ email: normalized });
    });
  }
}
