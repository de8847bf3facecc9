import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddDigests1795714506147 implements MigrationInterface {
  name = 'AddDigests1795714506147';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TYPE "public"."digest_scope" AS ENUM(\'ALL_ESSAYS\', \'ESSAY\')',
    );
    await queryRunner.query(
      'CREATE TYPE "public"."digest_frequency" AS ENUM(\'DAILY\', \'WEEKLY\')',
    );
    await queryRunner.query(
      "CREATE TYPE \"public\".\"subscription_status\" AS ENUM('PENDING', 'CONFIRMED', 'UNSUBSCRIBED')",
    );
    await queryRunner.query(
      'CREATE TABLE "digest_subscriptions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" text NOT NULL, "scope" "public"."digest_scope" NOT NULL, "essay_id" uuid, "scope_key" text NOT NULL, "frequency" "public"."digest_frequency" NOT NULL, "timezone" text NOT NULL, "send_hour" smallint NOT NULL, "weekday" smallint NOT NULL DEFAULT \'1\', "status" "public"."subscription_status" NOT NULL DEFAULT \'PENDING\', "confirmed_at" TIMESTAMP WITH TIME ZONE, "unsubscribed_at" TIMESTAMP WITH TIME ZONE, "window_start" TIMESTAMP WITH TIME ZONE, "confirmation_requests" integer NOT NULL DEFAULT \'0\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d2d6857d0a0ec957fff3fbb0ba9" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "digest_subscriptions_schedule_idx" ON "digest_subscriptions"  ("status", "timezone", "frequency", "send_hour", "weekday") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "digest_subscriptions_email_scope_key" ON "digest_subscriptions"  ("email", "scope_key") ',
    );
    await queryRunner.query('ALTER TABLE "users" ADD "reply_emails" boolean NOT NULL DEFAULT true');
    await queryRunner.query(
      'ALTER TABLE "users" ADD "review_digest_enabled" boolean NOT NULL DEFAULT true',
    );
    await queryRunner.query(
      'ALTER TABLE "users" ADD "review_digest_timezone" text NOT NULL DEFAULT \'UTC\'',
    );
    await queryRunner.query(
      'ALTER TABLE "users" ADD "review_digest_hour" smallint NOT NULL DEFAULT \'8\'',
    );
    await queryRunner.query(
      'ALTER TABLE "users" ADD "review_window_start" TIMESTAMP WITH TIME ZONE',
    );
    await queryRunner.query('ALTER TABLE "deliveries" ADD "subscription_id" uuid');
    await queryRunner.query('ALTER TABLE "deliveries" ADD "user_id" uuid');
    await queryRunner.query('ALTER TABLE "deliveries" ADD "slot_key" text');
    await queryRunner.query('ALTER TABLE "deliveries" ADD "window_start" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "deliveries" ADD "window_end" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "deliveries" ADD "enqueued_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('DROP INDEX "public"."deliveries_reason_key"');
    await queryRunner.query(
      'ALTER TYPE "public"."delivery_kind" ADD VALUE \'SUBSCRIPTION_CONFIRM\'',
    );
    await queryRunner.query('ALTER TYPE "public"."delivery_kind" ADD VALUE \'DIGEST\'');
    await queryRunner.query('ALTER TYPE "public"."delivery_kind" ADD VALUE \'REPLY_NOTICE\'');
    await queryRunner.query('ALTER TYPE "public"."delivery_kind" ADD VALUE \'AUTHOR_DIGEST\'');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "deliveries_subscription_slot_key" ON "deliveries"  ("subscription_id", "kind", "slot_key") WHERE subscription_id IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "deliveries_state_enqueued_idx" ON "deliveries"  ("state", "enqueued_at") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "deliveries_reason_key" ON "deliveries"  ("kind", "recipient", "reason_key") ',
    );
    await queryRunner.query(
      'ALTER TABLE "digest_subscriptions" ADD CONSTRAINT "FK_9663e6f1ac552f30132d5c44598" FOREIGN KEY ("essay_id") REFERENCES "essays"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "digest_subscriptions" DROP CONSTRAINT "FK_9663e6f1ac552f30132d5c44598"',
    );
    await queryRunner.query('DROP INDEX "public"."deliveries_reason_key"');
    await queryRunner.query('DROP INDEX "public"."deliveries_state_enqueued_idx"');
    await queryRunner.query('DROP INDEX "public"."deliveries_subscription_slot_key"');
    await queryRunner.query('CREATE TYPE "public"."delivery_kind_old" AS ENUM(\'SIGN_IN\')');
    await queryRunner.query(
      'ALTER TABLE "deliveries" ALTER COLUMN "kind" TYPE "public"."delivery_kind_old" USING "kind"::"text"::"public"."delivery_kind_old"',
    );
    await queryRunner.query('DROP TYPE "public"."delivery_kind"');
    await queryRunner.query('ALTER TYPE "public"."delivery_kind_old" RENAME TO "delivery_kind"');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "deliveries_reason_key" ON "deliveries" USING btree ("kind", "recipient", "reason_key") ',
    );
    await queryRunner.query('ALTER TABLE "deliveries" DROP COLUMN "enqueued_at"');
    await queryRunner.query('ALTER TABLE "deliveries" DROP COLUMN "window_end"');
    await queryRunner.query('ALTER TABLE "deliveries" DROP COLUMN "window_start"');
    await queryRunner.query('ALTER TABLE "deliveries" DROP COLUMN "slot_key"');
    await queryRunner.query('ALTER TABLE "deliveries" DROP COLUMN "user_id"');
    await queryRunner.query('ALTER TABLE "deliveries" DROP COLUMN "subscription_id"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "review_window_start"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "review_digest_hour"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "review_digest_timezone"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "review_digest_enabled"');
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "reply_emails"');
    await queryRunner.query('DROP INDEX "public"."digest_subscriptions_email_scope_key"');
    await queryRunner.query('DROP INDEX "public"."digest_subscriptions_schedule_idx"');
    await queryRunner.query('DROP TABLE "digest_subscriptions"');
    await queryRunner.query('DROP TYPE "public"."subscription_status"');
    await queryRunner.query('DROP TYPE "public"."digest_frequency"');
    await queryRunner.query('DROP TYPE "public"."digest_scope"');
  }
}
