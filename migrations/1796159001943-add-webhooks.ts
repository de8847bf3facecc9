import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddWebhooks1796159001943 implements MigrationInterface {
  name = 'AddWebhooks1796159001943';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TYPE \"public\".\"webhook_delivery_state\" AS ENUM('PENDING', 'SENT', 'SKIPPED', 'FAILED')",
    );
    await queryRunner.query(
      'CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "endpoint" text NOT NULL, "state" "public"."webhook_delivery_state" NOT NULL DEFAULT \'PENDING\', "attempts" integer NOT NULL DEFAULT \'0\', "last_error" text, "enqueued_at" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "webhook_deliveries_state_enqueued_idx" ON "webhook_deliveries"  ("state", "enqueued_at") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "webhook_deliveries_event_endpoint_key" ON "webhook_deliveries"  ("event_id", "endpoint") ',
    );
    await queryRunner.query(
      'CREATE TABLE "webhook_endpoints" ("url" text NOT NULL, "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_27b6719e7fa860786caf0f84525" PRIMARY KEY ("url"))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "webhook_endpoints"');
    await queryRunner.query('DROP INDEX "public"."webhook_deliveries_event_endpoint_key"');
    await queryRunner.query('DROP INDEX "public"."webhook_deliveries_state_enqueued_idx"');
    await queryRunner.query('DROP TABLE "webhook_deliveries"');
    await queryRunner.query('DROP TYPE "public"."webhook_delivery_state"');
  }
}
