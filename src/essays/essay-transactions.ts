import type { DataSource, EntityManager } from 'typeorm';
import { isUuid } from '../common/uuid.js';
import { isUniqueViolation } from '../database/unique-violation.js';
import { UserEntity, UserRole } from '../users/user.entity.js';
import { EssayEntity, EssayStatus } from './essay.entity.js';
import { EssayNotFound, PromptNotFound, SlugTaken } from './essays.errors.js';
import { PromptEntity } from './prompt.entity.js';

/*
 * What the essays, prompts and import services share: one transaction helper,
 * the row locks (always the essay first, then its prompt) and who sees an essay.
 */

/** Runs `work` in a transaction, turning a slug clash into a typed error. */
export async function essayTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  slug?: string,
): Promise<T> {
  try {
    return await dataSource.transaction(work);
  } catch (error) {
    if (isUniqueViolation(error, 'essays_slug_key')) throw new SlugTaken(slug ?? '');
    throw error;
  }
}

export async function lockEssay(manager: EntityManager, id: string): Promise<EssayEntity> {
  if (!isUuid(id)) throw new EssayNotFound();
  const essay = await manager
    .getRepository(EssayEntity)
    .createQueryBuilder('essay')
    .setLock('pessimistic_write')
    .where('essay.id = :id', { id })
    .getOne();
  if (!essay) throw new EssayNotFound();
  return essay;
}

export async function lockPrompt(manager: EntityManager, id: string): Promise<PromptEntity> {
  if (!isUuid(id)) throw new PromptNotFound();
  const prompt = await manager
    .getRepository(PromptEntity)
    .createQueryBuilder('prompt')
    .setLock('pessimistic_write')
    .where('prompt.id = :id', { id })
    .getOne();
  if (!prompt) throw new PromptNotFound();
  return prompt;
}

export function isAuthor(viewer: UserEntity | null): boolean {
  return viewer?.role === UserRole.AUTHOR;
}

/** Published essays are everyone's; drafts and archived essays exist only for the author. */
export function canSeeEssay(viewer: UserEntity | null, status: string): boolean {
  return status === EssayStatus.PUBLISHED || isAuthor(viewer);
}
