import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A digest's ledger row is unique by its subscription and slot
 * (deliveries_subscription_slot_key) alone. Its reason key
 * ("digest:<subscription>:<slot>") said the same thing again, in a second
 * unique index over random keys that every planned digest paid for: that
 * index now leaves digests out. Every digest row is written with its
 * subscription; the ledger loses it only when the account is deleted, in the
 * transaction that deletes the subscription, so no later digest can share it.
 * Dropped and made again in one transaction: no write comes between.
 */
export class DigestLedgerUniqueBySubscription1796173000000 implements MigrationInterface {
  name = 'DigestLedgerUniqueBySubscription1796173000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."deliveries_reason_key"');
    await queryRunner.query(
      `CREATE UNIQUE INDEX "deliveries_reason_key" ON "deliveries"  ("kind", "recipient", "reason_key") WHERE kind <> 'DIGEST'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."deliveries_reason_key"');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "deliveries_reason_key" ON "deliveries"  ("kind", "recipient", "reason_key") ',
    );
  }
}
