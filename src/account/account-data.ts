import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { UserEntity } from '../users/user.entity.js';

export enum AccountDeletionMode {
  /** Their responses go; one with replies by others keeps its place as deleted. */
  ERASE = 'ERASE',
  /** Their responses stay, written by "A former reader". */
  ANONYMISE = 'ANONYMISE',
}

export interface AccountErasure {
  user: UserEntity;
  mode: AccountDeletionMode;
  /** The user that stands in for every deleted account: "A former reader". */
  formerReaderId: string;
  /** When, by the app's clock. */
  at: Date;
}

/**
 * What a feature stores about a person, for exportMyData and deleteMyAccount.
 * Each feature that keeps personal data registers one at start-up for its own
 * tables, so account/ reads and deletes no feature's tables itself.
 */
export interface AccountDataContributor {
  /** The export's key for this feature's part ("responses", "subscriptions", …). */
  readonly key: string;
  export(manager: EntityManager, user: UserEntity): Promise<unknown>;
  /** Runs inside the deletion's transaction, before the user row goes. */
  erase(manager: EntityManager, erasure: AccountErasure): Promise<void>;
}

@Injectable()
export class AccountData {
  private readonly contributors: AccountDataContributor[] = [];

  contribute(contributor: AccountDataContributor): void {
    if (this.contributors.some((c) => c.key === contributor.key)) {
      throw new Error(`Two account data contributors for "${contributor.key}".`);
    }
    this.contributors.push(contributor);
  }

  all(): readonly AccountDataContributor[] {
    return this.contributors;
  }
}
