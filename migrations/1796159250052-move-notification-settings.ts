import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reply emails and the author's review digest leave `users` for a table of
 * their own, owned by digests/. Every user's values move over as they are,
 * and back on revert.
 */
export class MoveNotificationSettings1796159250052 implements MigrationInterface {
  name = 'MoveNotificationSettings1796159250052';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notification_settings" ("user_id" uuid NOT NULL, "reply_emails" boolean NOT NULL DEFAULT true, "review_digest_enabled" boolean NOT NULL DEFAULT true, "review_digest_timezone" text NOT NULL DEFAULT 'UTC', "review_digest_hour" smallint NOT NULL DEFAULT '8', "review_window_start" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_91a7ffebe8b406c4470845d4781" PRIMARY KEY ("user_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_settings" ADD CONSTRAINT "FK_91a7ffebe8b406c4470845d4781" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `INSERT INTO "notification_settings" ("user_id", "reply_emails", "review_digest_enabled", "review_digest_timezone", "review_digest_hour", "review_window_start")
       SELECT "id", "reply_emails", "review_digest_enabled", "review_digest_timezone", "review_digest_hour", "review_window_start" FROM "users"`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" DROP COLUMN "reply_emails", DROP COLUMN "review_digest_enabled", DROP COLUMN "review_digest_timezone", DROP COLUMN "review_digest_hour", DROP COLUMN "review_window_start"`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "users" ADD "reply_emails" boolean NOT NULL DEFAULT true, ADD "review_digest_enabled" boolean NOT NULL DEFAULT true, ADD "review_digest_timezone" text NOT NULL DEFAULT 'UTC', ADD "review_digest_hour" smallint NOT NULL DEFAULT '8', ADD "review_window_start" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `UPDATE "users" u SET "reply_emails" = s."reply_emails", "review_digest_enabled" = s."review_digest_enabled", "review_digest_timezone" = s."review_digest_timezone", "review_digest_hour" = s."review_digest_hour", "review_window_start" = s."review_window_start"
         FROM "notification_settings" s WHERE s."user_id" = u."id"`,
    );
    await queryRunner.query(`DROP TABLE "notification_settings"`);
  }
}
