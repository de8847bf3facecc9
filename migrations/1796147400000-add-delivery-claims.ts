import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A worker claims ledger rows in batches: who has a row in flight, and until when. */
export class AddDeliveryClaims1796147400000 implements MigrationInterface {
  name = 'AddDeliveryClaims1796147400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "deliveries" ADD "claimed_by" text, ADD "lease_until" TIMESTAMP WITH TIME ZONE`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "deliveries" DROP COLUMN "lease_until", DROP COLUMN "claimed_by"`,
    );
  }
}
