import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { EssayEntity, EssayStatus } from './essay.entity.js';
import { PromptEntity } from './prompt.entity.js';

/**
 * SQL true when the essay `essayIdColumn` names is published: for other
 * features' queries that must not show what belongs to drafts and archived essays.
 */
export function publishedEssaySql(essayIdColumn: string): string {
  return `EXISTS (SELECT 1 FROM essays e WHERE e.id = ${essayIdColumn} AND e.status = '${EssayStatus.PUBLISHED}')`;
}

/**
 * The columns of `essays` other features may read in their own statements
 * (`JOIN ${ESSAYS_VIEW_SQL} e ON e.id = r.essay_id`), so they never name the
 * table; PostgreSQL folds the derived table into the join.
 */
export const ESSAYS_VIEW_SQL = '(SELECT id, slug, title, status FROM essays)';

/** The columns of `prompts` other features may read in their own statements, as above. */
export const PROMPTS_VIEW_SQL = '(SELECT id, essay_id, text FROM prompts)';

/** A prompt as a writer's transaction holds it: open or not, and its essay's status. */
export interface LockedPrompt {
  isOpen: boolean;
  essayId: string;
  essayStatus: EssayStatus;
}

/** Reads of essays and prompts that other features (responses, digests, pages) call. */
@Injectable()
export class EssaysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The published essays among `ids` (any order). */
  findPublished(ids: readonly string[]): Promise<EssayEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(EssayEntity)
      .findBy({ id: In([...ids]), status: EssayStatus.PUBLISHED });
  }

  /** Essays by id, whatever their status (any order). */
  findByIds(ids: readonly string[]): Promise<EssayEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(EssayEntity).findBy({ id: In([...ids]) });
  }

  /** Prompts by id (any order). */
  promptsByIds(ids: readonly string[]): Promise<PromptEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(PromptEntity).findBy({ id: In([...ids]) });
  }

  /**
   * In `manager`'s transaction: the essay, share-locked so its status holds
   * until the caller commits; null when there is none.
   */
  lockShared(manager: EntityManager, essayId: string): Promise<EssayEntity | null> {
    return manager
      .getRepository(EssayEntity)
      .createQueryBuilder('essay')
      .setLock('pessimistic_read')
      .where('essay.id = :essayId', { essayId })
      .getOne();
  }

  /**
   * In `manager`'s transaction: whether the prompt is open and its essay's
   * status, both rows share-locked (one statement) so neither changes until
   * the caller commits; null when there is no such prompt.
   */
  async lockPrompt(manager: EntityManager, promptId: string): Promise<LockedPrompt | null> {
    const [row] = await manager.query<
      { is_open: boolean; essay_id: string; status: EssayStatus }[]
    >(
      `SELECT p.is_open, e.id AS essay_id, e.status FROM prompts p JOIN essays e ON e.id = p.essay_id
        WHERE p.id = $1 FOR SHARE OF p, e`,
      [promptId],
    );
    return row ? { isOpen: row.is_open, essayId: row.essay_id, essayStatus: row.status } : null;
  }
}
