import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PromptSourceText1795738622388 implements MigrationInterface {
  name = 'PromptSourceText1795738622388';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "prompts" ADD "source_text" text');
    // Which existing prompts an author added by hand is not known: they are
    // all taken to come from the essay's source, as they were treated so far.
    await queryRunner.query('UPDATE "prompts" SET "source_text" = "text"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "prompts" DROP COLUMN "source_text"');
  }
}
