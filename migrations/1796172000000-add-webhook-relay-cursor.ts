import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhook relay reads the outbox from a cursor per endpoint instead of
 * looking for events without a delivery. Each event records the transaction
 * that wrote it (events.tx_id); the ones already written get 0, without
 * rewriting the table. Each endpoint's cursor starts just before its first
 * event still without a delivery (past everything when there is none), so
 * nothing already relayed is read again and nothing waiting is passed over.
 */
export class AddWebhookRelayCursor1796172000000 implements MigrationInterface {
  name = 'AddWebhookRelayCursor1796172000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The writing transaction's id as a bigint (a function, so the entity can name the default).
    await queryRunner.query(
      `CREATE FUNCTION current_tx_id() RETURNS bigint LANGUAGE sql VOLATILE
         AS $$ SELECT pg_current_xact_id()::text::bigint $$`,
    );
    await queryRunner.query('ALTER TABLE "events" ADD "tx_id" bigint NOT NULL DEFAULT 0');
    await queryRunner.query(
      'ALTER TABLE "events" ALTER COLUMN "tx_id" SET DEFAULT current_tx_id()',
    );
    await queryRunner.query(
      'ALTER TABLE "webhook_endpoints" ADD "relayed_tx_id" bigint NOT NULL DEFAULT \'0\'',
    );
    await queryRunner.query(
      'ALTER TABLE "webhook_endpoints" ADD "relayed_event_id" uuid NOT NULL DEFAULT \'00000000-0000-0000-0000-000000000000\'',
    );
    await queryRunner.query('CREATE INDEX "events_relay_order_idx" ON "events"  ("tx_id", "id") ');
    // The event types webhooks carried when this was written.
    await queryRunner.query(
      `WITH waiting AS (
         SELECT ep.url,
                (SELECT e.id FROM events e
                  WHERE e.type IN ('RESPONSE_PUBLISHED', 'RESPONSE_HELD', 'INTEREST_RECEIVED',
                                   'SUBSCRIPTION_CONFIRMED', 'REPORT_OPENED')
                    AND e.created_at >= ep.added_at
                    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d
                                     WHERE d.event_id = e.id AND d.endpoint = ep.url)
                  ORDER BY e.id LIMIT 1) AS first_id
           FROM webhook_endpoints ep
       )
       UPDATE webhook_endpoints ep
          SET relayed_event_id = CASE
                WHEN w.first_id IS NULL THEN 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid
                ELSE COALESCE(
                  (SELECT e.id FROM events e WHERE e.id < w.first_id ORDER BY e.id DESC LIMIT 1),
                  '00000000-0000-0000-0000-000000000000'::uuid)
              END
         FROM waiting w
        WHERE w.url = ep.url`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."events_relay_order_idx"');
    await queryRunner.query('ALTER TABLE "webhook_endpoints" DROP COLUMN "relayed_event_id"');
    await queryRunner.query('ALTER TABLE "webhook_endpoints" DROP COLUMN "relayed_tx_id"');
    await queryRunner.query('ALTER TABLE "events" DROP COLUMN "tx_id"');
    await queryRunner.query('DROP FUNCTION current_tx_id()');
  }
}
