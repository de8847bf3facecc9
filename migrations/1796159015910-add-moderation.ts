import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddModeration1796159015910 implements MigrationInterface {
  name = 'AddModeration1796159015910';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TYPE \"public\".\"moderation_mode\" AS ENUM('OFF', 'FIRST_TIME', 'ALL')",
    );
    await queryRunner.query(
      'CREATE TABLE "moderation_settings" ("scope" text NOT NULL, "mode" "public"."moderation_mode" NOT NULL, "blocked_terms" text array NOT NULL DEFAULT \'{}\', "max_links" integer, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_888f29ebcd4fde6051c95e563d3" PRIMARY KEY ("scope"))',
    );
    await queryRunner.query(
      "CREATE TYPE \"public\".\"report_reason\" AS ENUM('SPAM', 'ABUSE', 'OFF_TOPIC', 'PRIVACY', 'OTHER')",
    );
    await queryRunner.query(
      "CREATE TYPE \"public\".\"report_status\" AS ENUM('OPEN', 'DISMISSED', 'HIDDEN')",
    );
    await queryRunner.query(
      'CREATE TABLE "response_reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "response_id" uuid NOT NULL, "reporter_id" uuid NOT NULL, "reason" "public"."report_reason" NOT NULL, "note" text, "status" "public"."report_status" NOT NULL DEFAULT \'OPEN\', "resolved_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ebccd997bec064a6ff0aa69f825" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "response_reports_status_idx" ON "response_reports"  ("status", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "response_reports_reader_key" ON "response_reports"  ("response_id", "reporter_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "reader_bans" ("user_id" uuid NOT NULL, "reason" text NOT NULL, "hide_existing" boolean NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_792f440c0096bb715d460d41122" PRIMARY KEY ("user_id"))',
    );
    await queryRunner.query(
      "CREATE TYPE \"public\".\"moderation_state\" AS ENUM('HELD', 'PUBLISHED', 'REJECTED')",
    );
    await queryRunner.query(
      'ALTER TABLE "responses" ADD "moderation_state" "public"."moderation_state" NOT NULL DEFAULT \'PUBLISHED\'',
    );
    await queryRunner.query(
      "CREATE TYPE \"public\".\"held_reason\" AS ENUM('FIRST_TIME', 'ALL', 'BLOCKED_TERM', 'TOO_MANY_LINKS', 'SUSPECTED_SPAM', 'SPAM_CHECK', 'REPORTED')",
    );
    await queryRunner.query('ALTER TABLE "responses" ADD "held_reason" "public"."held_reason"');
    await queryRunner.query('ALTER TABLE "responses" ADD "rejection_reason" text');
    await queryRunner.query('ALTER TABLE "responses" ADD "approved_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query(
      'ALTER TABLE "responses" ADD "hidden_by_ban" boolean NOT NULL DEFAULT false',
    );
    await queryRunner.query(
      'ALTER TABLE "response_reports" ADD CONSTRAINT "FK_792592dddcb45ebb547654213c4" FOREIGN KEY ("response_id") REFERENCES "responses"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "response_reports" ADD CONSTRAINT "FK_f46b1d2353d5e676f67e05b935b" FOREIGN KEY ("reporter_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "reader_bans" ADD CONSTRAINT "FK_792f440c0096bb715d460d41122" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "reader_bans" DROP CONSTRAINT "FK_792f440c0096bb715d460d41122"',
    );
    await queryRunner.query(
      'ALTER TABLE "response_reports" DROP CONSTRAINT "FK_f46b1d2353d5e676f67e05b935b"',
    );
    await queryRunner.query(
      'ALTER TABLE "response_reports" DROP CONSTRAINT "FK_792592dddcb45ebb547654213c4"',
    );
    await queryRunner.query('ALTER TABLE "responses" DROP COLUMN "hidden_by_ban"');
    await queryRunner.query('ALTER TABLE "responses" DROP COLUMN "approved_at"');
    await queryRunner.query('ALTER TABLE "responses" DROP COLUMN "rejection_reason"');
    await queryRunner.query('ALTER TABLE "responses" DROP COLUMN "held_reason"');
    await queryRunner.query('DROP TYPE "public"."held_reason"');
    await queryRunner.query('ALTER TABLE "responses" DROP COLUMN "moderation_state"');
    await queryRunner.query('DROP TYPE "public"."moderation_state"');
    await queryRunner.query('DROP TABLE "reader_bans"');
    await queryRunner.query('DROP INDEX "public"."response_reports_reader_key"');
    await queryRunner.query('DROP INDEX "public"."response_reports_status_idx"');
    await queryRunner.query('DROP TABLE "response_reports"');
    await queryRunner.query('DROP TYPE "public"."report_status"');
    await queryRunner.query('DROP TYPE "public"."report_reason"');
    await queryRunner.query('DROP TABLE "moderation_settings"');
    await queryRunner.query('DROP TYPE "public"."moderation_mode"');
  }
}
