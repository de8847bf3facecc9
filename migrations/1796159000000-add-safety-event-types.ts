import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox events of issue 10. IF NOT EXISTS: the moderation work adds the
 * same values, and whichever migration runs second changes nothing.
 */
export class AddSafetyEventTypes1796159000000 implements MigrationInterface {
  name = 'AddSafetyEventTypes1796159000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const value of ['SUBSCRIPTION_CONFIRMED', 'RESPONSE_HELD', 'REPORT_OPENED']) {
      await queryRunner.query(
        `ALTER TYPE "public"."event_type" ADD VALUE IF NOT EXISTS '${value}'`,
      );
    }
  }

  async down(): Promise<void> {
    // PostgreSQL cannot drop a value from an enum; unused values are harmless.
  }
}
