import type { MigrationInterface, QueryRunner } from 'typeorm';

const ACTIONS = [
  'RESPONSE_APPROVED',
  'RESPONSE_REJECTED',
  'REPORT_RESOLVED',
  'READER_BANNED',
  'READER_UNBANNED',
  'MODERATION_SETTINGS_CHANGED',
];

/**
 * The moderation actions in the audit log, and the one change its trigger
 * allows: erasing an account replaces that reader's id in `subject_id` by a
 * keyed hash (the transaction says so with `rizom.audit_erasure`), and
 * nothing else of the row may change.
 */
export class AddModerationAuditActions1796170000000 implements MigrationInterface {
  name = 'AddModerationAuditActions1796170000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const value of ACTIONS) {
      await queryRunner.query(
        `ALTER TYPE "public"."audit_action" ADD VALUE IF NOT EXISTS '${value}'`,
      );
    }
    await queryRunner.query(`CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE'
           AND current_setting('rizom.audit_erasure', true) = 'on'
           AND NEW.subject_id LIKE 'erased:%'
           AND (NEW.id, NEW.actor_id, NEW.action, NEW.subject_type, NEW.before, NEW.after, NEW.occurred_at, NEW.created_at)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.actor_id, OLD.action, OLD.subject_type, OLD.before, OLD.after, OLD.occurred_at, OLD.created_at)
        THEN RETURN NEW; END IF;
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // PostgreSQL cannot drop a value from an enum; unused values are harmless.
    await queryRunner.query(`CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP; END $$`);
  }
}
