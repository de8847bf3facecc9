import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddSessionVersions1796145716332 implements MigrationInterface {
  name = 'AddSessionVersions1796145716332';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Sessions issued before this carry no version and count as version 0.
    await queryRunner.query('ALTER TABLE "users" ADD "session_version" integer NOT NULL DEFAULT 0');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "session_version"');
  }
}
