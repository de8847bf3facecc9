import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Not } from 'typeorm';
import { AuditAction } from '../audit/audit-entry.entity.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { Clock } from '../common/clock.js';
import { BadUserInput } from '../common/errors.js';
import { excerptOf, renderMarkdown } from '../common/markdown.js';
import {
  decodeCursor,
  isTimestampKey,
  pageSize,
  toConnection,
  type Connection,
} from '../common/pagination.js';
import { isUuid } from '../common/uuid.js';
import { entityRowMapper, type EntityRowMapper } from '../database/entity-rows.js';
import { isUniqueViolation } from '../database/unique-violation.js';
import { EventEntity, EventType } from '../events/event.entity.js';
import { EventsService, type AfterCommit } from '../events/events.service.js';
import { UserEntity, UserRole } from '../users/user.entity.js';
import { EssayEntity, EssayStatus } from './essay.entity.js';
import { parseEssaySource, slugOf } from './essay-source.js';
import { EssayNotFound, PromptNotFound, SlugTaken } from './essays.errors.js';
import { extractPrompts, normalizePrompt, uniquePrompts } from './prompt-extractor.js';
import { PromptEntity } from './prompt.entity.js';

export type ImportOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED';

export interface EssayDraft {
  title: string;
  bodyMarkdown: string;
  slug?: string;
  tags?: string[];
  entityIds?: string[];
  canonicalUrl?: string;
  prompts?: string[];
}

/** What updateEssay may change; null clears (or, for title, slug and body, leaves as is). */
export type EssayChanges = {
  [K in Exclude<keyof EssayDraft, 'prompts'>]?: EssayDraft[K] | null;
};

export interface EssayListQuery {
  first?: number;
  after?: string | null;
  status?: EssayStatus;
}

/** As many as an imported file or createEssay may ask. */
const MAX_PROMPTS = 20;
const SORT_KEY = 'COALESCE(essay.published_at, essay.created_at)';

@Injectable()
export class EssaysService {
  private readonly toPrompt: EntityRowMapper<PromptEntity>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly clock: Clock,
    private readonly audit: AuditLogService,
  ) {
    this.toPrompt = entityRowMapper(dataSource, PromptEntity);
  }

  /** Published essays for everyone; every essay for the author. Newest first. */
  async list(viewer: UserEntity | null, query: EssayListQuery): Promise<Connection<EssayEntity>> {
    const first = pageSize(query.first);
    const after = decodeCursor(query.after, isTimestampKey);
    const qb = this.dataSource
      .getRepository(EssayEntity)
      .createQueryBuilder('essay')
      .addSelect(
        `to_char(${SORT_KEY} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
        'sort_key',
      )
      .orderBy(SORT_KEY, 'DESC')
      .addOrderBy('essay.id', 'DESC')
      .limit(first + 1);
    if (!isAuthor(viewer)) {
      if (query.status && query.status !== EssayStatus.PUBLISHED) return emptyConnection();
      qb.where('essay.status = :published', { published: EssayStatus.PUBLISHED });
    } else if (query.status) {
      qb.where('essay.status = :status', { status: query.status });
    }
    if (after) {
      qb.andWhere(
        `(${SORT_KEY}, essay.id) < (:afterKey::timestamp AT TIME ZONE 'UTC', :afterId::uuid)`,
        {
          afterKey: after.key,
          afterId: after.id,
        },
      );
    }
    const { entities, raw } = await qb.getRawAndEntities<{ sort_key: string }>();
    const keys = new Map(entities.map((essay, index) => [essay.id, raw[index]!.sort_key]));
    return toConnection(
      entities,
      first,
      Boolean(after),
      (essay) => ({ key: keys.get(essay.id)!, id: essay.id }),
      (essay) => essay,
    );
  }

  /** An essay by slug; drafts and archived essays exist only for the author. */
  async getBySlug(viewer: UserEntity | null, slug: string): Promise<EssayEntity> {
    // PostgreSQL text cannot hold NUL: a page URL with %00 names no essay (not a 500).
    if (slug.includes('\0')) throw new EssayNotFound();
    const essay = await this.dataSource.getRepository(EssayEntity).findOneBy({ slug });
    if (!essay || !canSee(viewer, essay)) throw new EssayNotFound();
    return essay;
  }

  async getVisible(viewer: UserEntity | null, id: string): Promise<EssayEntity> {
    if (!isUuid(id)) throw new EssayNotFound();
    const essay = await this.dataSource.getRepository(EssayEntity).findOneBy({ id });
    if (!essay || !canSee(viewer, essay)) throw new EssayNotFound();
    return essay;
  }

  findByIds(ids: readonly string[]): Promise<EssayEntity[]> {
    return this.dataSource.getRepository(EssayEntity).findBy({ id: In([...ids]) });
  }

  findPromptsByIds(ids: readonly string[]): Promise<PromptEntity[]> {
    return this.dataSource.getRepository(PromptEntity).findBy({ id: In([...ids]) });
  }

  promptsOfEssays(essayIds: readonly string[]): Promise<PromptEntity[]> {
    return this.dataSource.getRepository(PromptEntity).find({
      where: { essayId: In([...essayIds]) },
      order: { position: 'ASC', createdAt: 'ASC' },
    });
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
    if (!row || (row.essay_status !== EssayStatus.PUBLISHED && !isAuthor(viewer))) {
      throw new PromptNotFound();
    }
    return this.toPrompt(row);
  }

  /**
   * Creates or updates the essay a markdown file describes, matched by slug.
   * Importing identical content writes nothing.
   */
  async importMarkdown(
    author: UserEntity,
    markdown: string,
  ): Promise<{ essay: EssayEntity; outcome: ImportOutcome }> {
    const source = parseEssaySource(markdown);
    let afterCommit: AfterCommit | undefined;
    const imported = await this.inTransaction(async (manager) => {
      const essays = manager.getRepository(EssayEntity);
      const existing = await essays
        .createQueryBuilder('essay')
        .setLock('pessimistic_write')
        .where('essay.slug = :slug', { slug: source.slug })
        .getOne();
      if (existing?.sourceHash === source.sourceHash)
        return { essay: existing, outcome: 'UNCHANGED' as const };

      const wasPublished = existing?.status === EssayStatus.PUBLISHED;
      const essay = existing ?? essays.create({ slug: source.slug, authorId: author.id });
      Object.assign(essay, {
        title: source.title,
        bodyMarkdown: source.bodyMarkdown,
        bodyHtml: renderMarkdown(source.bodyMarkdown, { images: true }),
        excerpt: excerptOf(source.bodyMarkdown),
        status: source.status,
        tags: source.tags,
        entityIds: source.entityIds,
        canonicalUrl: source.canonicalUrl,
        frontmatter: source.extraFrontmatter,
        sourceHash: source.sourceHash,
        publishedAt:
          source.publishedAt ??
          existing?.publishedAt ??
          (source.status === EssayStatus.PUBLISHED ? this.clock.now() : null),
      });
      const saved = await essays.save(essay);
      await this.syncPrompts(manager, saved.id, source.prompts);
      if (saved.status === EssayStatus.PUBLISHED && !wasPublished) {
        afterCommit = await this.announcePublished(manager, saved, author);
      }
      return { essay: saved, outcome: existing ? ('UPDATED' as const) : ('CREATED' as const) };
    });
    await afterCommit?.();
    return imported;
  }

  async create(author: UserEntity, draft: EssayDraft): Promise<EssayEntity> {
    const title = draft.title.trim();
    if (!title) throw new BadUserInput('The title is empty.', 'title');
    const slug = slugOf(draft.slug, title);
    const prompts = draft.prompts?.length
      ? uniquePrompts(draft.prompts.map(promptText))
      : extractPrompts(draft.bodyMarkdown);
    return this.inTransaction(async (manager) => {
      const essay = await manager.getRepository(EssayEntity).save(
        manager.getRepository(EssayEntity).create({
          slug,
          title,
          authorId: author.id,
          status: EssayStatus.DRAFT,
          bodyMarkdown: draft.bodyMarkdown,
          bodyHtml: renderMarkdown(draft.bodyMarkdown, { images: true }),
          excerpt: excerptOf(draft.bodyMarkdown),
          tags: draft.tags ?? [],
          entityIds: draft.entityIds ?? [],
          canonicalUrl: draft.canonicalUrl ?? null,
          frontmatter: {},
        }),
      );
      await this.syncPrompts(manager, essay.id, prompts);
      return essay;
    }, slug);
  }

  /**
   * Changes what is given. Null leaves the title, slug and body as they are and
   * clears tags, entity ids and the canonical URL.
   */
  async update(id: string, changes: EssayChanges): Promise<EssayEntity> {
    return this.inTransaction(async (manager) => {
      const essay = await this.lockEssay(manager, id);
      if (changes.title != null) {
        const title = changes.title.trim();
        if (!title) throw new BadUserInput('The title is empty.', 'title');
        essay.title = title;
      }
      if (changes.slug != null) essay.slug = slugOf(changes.slug, essay.title);
      if (changes.bodyMarkdown != null) {
        essay.bodyMarkdown = changes.bodyMarkdown;
        essay.bodyHtml = renderMarkdown(changes.bodyMarkdown, { images: true });
        essay.excerpt = excerptOf(changes.bodyMarkdown);
      }
      if (changes.tags !== undefined) essay.tags = changes.tags ?? [];
      if (changes.entityIds !== undefined) essay.entityIds = changes.entityIds ?? [];
      if (changes.canonicalUrl !== undefined) essay.canonicalUrl = changes.canonicalUrl || null;
      // The essay no longer matches the file it came from: importing that file again applies it.
      essay.sourceHash = null;
      return manager.getRepository(EssayEntity).save(essay);
    }, changes.slug ?? undefined);
  }

  /** Publishes the essay and writes ESSAY_PUBLISHED (once per essay) in the same transaction. */
  async publish(author: UserEntity, id: string): Promise<EssayEntity> {
    let afterCommit: AfterCommit | undefined;
    const published = await this.inTransaction(async (manager) => {
      const essay = await this.lockEssay(manager, id);
      if (essay.status === EssayStatus.PUBLISHED) return essay;
      await this.audit.record(
        manager,
        AuditAction.ESSAY_PUBLISHED,
        { type: 'essay', id },
        { status: essay.status },
        { status: EssayStatus.PUBLISHED },
      );
      essay.status = EssayStatus.PUBLISHED;
      essay.publishedAt ??= this.clock.now();
      const saved = await manager.getRepository(EssayEntity).save(essay);
      afterCommit = await this.announcePublished(manager, saved, author);
      return saved;
    });
    await afterCommit?.();
    return published;
  }

  async archive(id: string): Promise<EssayEntity> {
    return this.inTransaction(async (manager) => {
      const essay = await this.lockEssay(manager, id);
      await this.audit.record(
        manager,
        AuditAction.ESSAY_ARCHIVED,
        { type: 'essay', id },
        { status: essay.status },
        { status: EssayStatus.ARCHIVED },
      );
      essay.status = EssayStatus.ARCHIVED;
      return manager.getRepository(EssayEntity).save(essay);
    });
  }

  async addPrompt(essayId: string, text: string): Promise<PromptEntity> {
    const normalized = promptText(text);
    return this.inTransaction(async (manager) => {
      await this.lockEssay(manager, essayId);
      const prompts = manager.getRepository(PromptEntity);
      const existing = await prompts.findBy({ essayId });
      if (existing.some((p) => p.text.toLowerCase() === normalized.toLowerCase())) {
        throw new BadUserInput('The essay already has this prompt.', 'text');
      }
      if (existing.length >= MAX_PROMPTS) {
        throw new BadUserInput(`An essay can have at most ${MAX_PROMPTS} prompts.`, 'essayId');
      }
      const position = Math.max(-1, ...existing.map((p) => p.position)) + 1;
      return prompts.save(
        prompts.create({ essayId, text: normalized, sourceText: null, position, isOpen: true }),
      );
    });
  }

  async updatePrompt(id: string, text: string): Promise<PromptEntity> {
    const normalized = promptText(text);
    return this.inTransaction(async (manager) => {
      // The essay is locked first, as everywhere else, so two edits cannot both pass the check.
      const current = isUuid(id)
        ? await manager.getRepository(PromptEntity).findOneBy({ id })
        : null;
      if (!current) throw new PromptNotFound();
      await this.lockEssay(manager, current.essayId);
      const prompt = await this.lockPrompt(manager, id);
      const others = await manager
        .getRepository(PromptEntity)
        .findBy({ essayId: prompt.essayId, id: Not(prompt.id) });
      if (others.some((p) => p.text.toLowerCase() === normalized.toLowerCase())) {
        throw new BadUserInput('The essay already has this prompt.', 'text');
      }
      prompt.text = normalized;
      return manager.getRepository(PromptEntity).save(prompt);
    });
  }

  async closePrompt(id: string): Promise<PromptEntity> {
    return this.inTransaction(async (manager) => {
      const prompt = await this.lockPrompt(manager, id);
      prompt.isOpen = false;
      return manager.getRepository(PromptEntity).save(prompt);
    });
  }

  /**
   * Records ESSAY_PUBLISHED unless the essay was announced before: archiving and
   * publishing again must not send subscribers the same essay twice.
   */
  private async announcePublished(
    manager: EntityManager,
    essay: EssayEntity,
    author: UserEntity,
  ): Promise<AfterCommit | undefined> {
    const announced = await manager.getRepository(EventEntity).existsBy({
      type: EventType.ESSAY_PUBLISHED,
      subjectId: essay.id,
    });
    if (announced) return undefined;
    return this.events.record(manager, {
      type: EventType.ESSAY_PUBLISHED,
      essayId: essay.id,
      subjectId: essay.id,
      actorId: author.id,
    });
  }

  /**
   * Makes the essay's prompts match the questions of its source: new
   * questions are added in order; prompts that came from questions the source
   * no longer asks are removed unless readers answered them. Prompts are
   * matched by the question they came from, so the author's rewording stays,
   * and prompts the author added are left alone.
   */
  private async syncPrompts(
    manager: EntityManager,
    essayId: string,
    questions: string[],
  ): Promise<void> {
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
    await manager.query(
      `DELETE FROM prompts p WHERE p.id = ANY($1::uuid[])
         AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.prompt_id = p.id)`,
      [ids],
    );
  }

  private async lockEssay(manager: EntityManager, id: string): Promise<EssayEntity> {
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

  private async lockPrompt(manager: EntityManager, id: string): Promise<PromptEntity> {
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

  /** Runs `work` in a transaction, turning a slug clash into a typed error. */
  private async inTransaction<T>(
    work: (manager: EntityManager) => Promise<T>,
    slug?: string,
  ): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (isUniqueViolation(error, 'essays_slug_key')) throw new SlugTaken(slug ?? '');
      throw error;
    }
  }
}

function promptText(text: string): string {
  const normalized = normalizePrompt(text);
  if (normalized.length < 2 || normalized.length > 500) {
    throw new BadUserInput('A prompt must be 2 to 500 characters.', 'text');
  }
  return normalized;
}

function isAuthor(viewer: UserEntity | null): boolean {
  return viewer?.role === UserRole.AUTHOR;
}

function canSee(viewer: UserEntity | null, essay: EssayEntity): boolean {
  return essay.status === EssayStatus.PUBLISHED || isAuthor(viewer);
}

function emptyConnection<T>(): Connection<T> {
  return {
    edges: [],
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  };
}
