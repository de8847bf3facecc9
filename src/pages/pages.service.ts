import { Inject, Injectable } from '@nestjs/common';
import type { Connection } from '../common/pagination.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { EssaysService } from '../essays/essays.service.js';
import { PromptsService } from '../essays/prompts.service.js';
import { ResponseEntity } from '../responses/response.entity.js';
import { MAX_THREAD_DEPTH } from '../responses/response-limits.js';
import { ResponsesRepository } from '../responses/responses.repository.js';
import { UserRole } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type {
  EssayIndexView,
  EssayView,
  PageSettings,
  PromptView,
  ResponseView,
} from './page-views.js';

export const ESSAYS_PER_PAGE = 10;
export const RESPONSES_PER_PAGE = 20;
/** Replies loaded per response; the page shows a few and folds the rest. */
export const REPLIES_PER_RESPONSE = 20;

/** What the pages tell the browser code about this platform. */
export function pageSettings(config: RuntimeConfig): PageSettings {
  return { publicUrl: config.publicUrl, responseMaxLength: config.responses.maxLength };
}

export interface ConversationQuery {
  /** Only this prompt (the embed's `?prompt=`); unknown ids show every prompt. */
  onlyPrompt?: string;
  /** The prompt whose responses page on from `after`. */
  pagedPrompt?: string;
  after?: string;
}

/**
 * Builds the pages' view models from the features' own read methods, always
 * as an anonymous viewer (null): no private response, review field or email
 * can reach server-rendered HTML. Statements per page are fixed: the essay,
 * its prompts, one page of responses for all prompts, their counts, then two
 * per level of replies, and the writers' names.
 */
@Injectable()
export class PagesService {
  constructor(
    private readonly essays: EssaysService,
    private readonly prompts: PromptsService,
    private readonly responses: ResponsesRepository,
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async essayIndex(after?: string): Promise<EssayIndexView> {
    const page = await this.essays.list(null, { first: ESSAYS_PER_PAGE, after: after ?? null });
    const essays = page.edges.map((edge) => edge.node);
    const counts = essays.length
      ? await this.responses.countForEssays(
          null,
          essays.map((essay) => essay.id),
        )
      : [];
    return {
      essays: essays.map((essay, index) => ({
        slug: essay.slug,
        title: essay.title,
        excerpt: essay.excerpt,
        publishedAt: essay.publishedAt,
        responseCount: counts[index] ?? 0,
      })),
      nextCursor: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null,
      isFirstPage: !after,
    };
  }

  /** A published essay and its public conversation; EssayNotFound for anything else. */
  async essayPage(slug: string, query: ConversationQuery = {}): Promise<EssayView> {
    const essay = await this.essays.getBySlug(null, slug);
    const allPrompts = await this.prompts.promptsOfEssays([essay.id]);
    const only = allPrompts.filter((prompt) => prompt.id === query.onlyPrompt);
    const prompts = only.length ? only : allPrompts;
    const ids = prompts.map((prompt) => prompt.id);
    const [pages, counts] = ids.length
      ? await Promise.all([
          this.responses.firstPagesOf(null, 'promptResponses', ids, RESPONSES_PER_PAGE, 'NEWEST'),
          this.responses.countForPrompts(null, ids),
        ])
      : [[], []];
    const paged = query.after ? ids.indexOf(query.pagedPrompt ?? '') : -1;
    if (paged >= 0) {
      pages[paged] = await this.responses.listForPrompt(null, ids[paged]!, {
        first: RESPONSES_PER_PAGE,
        after: query.after,
        order: 'NEWEST',
      });
    }
    const topLevel = pages.flatMap((page) => page.edges.map((edge) => edge.node));
    const threads = await this.threadsOf(topLevel);
    return {
      slug: essay.slug,
      title: essay.title,
      excerpt: essay.excerpt,
      publishedAt: essay.publishedAt,
      updatedAt: essay.updatedAt,
      tags: essay.tags,
      bodyHtml: essay.bodyHtml,
      canonicalUrl: essay.canonicalUrl ?? `${this.config.publicUrl}/essays/${essay.slug}`,
      prompts: prompts.map((prompt, index): PromptView => ({
        id: prompt.id,
        question: prompt.text,
        isOpen: prompt.isOpen,
        responseCount: counts[index] ?? 0,
        responses: pages[index]!.edges.map((edge) => threads.get(edge.node.id)!),
        after: index === paged ? (query.after ?? null) : null,
        nextCursor: nextCursor(pages[index]!),
      })),
    };
  }

  /**
   * Each response with its replies, level by level down to the deepest a
   * thread goes: two statements per level (first pages, counts) whatever the
   * number of responses, then the writers' names in one.
   */
  private async threadsOf(topLevel: ResponseEntity[]): Promise<Map<string, ResponseView>> {
    const all = [...topLevel];
    const children = new Map<string, ResponseEntity[]>();
    const replyCounts = new Map<string, number>();
    let level = topLevel;
    for (let depth = 1; depth < MAX_THREAD_DEPTH && level.length > 0; depth += 1) {
      const parentIds = level.map((response) => response.id);
      const [pages, counts] = await Promise.all([
        this.responses.firstPagesOf(null, 'replies', parentIds, REPLIES_PER_RESPONSE),
        this.responses.countReplies(null, parentIds),
      ]);
      level = [];
      parentIds.forEach((id, index) => {
        const replies = pages[index]!.edges.map((edge) => edge.node);
        children.set(id, replies);
        replyCounts.set(id, counts[index] ?? 0);
        level.push(...replies);
      });
      all.push(...level);
    }
    const writerIds = [...new Set(all.map((response) => response.authorId))];
    const writers = new Map(
      (writerIds.length ? await this.users.findByIds(writerIds) : []).map((user) => [
        user.id,
        user,
      ]),
    );
    const views = new Map<string, ResponseView>();
    const view = (response: ResponseEntity): ResponseView => {
      const writer = writers.get(response.authorId);
      const deleted = response.deletedAt !== null;
      return {
        id: response.id,
        authorName: writer?.displayName ?? 'A reader',
        byAuthor: writer?.role === UserRole.AUTHOR,
        createdAt: response.createdAt,
        edited: response.editedAt !== null && !deleted,
        deleted,
        bodyHtml: deleted ? '' : response.bodyHtml,
        replies: (children.get(response.id) ?? []).map(view),
        replyCount: replyCounts.get(response.id) ?? 0,
      };
    };
    for (const response of topLevel) views.set(response.id, view(response));
    return views;
  }
}

function nextCursor(page: Connection<unknown>): string | null {
  return page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
}
