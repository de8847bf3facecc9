import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddSignInCodes1796145471464 implements MigrationInterface {
  name = 'AddSignInCodes1796145471464';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Links emailed before this have no code; they keep working as links.
    await queryRunner.query('ALTER TABLE "sign_in_tokens" ADD "code_hash" text');
    await queryRunner.query(
      'ALTER TABLE "sign_in_tokens" ADD "failed_code_attempts" smallint NOT NULL DEFAULT 0',
    );
    await queryRunner.query('ALTER TABLE "sign_in_tokens" ADD "return_to" text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "sign_in_tokens" DROP COLUMN "return_to"');
    await queryRunner.query('ALTER TABLE "sign_in_tokens" DROP COLUMN "failed_code_attempts"');
    await queryRunner.query('ALTER TABLE "sign_in_tokens" DROP COLUMN "code_hash"');
  }
}
