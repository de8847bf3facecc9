import type { MigrationInterface, QueryRunner } from 'typeorm';
import { renderMarkdown } from '../src/common/markdown.js';

/**
 * Responses and essays rendered before remote images were tamed still hold
 * `<img>` tags that load from any host (http too, 1×1 with width/height):
 * render those again from their markdown as new ones are (responses: images
 * become links; essays: https only, lazy, no referrer, no size).
 */
export class RerenderRemoteImages1796146900000 implements MigrationInterface {
  name = 'RerenderRemoteImages1796146900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, images] of [
      ['responses', false],
      ['essays', true],
    ] as const) {
      const rows: { id: string; body_markdown: string }[] = await queryRunner.query(
        `SELECT id, body_markdown FROM "${table}" WHERE body_html LIKE '%<img%'`,
      );
      for (const row of rows) {
        await queryRunner.query(`UPDATE "${table}" SET body_html = $2 WHERE id = $1`, [
          row.id,
          renderMarkdown(row.body_markdown, { images }),
        ]);
      }
    }
  }

  async down(): Promise<void> {
    // The old HTML tracked readers; it is not brought back.
  }
}
