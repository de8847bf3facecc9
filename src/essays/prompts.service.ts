import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Not } from 'typeorm';
import { AuditAction } from '../audit/audit-entry.entity.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { BadUserInput } from '../common/errors.js';
import { isUuid } from '../common/uuid.js';
import { entityRowMapper, type EntityRowMapper } from '../database/entity-rows.js';
import { UserEntity } from '../users/user.entity.js';
import { canSeeEssay, essayTransaction, lockEssay, lockPrompt } from './essay-transactions.js';
import { ESSAY_LIMITS } from './essay.limits.js';
import { PromptNotFound } from './essays.errors.js';
import { normalizePrompt } from './prompt-extractor.js';
import { PromptAnswers } from './prompt-answers.js';
import { PromptEntity } from './prompt.entity.js';

/** The questions essays ask: reads, the author's edits, and keeping them in step with a source. */
@Injectable()
export class PromptsService {
  private readonly toPrompt: EntityRowMapper<PromptEntity>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly answers: PromptAnswers,
  ) {
    this.toPrompt = entityRowMapper(dataSource, PromptEntity);
  }

  /** The prompts loader's batch: plain SQL, like every read a conversation page makes. */
  async findPromptsByIds(ids: readonly string[]): Promise<PromptEntity[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      'SELECT * FROM prompts WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return rows.map(this.toPrompt);
  }

  /** Each essay's prompts, in order: the essay page's `prompts`, in plain SQL. */
  async promptsOfEssays(essayIds: readonly string[]): Promise<PromptEntity[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      'SELECT * FROM prompts WHERE essay_id = ANY($1::uuid[]) ORDER BY position, created_at',
      [essayIds],
    );
    return rows.map(this.toPrompt);
  }

  /** A prompt, when its essay is visible to the viewer. */
  async getPrompt(viewer: UserEntity | null, id: string): Promise<PromptEntity> {
    if (!isUuid(id)) throw new PromptNotFound();
    // One statement: every read of a prompt's page starts here.
    const [row] = await this.dataSource.query<
      (Record<string, unknown> & { essay_status: string })[]
    >(
      `SELECT p.*, e.status AS essay_status FROM prompts p JOIN essays e ON e.id = p.essay_id
        WHERE p.id = $1`,
      [id],
    );
    if (!row || !canSeeEssay(viewer, row.essay_status)) {
      throw new PromptNotFound();
    }
    return this.toPrompt(row);
  }

  async addPrompt(actorId: string, essayId: string, text: string): Promise<PromptEntity> {
    const normalized = promptText(text);
    return essayTransaction(this.dataSource, async (manager) => {
      await lockEssay(manager, essayId);
      const prompts = manager.getRepository(PromptEntity);
      const existing = await prompts.findBy({ essayId });
      if (existing.some((p) => p.text.toLowerCase() === normalized.toLowerCase())) {
        throw new BadUserInput('The essay already has this prompt.', 'text');
      }
      if (existing.length >= ESSAY_LIMITS.prompts) {
        throw new BadUserInput(
          `An essay can have at most ${ESSAY_LIMITS.prompts} prompts.`,
          'essayId',
        );
      }
      const position = Math.max(-1, ...existing.map((p) => p.position)) + 1;
      const added = await prompts.save(
        prompts.create({ essayId, text: normalized, sourceText: null, position, isOpen: true }),
      );
      await this.audit.record(
        manager,
        actorId,
        AuditAction.PROMPT_ADDED,
        { type: 'prompt', id: added.id },
        null,
        {
          essayId,
          text: added.text,
        },
      );
      return added;
    });
  }

  async updatePrompt(actorId: string, id: string, text: string): Promise<PromptEntity> {
    const normalized = promptText(text);
    return essayTransaction(this.dataSource, async (manager) => {
      // The essay is locked first, as everywhere else, so two edits cannot both pass the check.
      const current = isUuid(id)
        ? await manager.getRepository(PromptEntity).findOneBy({ id })
        : null;
      if (!current) throw new PromptNotFound();
      await lockEssay(manager, current.essayId);
      const prompt = await lockPrompt(manager, id);
      const others = await manager
        .getRepository(PromptEntity)
        .findBy({ essayId: prompt.essayId, id: Not(prompt.id) });
      if (others.some((p) => p.text.toLowerCase() === normalized.toLowerCase())) {
        throw new BadUserInput('The essay already has this prompt.', 'text');
      }
      const before = { text: prompt.text };
      prompt.text = normalized;
      const saved = await manager.getRepository(PromptEntity).save(prompt);
      await this.audit.record(
        manager,
        actorId,
        AuditAction.PROMPT_UPDATED,
        { type: 'prompt', id },
        before,
        { text: saved.text },
      );
      return saved;
    });
  }

  async closePrompt(actorId: string, id: string): Promise<PromptEntity> {
    return this.setPromptOpen(actorId, id, false);
  }

  async reopenPrompt(actorId: string, id: string): Promise<PromptEntity> {
    return this.setPromptOpen(actorId, id, true);
  }

  private async setPromptOpen(actorId: string, id: string, isOpen: boolean): Promise<PromptEntity> {
    return essayTransaction(this.dataSource, async (manager) => {
      const prompt = await lockPrompt(manager, id);
      const before = { isOpen: prompt.isOpen };
      prompt.isOpen = isOpen;
      const saved = await manager.getRepository(PromptEntity).save(prompt);
      await this.audit.record(
        manager,
        actorId,
        isOpen ? AuditAction.PROMPT_REOPENED : AuditAction.PROMPT_CLOSED,
        { type: 'prompt', id },
        before,
        { isOpen },
      );
      return saved;
    });
  }

  /**
   * Inside the caller's transaction, makes the essay's prompts match the
   * questions of its source: new questions are added in order; prompts that
   * came from questions the source no longer asks are removed unless readers
   * answered them. Prompts are matched by the question they came from, so the
   * author's rewording stays, and prompts the author added are left alone.
   */
  async syncPrompts(manager: EntityManager, essayId: string, questions: string[]): Promise<void> {
    const prompts = manager.getRepository(PromptEntity);
    const existing = await prompts.find({ where: { essayId }, order: { position: 'ASC' } });
    const asked = new Set(
      existing.flatMap((p) => [p.text, p.sourceText ?? ''].map((t) => t.toLowerCase())),
    );
    const wanted = new Set(questions.map((q) => q.toLowerCase()));
    let position = Math.max(-1, ...existing.map((p) => p.position)) + 1;
    const added = questions
      .filter((q) => !asked.has(q.toLowerCase()))
      .map((text) => ({ essayId, text, sourceText: text, position: position++, isOpen: true }));
    if (added.length) await prompts.insert(added);
    const gone = existing
      .filter((p) => p.sourceText !== null && !wanted.has(p.sourceText.toLowerCase()))
      .map((p) => p.id);
    if (gone.length) await this.deleteUnansweredPrompts(manager, gone);
  }

  /** Removes prompts the source no longer asks; answered prompts are never deleted. */
  private async deleteUnansweredPrompts(manager: EntityManager, ids: string[]): Promise<void> {
    // Locked first: a response being written to one of them (it share-locks its
    // prompt) commits before the check below, which then sees it.
    await manager.query(`SELECT 1 FROM prompts WHERE id = ANY($1::uuid[]) FOR UPDATE`, [ids]);
    const answered = new Set(await this.answers.answered(manager, ids));
    const unanswered = ids.filter((id) => !answered.has(id));
    if (unanswered.length === 0) return;
    await manager.query(`DELETE FROM prompts p WHERE p.id = ANY($1::uuid[])`, [unanswered]);
  }
}

export function promptText(text: string): string {
  const normalized = normalizePrompt(text);
  if (normalized.length < ESSAY_LIMITS.promptMin || normalized.length > ESSAY_LIMITS.prompt) {
    throw new BadUserInput(
      `A prompt must be ${ESSAY_LIMITS.promptMin} to ${ESSAY_LIMITS.prompt} characters.`,
      'text',
    );
  }
  return normalized;
}
