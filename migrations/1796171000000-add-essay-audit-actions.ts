import type { MigrationInterface, QueryRunner } from 'typeorm';

const ACTIONS = [
  'ESSAY_IMPORTED',
  'ESSAY_UPDATED',
  'PROMPT_ADDED',
  'PROMPT_UPDATED',
  'PROMPT_CLOSED',
  'PROMPT_REOPENED',
];

/** The essay and prompt edits in the audit log: they change what readers see. */
export class AddEssayAuditActions1796171000000 implements MigrationInterface {
  name = 'AddEssayAuditActions1796171000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const value of ACTIONS) {
      await queryRunner.query(
        `ALTER TYPE "public"."audit_action" ADD VALUE IF NOT EXISTS '${value}'`,
      );
    }
  }

  async down(): Promise<void> {
    // PostgreSQL cannot drop a value from an enum; unused values are harmless.
  }
}
