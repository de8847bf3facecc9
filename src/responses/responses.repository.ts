import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  fetchPage,
  firstPages,
  firstPagesSql,
  keysetPage,
  pageConnection,
  pageSize,
  rankOrder,
  timeOrder,
  type Connection,
  type KeyedRow,
  type PageQuery,
} from '../common/pagination.js';
import { entityRowMapper, positional, type EntityRowMapper } from '../database/entity-rows.js';
import { PROMPTS_VIEW_SQL } from '../essays/essays.repository.js';
import { PromptAnswers, type AnsweredPrompts } from '../essays/prompt-answers.js';
import { readerBannedSql } from '../users/bans.service.js';
import type { UserEntity } from '../users/user.entity.js';
import { isAuthorSql, USERS_VIEW_SQL } from '../users/users.repository.js';
import { ReviewOrder } from './dto/review-queue.args.js';
import { visibleResponsesSql, type SqlCondition } from './response-access.js';
import { ResponseEditEntity } from './response-edit.entity.js';
import { ResponseEntity, ReviewStatus } from './response.entity.js';
import {
  applyDeskConditions,
  needsReplyParams,
  needsReplySql,
  openReportSql,
} from './review-queue.conditions.js';
import { ReviewQueueInterest } from './review-queue-interest.js';
import { publishedResponseSql } from './moderation/moderation-state.js';

export type ResponseOrder = 'NEWEST' | 'OLDEST';

/** A response as it is first written (the rest are defaults). */
export type NewResponse = Pick<
  ResponseEntity,
  | 'id'
  | 'promptId'
  | 'essayId'
  | 'authorId'
  | 'parentId'
  | 'rootId'
  | 'threadOwnerId'
  | 'depth'
  | 'bodyMarkdown'
  | 'bodyHtml'
  | 'visibility'
  | 'createdAt'
>;

/**
 * Whether writer $1 posted body $3 to prompt $2 since $4 and kept it: the
 * duplicate check before a response or a reply.
 */
const RECENT_DUPLICATE_SQL = `EXISTS (SELECT 1 FROM responses
  WHERE author_id = $1 AND prompt_id = $2 AND body_markdown = $3 AND deleted_at IS NULL
    AND created_at > $4)`;

/** A new response with what moderation decided for it. */
export type NewModeratedResponse = NewResponse &
  Pick<ResponseEntity, 'moderationState' | 'heldReason'>;

/** Fields the review desk sets. */
export type ReviewValues = Partial<
  Pick<ResponseEntity, 'reviewStatus' | 'reviewNote' | 'labels' | 'reviewedAt'>
>;

/** How many responses each of the desk's saved views holds. */
export interface ReviewQueueCounts {
  inbox: number;
  shortlist: number;
  needsReply: number;
  held: number;
  reported: number;
}

/** A response listed for the author, with how many the list holds in all. */
export interface ListedForReview {
  responses: ResponseEntity[];
  total: number;
}

/** One row of the CSV export. */
export interface ResponseExportRow {
  id: string;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  parent_id: string | null;
  visibility: string;
  review_status: string;
  review_note: string | null;
  labels: string[];
  body_markdown: string;
  prompt: string;
  writer: string;
}

const ORDERS = {
  NEWEST: timeOrder('r.created_at', 'r.id', true),
  OLDEST: timeOrder('r.created_at', 'r.id', false),
} as const;

/** Triage is about what readers wrote: the author's own replies are left out. */
const BY_READER = (alias: string) => `NOT ${isAuthorSql(`${alias}.author_id`)}`;

type ResponseRow = Record<string, unknown> & { sort_key: string };

const TS_CONFIG = 'english';
const SEARCH_VECTOR = `to_tsvector('${TS_CONFIG}', response.body_markdown)`;
const RANK = `ts_rank(${SEARCH_VECTOR}, websearch_to_tsquery('${TS_CONFIG}', :search))`;

/** What the review queue is narrowed to; `label` already normalised. */
export interface ReviewQueueFilter {
  essayId?: string | null;
  promptId?: string | null;
  status?: ReviewStatus | null;
  label?: string | null;
  hasInterest?: boolean | null;
  writerId?: string | null;
  needsReply?: boolean | null;
}

/**
 * The only code that reads or writes the responses feature's tables
 * (`responses`, `response_edits`). Reads for a viewer apply the one
 * visibility rule (response-access.ts). Plain SQL mapped to entities on the
 * hot paths: on a page of 50, TypeORM's query building and hydration cost
 * more than the query.
 */
@Injectable()
export class ResponsesRepository implements AnsweredPrompts {
  private readonly toResponse: EntityRowMapper<ResponseEntity>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly promptAnswers: PromptAnswers,
    private readonly interest: ReviewQueueInterest,
  ) {
    this.toResponse = entityRowMapper(dataSource, ResponseEntity);
  }

  onModuleInit(): void {
    this.promptAnswers.supply(this);
  }

  /** In `manager`'s transaction: the prompts among `promptIds` that have a response, deleted or not. */
  async answeredPromptIds(manager: EntityManager, promptIds: readonly string[]): Promise<string[]> {
    if (promptIds.length === 0) return [];
    const rows = await manager.query<{ prompt_id: string }[]>(
      `SELECT DISTINCT prompt_id FROM responses WHERE prompt_id = ANY($1::uuid[])`,
      [[...promptIds]],
    );
    return rows.map((row) => row.prompt_id);
  }

  /** The response, when `viewer` may see it. `id` must be a uuid. */
  async findVisible(viewer: UserEntity | null, id: string): Promise<ResponseEntity | null> {
    const [response] = await this.findVisibleByIds(viewer, [id]);
    return response ?? null;
  }

  /** The responses among `ids` that `viewer` may see (any order). */
  async findVisibleByIds(
    viewer: UserEntity | null,
    ids: readonly string[],
  ): Promise<ResponseEntity[]> {
    if (ids.length === 0) return [];
    const visible = visibleResponsesSql('r', viewer);
    return this.entities(
      `SELECT r.* FROM responses r WHERE r.id = ANY(CAST(:ids AS uuid[])) AND ${visible.sql}`,
      { ...visible.params, ids: [...ids] },
    );
  }

  /** Responses by id, whoever may see them (for the author's tools and mail); any order. */
  findByIds(
    ids: readonly string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ResponseEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager.getRepository(ResponseEntity).findBy({ id: In([...ids]) });
  }

  /** Top-level responses to a prompt that `viewer` may see (newest first by default). */
  listForPrompt(
    viewer: UserEntity | null,
    promptId: string,
    query: PageQuery & { order?: ResponseOrder | null },
  ): Promise<Connection<ResponseEntity>> {
    return this.page(
      viewer,
      { sql: 'r.prompt_id = :promptId AND r.parent_id IS NULL', params: { promptId } },
      query,
      query.order ?? 'NEWEST',
    );
  }

  /** Replies to one response that `viewer` may see, oldest first. */
  listReplies(
    viewer: UserEntity | null,
    parentId: string,
    query: PageQuery,
  ): Promise<Connection<ResponseEntity>> {
    return this.page(
      viewer,
      { sql: 'r.parent_id = :parentId', params: { parentId } },
      query,
      'OLDEST',
    );
  }

  /**
   * The first page of many lists in one statement (for `replies` and a
   * prompt's `responses` without a cursor): `first + 1` rows per list at most.
   */
  async firstPagesOf(
    viewer: UserEntity | null,
    list: 'replies' | 'promptResponses',
    ownerIds: readonly string[],
    first: number,
    order: ResponseOrder = 'OLDEST',
  ): Promise<Connection<ResponseEntity>[]> {
    const size = pageSize(first);
    const column = list === 'replies' ? 'parent_id' : 'prompt_id';
    const topLevel = list === 'promptResponses' ? ' AND r.parent_id IS NULL' : '';
    if (ownerIds.length === 1) {
      // One list (the usual case): a plain keyset page reads only its rows.
      const where = { sql: `r.${column} = :ownerId${topLevel}`, params: { ownerId: ownerIds[0] } };
      return [await this.page(viewer, where, { first: size }, order)];
    }
    const page = keysetPage(ORDERS[order], { first: size });
    const visible = visibleResponsesSql('r', viewer);
    const rows = await this.keyedRows(
      firstPagesSql(page.order, {
        table: 'responses',
        alias: 'r',
        where: `r.${column} = ANY(CAST(:ownerIds AS uuid[]))${topLevel} AND ${visible.sql}`,
        partitionBy: `r.${column}`,
      }),
      { ...visible.params, ...page.params, ownerIds: [...ownerIds] },
    );
    return firstPages(ownerIds, size, rows, (response) =>
      list === 'replies' ? response.parentId : response.promptId,
    );
  }

  /** Visible replies per parent. */
  countReplies(viewer: UserEntity | null, parentIds: readonly string[]): Promise<number[]> {
    return this.countBy(viewer, 'parent_id', parentIds, false);
  }

  /** Visible top-level responses per prompt. */
  countForPrompts(viewer: UserEntity | null, promptIds: readonly string[]): Promise<number[]> {
    return this.countBy(viewer, 'prompt_id', promptIds, true);
  }

  /** Visible top-level responses per essay. */
  countForEssays(viewer: UserEntity | null, essayIds: readonly string[]): Promise<number[]> {
    return this.countBy(viewer, 'essay_id', essayIds, true);
  }

  /** Earlier versions per response, newest first. */
  async editsOf(responseIds: readonly string[]): Promise<ResponseEditEntity[][]> {
    const edits = await this.dataSource
      .getRepository(ResponseEditEntity)
      .find({ where: { responseId: In([...responseIds]) }, order: { replacedAt: 'DESC' } });
    return responseIds.map((id) => edits.filter((edit) => edit.responseId === id));
  }

  /**
   * A page of the author's review queue: readers' responses that are not
   * deleted, by default not archived or spam, matching `search` when given.
   */
  reviewQueue(
    filter: ReviewQueueFilter,
    search: string | null,
    order: ReviewOrder,
    query: PageQuery,
    now: Date,
  ): Promise<Connection<ResponseEntity>> {
    const keyset =
      order === ReviewOrder.RELEVANCE
        ? rankOrder(RANK, 'response.id')
        : timeOrder('response.created_at', 'response.id', order !== ReviewOrder.OLDEST);
    const page = keysetPage(keyset, query);
    const qb = this.dataSource
      .getRepository(ResponseEntity)
      .createQueryBuilder('response')
      .where('response.deleted_at IS NULL')
      .andWhere(BY_READER('response'));
    if (filter.essayId) qb.andWhere('response.essay_id = :essayId', { essayId: filter.essayId });
    if (filter.promptId)
      qb.andWhere('response.prompt_id = :promptId', { promptId: filter.promptId });
    if (filter.status) {
      qb.andWhere('response.review_status = :status', { status: filter.status });
    } else {
      qb.andWhere('response.review_status NOT IN (:...hidden)', {
        hidden: [ReviewStatus.ARCHIVED, ReviewStatus.SPAM],
      });
    }
    if (filter.label !== null && filter.label !== undefined)
      qb.andWhere(':label = ANY(response.labels)', { label: filter.label });
    if (search)
      qb.andWhere(`${SEARCH_VECTOR} @@ websearch_to_tsquery('${TS_CONFIG}', :search)`, { search });
    if (filter.hasInterest !== undefined && filter.hasInterest !== null) {
      // Collaborator interest is the interest feature's table: its condition, in the one statement.
      const interest = this.interest.existsSql('response.essay_id', 'response.author_id');
      qb.andWhere(`${filter.hasInterest ? '' : 'NOT '}${interest}`);
    }
    applyDeskConditions(qb, filter, now);
    return fetchPage(qb, page);
  }

  /**
   * The saved views' counts in one statement, each with the queue's own
   * conditions (review-queue.conditions.ts): what the view would list.
   */
  async reviewQueueCounts(now: Date): Promise<ReviewQueueCounts> {
    const inbox = `r.review_status NOT IN ('${ReviewStatus.ARCHIVED}', '${ReviewStatus.SPAM}')`;
    const [row] = await this.dataSource.query<Record<keyof ReviewQueueCounts, number>[]>(
      ...positional(
        this.dataSource,
        `SELECT count(*) FILTER (WHERE ${inbox})::int AS "inbox",
                count(*) FILTER (WHERE r.review_status = '${ReviewStatus.SHORTLISTED}')::int AS "shortlist",
                count(*) FILTER (WHERE ${inbox} AND ${needsReplySql('r')})::int AS "needsReply",
                count(*) FILTER (WHERE ${inbox} AND r.moderation_state = 'HELD')::int AS "held",
                count(*) FILTER (WHERE ${inbox} AND ${openReportSql('r')})::int AS "reported"
           FROM responses r
          WHERE r.deleted_at IS NULL AND ${BY_READER('r')}`,
        needsReplyParams(now),
      ),
    );
    return row!;
  }

  /**
   * Readers' responses written in (start, end], newest first, at most `limit`,
   * leaving out deleted and spam ones: the author's review digest.
   */
  newForReview(start: Date, end: Date, limit: number): Promise<ListedForReview> {
    return this.listedForReview(
      `r.created_at > :start AND r.created_at <= :end AND ${publishedResponseSql('r')}`,
      limit,
      { start, end },
    );
  }

  /** Held responses (moderation) that came in by `end`, whenever: they wait for the author now. */
  heldForReview(end: Date, limit: number): Promise<ListedForReview> {
    return this.listedForReview(`r.moderation_state = 'HELD' AND r.created_at <= :end`, limit, {
      end,
    });
  }

  /** Responses with a report still open by `end`. */
  reportedForReview(end: Date, limit: number): Promise<ListedForReview> {
    return this.listedForReview(
      `EXISTS (SELECT 1 FROM response_reports rr WHERE rr.response_id = r.id AND rr.status = 'OPEN'
                AND rr.created_at <= :end)`,
      limit,
      { end },
    );
  }

  /**
   * Public top-level responses written by `before` that the author has not
   * replied to anywhere in their thread (and has not archived), newest first.
   */
  unansweredPublic(before: Date, limit: number): Promise<ListedForReview> {
    return this.listedForReview(
      `r.parent_id IS NULL AND r.visibility = 'PUBLIC' AND r.created_at <= :before
       AND r.review_status NOT IN ('ARCHIVED', 'SPAM') AND ${publishedResponseSql('r')}
       AND NOT EXISTS (SELECT 1 FROM responses a WHERE a.root_id = r.id AND a.id <> r.id
                        AND NOT ${BY_READER('a')})`,
      limit,
      { before },
    );
  }

  /** How many public top-level responses a prompt has, whatever their review status. */
  async countPublicTopLevel(manager: EntityManager, promptId: string): Promise<number> {
    const [{ count }] = await manager.query(
      `SELECT count(*)::int AS count FROM responses
        WHERE prompt_id = $1 AND parent_id IS NULL AND visibility = 'PUBLIC'`,
      [promptId],
    );
    return count as number;
  }

  /** The essay's responses after `after` in (created_at, id) order, with prompt and writer. */
  exportBatch(
    essayId: string,
    after: { createdAt: Date; id: string } | null,
    limit: number,
  ): Promise<ResponseExportRow[]> {
    return this.dataSource.query(
      `SELECT r.id, r.created_at, r.edited_at, r.deleted_at, r.parent_id, r.visibility, r.review_status,
              r.review_note, r.labels, r.body_markdown, p.text AS prompt, u.display_name AS writer
         FROM responses r
         JOIN ${PROMPTS_VIEW_SQL} p ON p.id = r.prompt_id
         JOIN ${USERS_VIEW_SQL} u ON u.id = r.author_id
        WHERE r.essay_id = $1 AND ($2::timestamptz IS NULL OR (r.created_at, r.id) > ($2, $3::uuid))
        ORDER BY r.created_at, r.id
        LIMIT ${Number(limit)}`,
      [essayId, after?.createdAt ?? null, after?.id ?? null],
    );
  }

  /** Who wrote the response `replyId` answers, unless that is the reply's own writer. */
  async parentWriterOf(manager: EntityManager, replyId: string): Promise<string | null> {
    const [row] = await manager.query<{ author_id: string }[]>(
      `SELECT parent.author_id FROM responses reply JOIN responses parent ON parent.id = reply.parent_id
        WHERE reply.id = $1 AND parent.author_id <> reply.author_id`,
      [replyId],
    );
    return row?.author_id ?? null;
  }

  // Writes, in the caller's transaction.

  /** Whether the writer posted this very body to the prompt since `since` (and kept it). */
  async hasRecentDuplicate(
    authorId: string,
    promptId: string,
    body: string,
    since: Date,
  ): Promise<boolean> {
    const [row] = await this.dataSource.query<{ duplicate: boolean }[]>(
      `SELECT ${RECENT_DUPLICATE_SQL} AS duplicate`,
      [authorId, promptId, body, since],
    );
    return row!.duplicate;
  }

  /**
   * Before a new response, in one statement: whether the writer is banned
   * (bans.service.ts's condition), and hasRecentDuplicate's answer.
   */
  async postingChecks(
    authorId: string,
    promptId: string,
    body: string,
    since: Date,
  ): Promise<{ banned: boolean; duplicate: boolean }> {
    const [row] = await this.dataSource.query<{ banned: boolean; duplicate: boolean }[]>(
      `SELECT ${readerBannedSql('$1')} AS banned, ${RECENT_DUPLICATE_SQL} AS duplicate`,
      [authorId, promptId, body, since],
    );
    return row!;
  }

  /** Writes a new response and answers it as stored (defaults filled in), in one statement. */
  async insert(manager: EntityManager, values: NewModeratedResponse): Promise<ResponseEntity> {
    const [row] = await manager.query<Record<string, unknown>[]>(
      `INSERT INTO responses (id, prompt_id, essay_id, author_id, parent_id, root_id, thread_owner_id,
                              depth, body_markdown, body_html, visibility, moderation_state,
                              held_reason, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       RETURNING *`,
      [
        values.id,
        values.promptId,
        values.essayId,
        values.authorId,
        values.parentId,
        values.rootId,
        values.threadOwnerId,
        values.depth,
        values.bodyMarkdown,
        values.bodyHtml,
        values.visibility,
        values.moderationState,
        values.heldReason,
        values.createdAt,
      ],
    );
    return this.toResponse(row!);
  }

  /** Many at once, as written (the demo seed). */
  async insertMany(manager: EntityManager, rows: NewResponse[]): Promise<void> {
    await manager.getRepository(ResponseEntity).insert(rows);
  }

  /** The response, locked for update; null when there is none. */
  lock(manager: EntityManager, id: string): Promise<ResponseEntity | null> {
    return manager
      .getRepository(ResponseEntity)
      .createQueryBuilder('response')
      .setLock('pessimistic_write')
      .where('response.id = :id', { id })
      .getOne();
  }

  /** The response, share-locked so it cannot be deleted meanwhile; null when there is none. */
  lockShared(manager: EntityManager, id: string): Promise<ResponseEntity | null> {
    return manager
      .getRepository(ResponseEntity)
      .createQueryBuilder('response')
      .setLock('pessimistic_read')
      .where('response.id = :id', { id })
      .getOne();
  }

  save(manager: EntityManager, response: ResponseEntity): Promise<ResponseEntity> {
    return manager.getRepository(ResponseEntity).save(response);
  }

  /** Keeps the version an edit replaces. */
  async addEdit(
    manager: EntityManager,
    edit: Pick<ResponseEditEntity, 'responseId' | 'bodyMarkdown' | 'replacedAt'>,
  ): Promise<void> {
    await manager.getRepository(ResponseEditEntity).insert(edit);
  }

  async deleteEdits(manager: EntityManager, responseId: string): Promise<void> {
    await manager.getRepository(ResponseEditEntity).delete({ responseId });
  }

  /** Sets review fields on one response; null when there is none. */
  async setReview(
    manager: EntityManager,
    id: string,
    values: ReviewValues,
  ): Promise<ResponseEntity | null> {
    const result = await manager
      .createQueryBuilder()
      .update(ResponseEntity)
      .set(values)
      .where('id = :id', { id })
      .returning('id')
      .execute();
    if (!result.affected) return null;
    return manager.getRepository(ResponseEntity).findOneByOrFail({ id });
  }

  /** Sets review fields on many responses; returns how many there were. */
  async setReviewMany(
    manager: EntityManager,
    ids: string[],
    values: ReviewValues,
  ): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(ResponseEntity)
      .set(values)
      .where('id IN (:...ids)', { ids })
      .execute();
    return result.affected ?? 0;
  }

  private async listedForReview(
    condition: string,
    limit: number,
    params: Record<string, unknown>,
  ): Promise<ListedForReview> {
    const rows = await this.dataSource.query<(Record<string, unknown> & { total: number })[]>(
      ...positional(
        this.dataSource,
        `SELECT r.*, count(*) OVER ()::int AS total FROM responses r
          WHERE ${condition} AND r.deleted_at IS NULL AND r.review_status <> '${ReviewStatus.SPAM}'
            AND ${BY_READER('r')}
          ORDER BY r.created_at DESC LIMIT :limit`,
        { ...params, limit },
      ),
    );
    return { responses: rows.map((row) => this.toResponse(row)), total: rows[0]?.total ?? 0 };
  }

  private async countBy(
    viewer: UserEntity | null,
    column: 'parent_id' | 'prompt_id' | 'essay_id',
    ids: readonly string[],
    topLevelOnly: boolean,
  ): Promise<number[]> {
    const visible = visibleResponsesSql('r', viewer);
    const [sql, params] = positional(
      this.dataSource,
      `SELECT r.${column} AS key, COUNT(*)::int AS count FROM responses r
        WHERE r.${column} = ANY(CAST(:ids AS uuid[]))${topLevelOnly ? ' AND r.parent_id IS NULL' : ''}
          AND ${visible.sql}
        GROUP BY r.${column}`,
      { ...visible.params, ids: [...ids] },
    );
    const rows = await this.dataSource.query<{ key: string; count: number }[]>(sql, params);
    const counts = new Map(rows.map((row) => [row.key, row.count]));
    return ids.map((id) => counts.get(id) ?? 0);
  }

  /** A keyset page of the visible responses `where` selects. */
  private async page(
    viewer: UserEntity | null,
    where: SqlCondition,
    query: PageQuery,
    order: ResponseOrder,
  ): Promise<Connection<ResponseEntity>> {
    const page = keysetPage(ORDERS[order], query);
    const visible = visibleResponsesSql('r', viewer);
    const rows = await this.keyedRows(
      `SELECT r.*, ${page.order.keyText} AS sort_key FROM responses r
        WHERE ${where.sql} AND ${visible.sql}${page.afterSql ? ` AND ${page.afterSql}` : ''}
        ORDER BY ${page.orderBy}
        LIMIT :limit`,
      { ...where.params, ...visible.params, ...page.params },
    );
    return pageConnection(page, rows);
  }

  private async entities(sql: string, params: Record<string, unknown>): Promise<ResponseEntity[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      ...positional(this.dataSource, sql, params),
    );
    return rows.map((row) => this.toResponse(row));
  }

  private async keyedRows(
    sql: string,
    params: Record<string, unknown>,
  ): Promise<KeyedRow<ResponseEntity>[]> {
    const rows = await this.dataSource.query<ResponseRow[]>(
      ...positional(this.dataSource, sql, params),
    );
    return rows.map((row) => {
      const node = this.toResponse(row);
      return { node, id: node.id, sortKey: row.sort_key };
    });
  }
}
