import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox events moderation records. IF NOT EXISTS: the webhooks work adds
 * the same two names, and whichever migration runs second changes nothing.
 */
export class AddModerationEventTypes1796159015911 implements MigrationInterface {
  name = 'AddModerationEventTypes1796159015911';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "event_type" ADD VALUE IF NOT EXISTS 'RESPONSE_HELD'`);
    await queryRunner.query(`ALTER TYPE "event_type" ADD VALUE IF NOT EXISTS 'REPORT_OPENED'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // PostgreSQL cannot drop an enum value: the type is rebuilt without them.
    await queryRunner.query(
      `DELETE FROM "events" WHERE "type" IN ('RESPONSE_HELD', 'REPORT_OPENED')`,
    );
    await queryRunner.query('ALTER TYPE "event_type" RENAME TO "event_type_old"');
    await queryRunner.query(
      `CREATE TYPE "event_type" AS ENUM('ESSAY_PUBLISHED', 'RESPONSE_PUBLISHED', 'AUTHOR_REPLIED', 'INTEREST_RECEIVED')`,
    );
    await queryRunner.query(
      'ALTER TABLE "events" ALTER COLUMN "type" TYPE "event_type" USING "type"::text::"event_type"',
    );
    await queryRunner.query('DROP TYPE "event_type_old"');
  }
}
