import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAuditLog1796159625337 implements MigrationInterface {
  name = 'AddAuditLog1796159625337';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TYPE \"public\".\"audit_action\" AS ENUM('ESSAY_PUBLISHED', 'ESSAY_ARCHIVED', 'RESPONSE_REVIEWED', 'RESPONSE_DELETED', 'INTEREST_STATUS_CHANGED', 'ESSAY_EXPORTED', 'REVIEW_DIGEST_SETTINGS_CHANGED')",
    );
    await queryRunner.query(
      'CREATE TABLE "audit_log" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "actor_id" uuid, "action" "public"."audit_action" NOT NULL, "subject_type" text NOT NULL, "subject_id" text NOT NULL, "before" jsonb, "after" jsonb, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "audit_log_subject_idx" ON "audit_log"  ("subject_id") ');
    await queryRunner.query(
      'CREATE INDEX "audit_log_occurred_idx" ON "audit_log"  ("occurred_at", "id") ',
    );
    // Append-only for everyone, not only for the API: a row once written is never changed or removed.
    await queryRunner.query(`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP; END $$`);
    await queryRunner.query(
      'CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER audit_log_append_only ON "audit_log"');
    await queryRunner.query('DROP FUNCTION audit_log_append_only()');
    await queryRunner.query('DROP INDEX "public"."audit_log_occurred_idx"');
    await queryRunner.query('DROP INDEX "public"."audit_log_subject_idx"');
    await queryRunner.query('DROP TABLE "audit_log"');
    await queryRunner.query('DROP TYPE "public"."audit_action"');
  }
}
