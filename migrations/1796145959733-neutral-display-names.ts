import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Names were the email's local part ("jane.smith" for jane.smith@corp.com),
 * which publishes part of a private address. Those become neutral names until
 * their owners choose one; any other name was chosen (the CLI's --name).
 */
export class NeutralDisplayNames1796145959733 implements MigrationInterface {
  name = 'NeutralDisplayNames1796145959733';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "users" ADD "display_name_chosen" boolean NOT NULL DEFAULT false',
    );
    await queryRunner.query(
      `UPDATE "users" SET "display_name_chosen" = true
       WHERE "display_name" <> left(split_part("email", '@', 1), 80)`,
    );
    await queryRunner.query(
      `UPDATE "users" SET "display_name" = CASE "role"
         WHEN 'AUTHOR' THEN 'The author'
         ELSE 'Reader ' || (1000 + floor(random() * 9000))::int
       END
       WHERE NOT "display_name_chosen"`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The names replaced are not brought back: they were part of private addresses.
    await queryRunner.query('ALTER TABLE "users" DROP COLUMN "display_name_chosen"');
  }
}
