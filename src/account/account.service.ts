import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthService } from '../auth/auth.service.js';
import { Clock } from '../common/clock.js';
import { normalizeEmail } from '../common/email-address.js';
import { BadUserInput, DomainError, Forbidden } from '../common/errors.js';
import { RateLimits } from '../common/rate-limits.js';
import { EventsService } from '../events/events.service.js';
import { DeliveriesService } from '../mail/deliveries.service.js';
import { UserEntity, UserRole } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { AccountData, AccountDeletionMode } from './account-data.js';

export const EXPORT_FORMAT = 'rizom-conversations/account-export@1';

/** A reader's own data: everything stored about them, and deleting their account. */
@Injectable()
export class AccountService {
  private readonly logger = new Logger(AccountService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accountData: AccountData,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly events: EventsService,
    private readonly deliveries: DeliveriesService,
    private readonly rateLimits: RateLimits,
    private readonly clock: Clock,
  ) {}

  /** One JSON document, read in one transaction so its parts agree. */
  async export(viewer: UserEntity): Promise<Record<string, unknown>> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const user = await this.users.findById(viewer.id, manager);
      if (!user) throw new Error(`The signed-in user ${viewer.id} is gone.`);
      const document: Record<string, unknown> = {
        format: EXPORT_FORMAT,
        exportedAt: this.clock.now().toISOString(),
        profile: {
          id: user.id,
          email: user.email,
          displayName: user.displayName,
          displayNameChosen: user.displayNameChosen,
          role: user.role,
          createdAt: user.createdAt,
        },
      };
      for (const contributor of this.accountData.all()) {
        document[contributor.key] = await contributor.export(manager, user);
      }
      document.deliveries = await this.deliveries.forRecipient(manager, {
        email: user.email,
        userId: user.id,
      });
      // Dates as ISO strings, the way any JSON reader gets them.
      return JSON.parse(JSON.stringify(document)) as Record<string, unknown>;
    });
  }

  /**
   * Deletes the caller's account once they typed their own address. All in
   * one transaction: their offers, subscriptions and sign-in tokens go, their
   * responses go or are anonymised, pending emails to them are skipped and
   * the ledger keeps a keyed hash of the address.
   */
  async delete(viewer: UserEntity, confirm: string, mode: AccountDeletionMode): Promise<void> {
    if (viewer.role === UserRole.AUTHOR) {
      throw new Forbidden("The author's account cannot be deleted this way.");
    }
    if (confirmedEmail(confirm) !== viewer.email) {
      throw new BadUserInput('Type the email address of your account to confirm.', 'confirm');
    }
    await this.dataSource.transaction(async (manager) => {
      const user = await this.users.lock(manager, viewer.id);
      if (!user) return; // deleted by a request a moment ago
      const erasure = {
        user,
        mode,
        formerReaderId: await this.users.formerReaderId(manager),
        at: this.clock.now(),
      };
      for (const contributor of this.accountData.all()) await contributor.erase(manager, erasure);
      await this.auth.forgetSignInTokens(manager, user.email);
      await this.deliveries.forgetRecipient(manager, { email: user.email, userId: user.id });
      await this.events.forgetActor(manager, user.id);
      await this.users.delete(manager, user.id);
    });
    // Counters keyed by their address or id (they expire within the hour anyway).
    for (const key of [viewer.email, viewer.id]) {
      await this.rateLimits
        .forgetKeysContaining(key)
        .catch((error: unknown) =>
          this.logger.warn(`could not delete rate-limit counters: ${String(error)}`),
        );
    }
  }
}

/** The address typed to confirm, as every address is normalised; anything else matches nothing. */
function confirmedEmail(confirm: string): string | null {
  try {
    return normalizeEmail(confirm, 'confirm');
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}
