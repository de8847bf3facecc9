import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditAction } from '../audit/audit-entry.entity.js';
import { AuditLogService, type AuditActorId } from '../audit/audit-log.service.js';
import { Clock } from '../common/clock.js';
import { BadUserInput } from '../common/errors.js';
import { excerptOf, renderMarkdown } from '../common/markdown.js';
import {
  emptyConnection,
  fetchPage,
  keysetPage,
  timeOrder,
  type Connection,
} from '../common/pagination.js';
import { isUuid } from '../common/uuid.js';
import { entityRowMapper, type EntityRowMapper } from '../database/entity-rows.js';
import { EventType } from '../events/event.entity.js';
import { EventsService, type AfterCommit } from '../events/events.service.js';
import { UserEntity } from '../users/user.entity.js';
import { EssayEntity, EssayStatus } from './essay.entity.js';
import { slugOf } from './essay-source.js';
import { canSeeEssay, essayTransaction, isAuthor, lockEssay } from './essay-transactions.js';
import { EssayNotFound } from './essays.errors.js';
import { extractPrompts, uniquePrompts } from './prompt-extractor.js';
import { promptText, PromptsService } from './prompts.service.js';

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

/** Newest first, by publication (a draft by when it was made). */
const NEWEST = timeOrder('COALESCE(essay.published_at, essay.created_at)', 'essay.id', true);

@Injectable()
export class EssaysService {
  private readonly toEssay: EntityRowMapper<EssayEntity>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly prompts: PromptsService,
    private readonly clock: Clock,
    private readonly audit: AuditLogService,
  ) {
    this.toEssay = entityRowMapper(dataSource, EssayEntity);
  }

  /** Published essays for everyone; every essay for the author. Newest first. */
  async list(viewer: UserEntity | null, query: EssayListQuery): Promise<Connection<EssayEntity>> {
    const page = keysetPage(NEWEST, query);
    const qb = this.dataSource.getRepository(EssayEntity).createQueryBuilder('essay');
    if (!isAuthor(viewer)) {
      if (query.status && query.status !== EssayStatus.PUBLISHED) return emptyConnection();
      qb.where('essay.status = :published', { published: EssayStatus.PUBLISHED });
    } else if (query.status) {
      qb.where('essay.status = :status', { status: query.status });
    }
    return fetchPage(qb, page);
  }

  /** An essay by slug; drafts and archived essays exist only for the author. */
  async getBySlug(viewer: UserEntity | null, slug: string): Promise<EssayEntity> {
    // PostgreSQL text cannot hold NUL: a page URL with %00 names no essay (not a 500).
    if (slug.includes('\0')) throw new EssayNotFound();
    // Plain SQL: the conversation page starts here.
    const [row] = await this.dataSource.query<Record<string, unknown>[]>(
      'SELECT * FROM essays WHERE slug = $1',
      [slug],
    );
    const essay = row ? this.toEssay(row) : null;
    if (!essay || !canSeeEssay(viewer, essay.status)) throw new EssayNotFound();
    return essay;
  }

  async getVisible(viewer: UserEntity | null, id: string): Promise<EssayEntity> {
    if (!isUuid(id)) throw new EssayNotFound();
    const essay = await this.dataSource.getRepository(EssayEntity).findOneBy({ id });
    if (!essay || !canSeeEssay(viewer, essay.status)) throw new EssayNotFound();
    return essay;
  }

  /** The essays loader's batch, in plain SQL. */
  async findByIds(ids: readonly string[]): Promise<EssayEntity[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      'SELECT * FROM essays WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return rows.map(this.toEssay);
  }

  async create(author: UserEntity, draft: EssayDraft): Promise<EssayEntity> {
    const title = draft.title.trim();
    if (!title) throw new BadUserInput('The title is empty.', 'title');
    const slug = slugOf(draft.slug, title);
    const prompts = draft.prompts?.length
      ? uniquePrompts(draft.prompts.map(promptText))
      : extractPrompts(draft.bodyMarkdown);
    return essayTransaction(
      this.dataSource,
      async (manager) => {
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
        await this.prompts.syncPrompts(manager, essay.id, prompts);
        return essay;
      },
      slug,
    );
  }

  /**
   * Changes what is given. Null leaves the title, slug and body as they are and
   * clears tags, entity ids and the canonical URL.
   */
  async update(actorId: string, id: string, changes: EssayChanges): Promise<EssayEntity> {
    return essayTransaction(
      this.dataSource,
      async (manager) => {
        const essay = await lockEssay(manager, id);
        const before = essayBrief(essay);
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
        const saved = await manager.getRepository(EssayEntity).save(essay);
        await this.audit.record(
          manager,
          actorId,
          AuditAction.ESSAY_UPDATED,
          { type: 'essay', id },
          before,
          essayBrief(saved),
        );
        return saved;
      },
      changes.slug ?? undefined,
    );
  }

  /**
   * Publishes the essay and writes ESSAY_PUBLISHED (once per essay) in the same
   * transaction. The actor is who asked (null from the demo), the author whose essay it is.
   */
  async publish(actorId: AuditActorId, author: UserEntity, id: string): Promise<EssayEntity> {
    let afterCommit: AfterCommit | undefined;
    const published = await essayTransaction(this.dataSource, async (manager) => {
      const essay = await lockEssay(manager, id);
      if (essay.status === EssayStatus.PUBLISHED) return essay;
      await this.audit.record(
        manager,
        actorId,
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

  async archive(actorId: string, id: string): Promise<EssayEntity> {
    return essayTransaction(this.dataSource, async (manager) => {
      const essay = await lockEssay(manager, id);
      await this.audit.record(
        manager,
        actorId,
        AuditAction.ESSAY_ARCHIVED,
        { type: 'essay', id },
        { status: essay.status },
        { status: EssayStatus.ARCHIVED },
      );
      essay.status = EssayStatus.ARCHIVED;
      return manager.getRepository(EssayEntity).save(essay);
    });
  }

  /**
   * Inside the caller's transaction, records ESSAY_PUBLISHED unless the essay
   * was announced before: archiving and publishing again must not send
   * subscribers the same essay twice.
   */
  async announcePublished(
    manager: EntityManager,
    essay: EssayEntity,
    author: UserEntity,
  ): Promise<AfterCommit | undefined> {
    const announced = await this.events.hasRecorded(manager, EventType.ESSAY_PUBLISHED, essay.id);
    if (announced) return undefined;
    return this.events.record(manager, {
      type: EventType.ESSAY_PUBLISHED,
      essayId: essay.id,
      subjectId: essay.id,
      actorId: author.id,
    });
  }
}

/** An essay in brief for the audit log: what readers see of it, never its body. */
export function essayBrief(essay: EssayEntity) {
  return {
    title: essay.title,
    slug: essay.slug,
    status: essay.status,
    bodyLength: essay.bodyMarkdown.length,
    tags: essay.tags,
    canonicalUrl: essay.canonicalUrl,
  };
}
