import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditAction } from '../audit/audit-entry.entity.js';
import { AuditLogService, type AuditActorId } from '../audit/audit-log.service.js';
import { Clock } from '../common/clock.js';
import { excerptOf, renderMarkdown } from '../common/markdown.js';
import type { AfterCommit } from '../events/events.service.js';
import { UserEntity } from '../users/user.entity.js';
import { EssayEntity, EssayStatus } from './essay.entity.js';
import { parseEssaySource } from './essay-source.js';
import { essayTransaction } from './essay-transactions.js';
import { essayBrief, EssaysService } from './essays.service.js';
import { PromptsService } from './prompts.service.js';

export type ImportOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED';

/** Essays from markdown files (the importEssay mutation, the CLI's import, the demo). */
@Injectable()
export class EssayImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly essays: EssaysService,
    private readonly prompts: PromptsService,
    private readonly clock: Clock,
    private readonly audit: AuditLogService,
  ) {}

  /**
   * Creates or updates the essay a markdown file describes, matched by slug.
   * Importing identical content writes nothing. The actor is who asked (null
   * from the CLI and the demo); the author is whose essay a new one becomes.
   */
  async importMarkdown(
    actorId: AuditActorId,
    author: UserEntity,
    markdown: string,
  ): Promise<{ essay: EssayEntity; outcome: ImportOutcome }> {
    const source = parseEssaySource(markdown);
    let afterCommit: AfterCommit | undefined;
    const imported = await essayTransaction(this.dataSource, async (manager) => {
      const essays = manager.getRepository(EssayEntity);
      const existing = await essays
        .createQueryBuilder('essay')
        .setLock('pessimistic_write')
        .where('essay.slug = :slug', { slug: source.slug })
        .getOne();
      if (existing?.sourceHash === source.sourceHash)
        return { essay: existing, outcome: 'UNCHANGED' as const };

      const wasPublished = existing?.status === EssayStatus.PUBLISHED;
      const before = existing ? essayBrief(existing) : null;
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
      await this.prompts.syncPrompts(manager, saved.id, source.prompts);
      await this.audit.record(
        manager,
        actorId,
        AuditAction.ESSAY_IMPORTED,
        { type: 'essay', id: saved.id },
        before,
        essayBrief(saved),
      );
      if (saved.status === EssayStatus.PUBLISHED && !wasPublished) {
        afterCommit = await this.essays.announcePublished(manager, saved, author);
      }
      return { essay: saved, outcome: existing ? ('UPDATED' as const) : ('CREATED' as const) };
    });
    await afterCommit?.();
    return imported;
  }
}
