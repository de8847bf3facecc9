import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795712770788 implements MigrationInterface {
  name = 'InitialSchema1795712770788';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TYPE "public"."user_role" AS ENUM(\'AUTHOR\', \'READER\')');
    await queryRunner.query(
      'CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" text NOT NULL, "display_name" text NOT NULL, "role" "public"."user_role" NOT NULL DEFAULT \'READER\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "users_email_key" ON "users"  ("email") ');
    await queryRunner.query('CREATE TYPE "public"."delivery_kind" AS ENUM(\'SIGN_IN\')');
    await queryRunner.query(
      "CREATE TYPE \"public\".\"delivery_state\" AS ENUM('PENDING', 'SENT', 'SKIPPED', 'FAILED')",
    );
    await queryRunner.query(
      'CREATE TABLE "deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" "public"."delivery_kind" NOT NULL, "recipient" text NOT NULL, "reason_key" text NOT NULL, "state" "public"."delivery_state" NOT NULL DEFAULT \'PENDING\', "attempts" integer NOT NULL DEFAULT \'0\', "message_id" text, "last_error" text, "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a6ef225c5c5f0974e503bfb731f" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "deliveries_state_created_idx" ON "deliveries"  ("state", "created_at") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "deliveries_reason_key" ON "deliveries"  ("recipient", "kind", "reason_key") ',
    );
    await queryRunner.query(
      'CREATE TABLE "sign_in_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" text NOT NULL, "token_hash" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_32dc38a124eb12791e7726a4492" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "sign_in_tokens_email_idx" ON "sign_in_tokens"  ("email") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "sign_in_tokens_token_hash_key" ON "sign_in_tokens"  ("token_hash") ',
    );
    await queryRunner.query(
      "CREATE TYPE \"public\".\"event_type\" AS ENUM('ESSAY_PUBLISHED', 'RESPONSE_PUBLISHED', 'AUTHOR_REPLIED', 'INTEREST_RECEIVED')",
    );
    await queryRunner.query(
      'CREATE TABLE "events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "type" "public"."event_type" NOT NULL, "essay_id" uuid, "subject_id" uuid NOT NULL, "actor_id" uuid, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_40731c7151fe4be3116e45ddf73" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "events_essay_occurred_idx" ON "events"  ("essay_id", "occurred_at") ',
    );
    await queryRunner.query('CREATE INDEX "events_occurred_idx" ON "events"  ("occurred_at") ');
    await queryRunner.query(
      "CREATE TYPE \"public\".\"essay_status\" AS ENUM('DRAFT', 'PUBLISHED', 'ARCHIVED')",
    );
    await queryRunner.query(
      'CREATE TABLE "essays" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "slug" text NOT NULL, "title" text NOT NULL, "body_markdown" text NOT NULL, "body_html" text NOT NULL, "excerpt" text NOT NULL, "status" "public"."essay_status" NOT NULL DEFAULT \'DRAFT\', "published_at" TIMESTAMP WITH TIME ZONE, "tags" text array NOT NULL DEFAULT \'{}\', "entity_ids" text array NOT NULL DEFAULT \'{}\', "canonical_url" text, "frontmatter" jsonb NOT NULL DEFAULT \'{}\', "source_hash" text, "author_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_93f345390e2a15e1e990d98773f" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "essays_slug_key" ON "essays"  ("slug") ');
    await queryRunner.query(
      'CREATE TABLE "prompts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "essay_id" uuid NOT NULL, "text" text NOT NULL, "position" integer NOT NULL, "is_open" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_21f33798862975179e40b216a1d" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "prompts_essay_position_idx" ON "prompts"  ("essay_id", "position") ',
    );
    await queryRunner.query(
      'ALTER TABLE "essays" ADD CONSTRAINT "FK_83d44b830c57d9fc03707d1ad66" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "prompts" ADD CONSTRAINT "FK_8a9a7b8c44c4b37439b64e38156" FOREIGN KEY ("essay_id") REFERENCES "essays"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    // Not from the entities: the listing-order expression indexes and the rate-limit counters.
    await queryRunner.query(
      'CREATE INDEX "essays_sort_idx" ON "essays" ((COALESCE("published_at", "created_at")) DESC, "id" DESC)',
    );
    await queryRunner.query(
      'CREATE INDEX "essays_status_sort_idx" ON "essays" ("status", (COALESCE("published_at", "created_at")) DESC, "id" DESC)',
    );
    await queryRunner.query(
      'CREATE TABLE "rate_limits" ("key" varchar(255) PRIMARY KEY, "points" integer NOT NULL DEFAULT 0, "expire" bigint)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "rate_limits"');
    await queryRunner.query('DROP INDEX "public"."essays_status_sort_idx"');
    await queryRunner.query('DROP INDEX "public"."essays_sort_idx"');
    await queryRunner.query(
      'ALTER TABLE "prompts" DROP CONSTRAINT "FK_8a9a7b8c44c4b37439b64e38156"',
    );
    await queryRunner.query(
      'ALTER TABLE "essays" DROP CONSTRAINT "FK_83d44b830c57d9fc03707d1ad66"',
    );
    await queryRunner.query('DROP INDEX "public"."prompts_essay_position_idx"');
    await queryRunner.query('DROP TABLE "prompts"');
    await queryRunner.query('DROP INDEX "public"."essays_slug_key"');
    await queryRunner.query('DROP TABLE "essays"');
    await queryRunner.query('DROP TYPE "public"."essay_status"');
    await queryRunner.query('DROP INDEX "public"."events_occurred_idx"');
    await queryRunner.query('DROP INDEX "public"."events_essay_occurred_idx"');
    await queryRunner.query('DROP TABLE "events"');
    await queryRunner.query('DROP TYPE "public"."event_type"');
    await queryRunner.query('DROP INDEX "public"."sign_in_tokens_token_hash_key"');
    await queryRunner.query('DROP INDEX "public"."sign_in_tokens_email_idx"');
    await queryRunner.query('DROP TABLE "sign_in_tokens"');
    await queryRunner.query('DROP INDEX "public"."deliveries_reason_key"');
    await queryRunner.query('DROP INDEX "public"."deliveries_state_created_idx"');
    await queryRunner.query('DROP TABLE "deliveries"');
    await queryRunner.query('DROP TYPE "public"."delivery_state"');
    await queryRunner.query('DROP TYPE "public"."delivery_kind"');
    await queryRunner.query('DROP INDEX "public"."users_email_key"');
    await queryRunner.query('DROP TABLE "users"');
    await queryRunner.query('DROP TYPE "public"."user_role"');
  }
}
