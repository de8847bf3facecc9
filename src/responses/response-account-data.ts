import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AccountData,
  AccountDeletionMode,
  type AccountDataContributor,
  type AccountErasure,
} from '../account/account-data.js';
import type { UserEntity } from '../users/user.entity.js';
import { ESSAYS_VIEW_SQL, PROMPTS_VIEW_SQL } from '../essays/essays.repository.js';

/** A reader's responses and replies, with their edit history; erased or anonymised with the account. */
@Injectable()
export class ResponseAccountData implements AccountDataContributor, OnModuleInit {
  readonly key = 'responses';

  constructor(private readonly accountData: AccountData) {}

  onModuleInit(): void {
    this.accountData.contribute(this);
  }

  async export(manager: EntityManager, user: UserEntity): Promise<unknown> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT r.id, r.essay_id, e.slug, e.title, r.prompt_id, p.text AS prompt, r.parent_id,
              r.visibility, r.body_markdown, r.created_at, r.edited_at, r.deleted_at,
              COALESCE((SELECT json_agg(json_build_object('body', ed.body_markdown, 'replacedAt', ed.replaced_at)
                                        ORDER BY ed.replaced_at)
                          FROM response_edits ed WHERE ed.response_id = r.id), '[]') AS edits
         FROM responses r JOIN ${ESSAYS_VIEW_SQL} e ON e.id = r.essay_id
         JOIN ${PROMPTS_VIEW_SQL} p ON p.id = r.prompt_id
        WHERE r.author_id = $1
        ORDER BY r.created_at, r.id`,
      [user.id],
    );
    return rows.map((row) => ({
      id: row.id,
      kind: row.parent_id ? 'reply' : 'response',
      essay: { id: row.essay_id, slug: row.slug, title: row.title },
      prompt: { id: row.prompt_id, text: row.prompt },
      inReplyTo: row.parent_id,
      visibility: row.visibility,
      body: row.deleted_at ? null : row.body_markdown,
      createdAt: row.created_at,
      editedAt: row.edited_at,
      deletedAt: row.deleted_at,
      edits: row.edits,
    }));
  }

  async erase(
    manager: EntityManager,
    { user, mode, formerReaderId, at }: AccountErasure,
  ): Promise<void> {
    // Threads they started name them as their owner: the stand-in owns them now.
    await manager.query(`UPDATE responses SET thread_owner_id = $2 WHERE thread_owner_id = $1`, [
      user.id,
      formerReaderId,
    ]);
    await manager.query(
      `DELETE FROM response_edits WHERE response_id IN (SELECT id FROM responses WHERE author_id = $1)`,
      [user.id],
    );
    if (mode === AccountDeletionMode.ANONYMISE) {
      await manager.query(`UPDATE responses SET author_id = $2 WHERE author_id = $1`, [
        user.id,
        formerReaderId,
      ]);
      return;
    }
    // ERASE: a response under which someone else wrote keeps its place as deleted (so their
    // replies stay in the thread); every other one of theirs goes.
    await manager.query(
      `WITH RECURSIVE above(id) AS (
         SELECT r.parent_id FROM responses r
          WHERE r.author_id <> $1 AND r.parent_id IS NOT NULL
            AND r.root_id IN (SELECT root_id FROM responses WHERE author_id = $1)
         UNION
         SELECT p.parent_id FROM responses p JOIN above ON p.id = above.id WHERE p.parent_id IS NOT NULL
       )
       UPDATE responses SET author_id = $2, body_markdown = '', body_html = '',
              deleted_at = COALESCE(deleted_at, $3)
        WHERE author_id = $1 AND id IN (SELECT id FROM above)`,
      [user.id, formerReaderId, at],
    );
    await manager.query(`DELETE FROM responses WHERE author_id = $1`, [user.id]);
  }
}
