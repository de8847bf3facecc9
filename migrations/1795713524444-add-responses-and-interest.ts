import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddResponsesAndInterest1795713524444 implements MigrationInterface {
  name = 'AddResponsesAndInterest1795713524444';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE TYPE \"public\".\"interest_status\" AS ENUM('NEW', 'CONTACTED', 'IN_CONVERSATION', 'DECLINED', 'ARCHIVED')",
    );
    await queryRunner.query(
      'CREATE TABLE "collaborator_interests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "essay_id" uuid NOT NULL, "reader_id" uuid NOT NULL, "message" text NOT NULL, "areas" text array NOT NULL DEFAULT \'{}\', "building" text NOT NULL, "link" text, "availability" text, "contact_email" text NOT NULL, "consent_to_contact" boolean NOT NULL, "status" "public"."interest_status" NOT NULL DEFAULT \'NEW\', "note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_da24ea0a316607550e6bb6c087e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "collaborator_interests_reader_idx" ON "collaborator_interests"  ("reader_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "collaborator_interests_status_created_idx" ON "collaborator_interests"  ("status", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "collaborator_interests_essay_reader_key" ON "collaborator_interests"  ("essay_id", "reader_id") ',
    );
    await queryRunner.query(
      'CREATE TYPE "public"."response_visibility" AS ENUM(\'PUBLIC\', \'PRIVATE\')',
    );
    await queryRunner.query(
      "CREATE TYPE \"public\".\"review_status\" AS ENUM('NEW', 'READ', 'SHORTLISTED', 'ARCHIVED', 'SPAM')",
    );
    await queryRunner.query(
      'CREATE TABLE "responses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "prompt_id" uuid NOT NULL, "essay_id" uuid NOT NULL, "author_id" uuid NOT NULL, "parent_id" uuid, "root_id" uuid NOT NULL, "thread_owner_id" uuid NOT NULL, "depth" smallint NOT NULL, "body_markdown" text NOT NULL, "body_html" text NOT NULL, "visibility" "public"."response_visibility" NOT NULL DEFAULT \'PUBLIC\', "review_status" "public"."review_status" NOT NULL DEFAULT \'NEW\', "review_note" text, "labels" text array NOT NULL DEFAULT \'{}\', "reviewed_at" TIMESTAMP WITH TIME ZONE, "edited_at" TIMESTAMP WITH TIME ZONE, "deleted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_be3bdac59bd243dff421ad7bf70" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "responses_author_idx" ON "responses"  ("author_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "responses_essay_review_idx" ON "responses"  ("essay_id", "review_status", "created_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "responses_parent_created_idx" ON "responses"  ("parent_id", "created_at", "id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "responses_prompt_created_idx" ON "responses"  ("prompt_id", "created_at", "id") WHERE parent_id IS NULL',
    );
    await queryRunner.query(
      'CREATE TABLE "response_edits" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "response_id" uuid NOT NULL, "body_markdown" text NOT NULL, "replaced_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_0b869c8e5242391ce94e58c2058" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "response_edits_response_idx" ON "response_edits"  ("response_id", "replaced_at") ',
    );
    await queryRunner.query(
      'ALTER TABLE "collaborator_interests" ADD CONSTRAINT "FK_858bf3c88c9e1efbc9338f2b2b6" FOREIGN KEY ("essay_id") REFERENCES "essays"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "collaborator_interests" ADD CONSTRAINT "FK_81cdfe38565c5a8ec0a4c898ad5" FOREIGN KEY ("reader_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "responses" ADD CONSTRAINT "FK_baa5a949abe341cf59408a50380" FOREIGN KEY ("prompt_id") REFERENCES "prompts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "responses" ADD CONSTRAINT "FK_5d906d882bc2511f1dd64c2d898" FOREIGN KEY ("essay_id") REFERENCES "essays"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "responses" ADD CONSTRAINT "FK_1924b672854d2b8fb381b16b4a9" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "responses" ADD CONSTRAINT "FK_3307fba0f3370d0d18589bb83b4" FOREIGN KEY ("parent_id") REFERENCES "responses"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "response_edits" ADD CONSTRAINT "FK_7d3b6cd7849cb67caae4b6cd626" FOREIGN KEY ("response_id") REFERENCES "responses"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    // Not from the entities: full-text search over response bodies.
    await queryRunner.query(
      `CREATE INDEX "responses_search_idx" ON "responses" USING GIN (to_tsvector('english', "body_markdown"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."responses_search_idx"');
    await queryRunner.query(
      'ALTER TABLE "response_edits" DROP CONSTRAINT "FK_7d3b6cd7849cb67caae4b6cd626"',
    );
    await queryRunner.query(
      'ALTER TABLE "responses" DROP CONSTRAINT "FK_3307fba0f3370d0d18589bb83b4"',
    );
    await queryRunner.query(
      'ALTER TABLE "responses" DROP CONSTRAINT "FK_1924b672854d2b8fb381b16b4a9"',
    );
    await queryRunner.query(
      'ALTER TABLE "responses" DROP CONSTRAINT "FK_5d906d882bc2511f1dd64c2d898"',
    );
    await queryRunner.query(
      'ALTER TABLE "responses" DROP CONSTRAINT "FK_baa5a949abe341cf59408a50380"',
    );
    await queryRunner.query(
      'ALTER TABLE "collaborator_interests" DROP CONSTRAINT "FK_81cdfe38565c5a8ec0a4c898ad5"',
    );
    await queryRunner.query(
      'ALTER TABLE "collaborator_interests" DROP CONSTRAINT "FK_858bf3c88c9e1efbc9338f2b2b6"',
    );
    await queryRunner.query('DROP INDEX "public"."response_edits_response_idx"');
    await queryRunner.query('DROP TABLE "response_edits"');
    await queryRunner.query('DROP INDEX "public"."responses_prompt_created_idx"');
    await queryRunner.query('DROP INDEX "public"."responses_parent_created_idx"');
    await queryRunner.query('DROP INDEX "public"."responses_essay_review_idx"');
    await queryRunner.query('DROP INDEX "public"."responses_author_idx"');
    await queryRunner.query('DROP TABLE "responses"');
    await queryRunner.query('DROP TYPE "public"."review_status"');
    await queryRunner.query('DROP TYPE "public"."response_visibility"');
    await queryRunner.query('DROP INDEX "public"."collaborator_interests_essay_reader_key"');
    await queryRunner.query('DROP INDEX "public"."collaborator_interests_status_created_idx"');
    await queryRunner.query('DROP INDEX "public"."collaborator_interests_reader_idx"');
    await queryRunner.query('DROP TABLE "collaborator_interests"');
    await queryRunner.query('DROP TYPE "public"."interest_status"');
  }
}
