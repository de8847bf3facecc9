import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddSubscriptionManageMail1796146648303 implements MigrationInterface {
  name = 'AddSubscriptionManageMail1796146648303';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TYPE "delivery_kind" ADD VALUE IF NOT EXISTS 'SUBSCRIPTION_MANAGE' AFTER 'SUBSCRIPTION_CONFIRM'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // PostgreSQL cannot drop an enum value: the type is rebuilt without it.
    await queryRunner.query(`DELETE FROM "deliveries" WHERE "kind" = 'SUBSCRIPTION_MANAGE'`);
    await queryRunner.query('ALTER TYPE "delivery_kind" RENAME TO "delivery_kind_old"');
    await queryRunner.query(
      `CREATE TYPE "delivery_kind" AS ENUM('SIGN_IN', 'SUBSCRIPTION_CONFIRM', 'DIGEST', 'REPLY_NOTICE', 'AUTHOR_DIGEST')`,
    );
    await queryRunner.query(
      'ALTER TABLE "deliveries" ALTER COLUMN "kind" TYPE "delivery_kind" USING "kind"::text::"delivery_kind"',
    );
    await queryRunner.query('DROP TYPE "delivery_kind_old"');
  }
}
