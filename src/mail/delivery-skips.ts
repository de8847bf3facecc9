import type { EntityManager } from 'typeorm';
import { DeliveryEntity, DeliveryKind, DeliveryState } from './delivery.entity.js';

/*
 * The writes other features make to the ledger when a person turns mail off,
 * in the caller's transaction, so no feature names the `deliveries` table.
 */

/**
 * Skips every email still pending for a subscription that no worker has
 * claimed; one a worker claimed is in flight (it may be in SMTP's hands
 * already), so it goes out and is recorded as sent (README, Digests).
 */
export async function skipUnclaimedForSubscription(
  manager: EntityManager,
  subscriptionId: string,
  reason: string,
): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(DeliveryEntity)
    .set({ state: DeliveryState.SKIPPED, lastError: reason })
    .where('subscription_id = :id AND state = :pending AND claimed_by IS NULL', {
      id: subscriptionId,
      pending: DeliveryState.PENDING,
    })
    .execute();
}

/** Skips every pending email of `kind` to a user. */
export async function skipPendingForUser(
  manager: EntityManager,
  userId: string,
  kind: DeliveryKind,
  reason: string,
): Promise<void> {
  await manager.query(
    `UPDATE deliveries SET state = 'SKIPPED', last_error = $3, updated_at = now()
      WHERE user_id = $1 AND kind = $2 AND state = 'PENDING'`,
    [userId, kind, reason],
  );
}
