import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock } from '../common/clock.js';
import { BadUserInput, Forbidden } from '../common/errors.js';
import { renderMarkdown } from '../common/markdown.js';
import {
  decodeCursor,
  isTimestampKey,
  pageSize,
  toConnection,
  type Connection,
} from '../common/pagination.js';
import { RateLimits, type RateRule } from '../common/rate-limits.js';
import { isUuid } from '../common/uuid.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { entityRowMapper, positional, type EntityRowMapper } from '../database/entity-rows.js';
import { EventType } from '../events/event.entity.js';
import { EventsService } from '../events/events.service.js';
import { EssayEntity, EssayStatus } from '../essays/essay.entity.js';
import { EssaysService } from '../essays/essays.service.js';
import { PromptEntity } from '../essays/prompt.entity.js';
import { BansService } from '../users/bans.service.js';
import { UserEntity } from '../users/user.entity.js';
import type { Decision, FormSignals } from './moderation/moderation-policy.js';
import { ModerationState } from './moderation/moderation-state.js';
import { ModerationService } from './moderation/moderation.service.js';
import { canSeeResponse, isAuthor, visibleResponsesSql } from './response-access.js';
import { ResponseEditEntity } from './response-edit.entity.js';
import { ResponseEntity, ResponseVisibility } from './response.entity.js';
import { ResponsesPubSub } from './responses.pubsub.js';
import {
  DuplicateResponse,
  NotYourResponse,
  PromptNotOpen,
  ReplyToDeleted,
  ResponseNotFound,
  ThreadTooDeep,
} from './responses.errors.js';

export const MAX_THREAD_DEPTH = 5;

export type ResponseOrder = 'NEWEST' | 'OLDEST';

type NewResponse = Pick<
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
  | 'moderationState'
  | 'heldReason'
>;

export interface PageQuery {
  first?: number;
  after?: string | null;
}

const SORT_KEY = `to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

type ResponseRow = Record<string, unknown> & { sort_key: string };

/** Responses to prompts and their threads: who may write, edit, delete and see them. */
@Injectable()
export class ResponsesService {
  private readonly burst: RateRule;
  private readonly hourly: RateRule;
  private readonly previews: RateRule;
  private readonly toResponse: EntityRowMapper<ResponseEntity>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly essays: EssaysService,
    private readonly events: EventsService,
    private readonly rateLimits: RateLimits,
    private readonly pubsub: ResponsesPubSub,
    private readonly clock: Clock,
    private readonly moderation: ModerationService,
    private readonly bans: BansService,
  ) {
    const limits = config.rateLimits;
    this.burst = {
      name: 'response-burst',
      points: 1,
      durationSeconds: limits.responseIntervalSeconds,
    };
    this.hourly = {
      name: 'response-hourly',
      points: limits.responsesPerHour,
      durationSeconds: 3600,
    };
    this.previews = {
      name: 'markdown-preview',
      points: limits.previewPerClientPerMinute,
      durationSeconds: 60,
    };
    this.toResponse = entityRowMapper(dataSource, ResponseEntity);
  }

  /**
   * What a response's markdown will look like once posted: the same renderer
   * and sanitizer, the same length limit. Nothing is stored.
   */
  async preview(markdown: string, clientKey: string): Promise<string> {
    await this.rateLimits.consume(this.previews, clientKey);
    const body = typeof markdown === 'string' ? markdown.trim() : '';
    if (body.length === 0) return '';
    return renderMarkdown(this.validBody(body));
  }

  /** A reader answers an open prompt of a published essay. */
  async respond(
    viewer: UserEntity,
    input: {
      promptId: string;
      body: string;
      visibility?: ResponseVisibility | null;
      form?: FormSignals | null;
    },
  ): Promise<ResponseEntity> {
    const body = this.validBody(input.body);
    const visibility = input.visibility ?? ResponseVisibility.PUBLIC;
    const prompt = await this.essays.getPrompt(viewer, input.promptId);
    await this.bans.refuseBanned(viewer); // moderation
    await this.refuseDuplicate(viewer, prompt.id, body);
    await this.countPost(viewer);
    const decision = await this.moderation.decideFor(viewer, {
      essayId: prompt.essayId,
      promptId: prompt.id,
      body,
      form: input.form,
    }); // moderation
    const { response, afterCommit } = await this.dataSource.transaction(async (manager) => {
      const { essay } = await this.lockOpenPrompt(manager, prompt.id);
      const id = randomUUID();
      const created = await this.insert(manager, {
        id,
        promptId: prompt.id,
        essayId: essay.id,
        authorId: viewer.id,
        parentId: null,
        rootId: id,
        threadOwnerId: viewer.id,
        depth: 1,
        bodyMarkdown: body,
        bodyHtml: renderMarkdown(body),
        visibility,
        ...moderated(decision),
      });
      const afterCommit = await this.moderation.recordNew(manager, decision, {
        type: EventType.RESPONSE_PUBLISHED,
        essayId: essay.id,
        subjectId: created.id,
        actorId: viewer.id,
      });
      return { response: created, afterCommit };
    });
    await afterCommit();
    if (decision.state === ModerationState.PUBLISHED) await this.pubsub.announce(response);
    return response;
  }

  /**
   * Replies in a thread: the author and the thread's writers always may; on a
   * public response any signed-in reader may. Replies inherit visibility.
   */
  async reply(
    viewer: UserEntity,
    responseId: string,
    rawBody: string,
    form?: FormSignals | null,
  ): Promise<ResponseEntity> {
    const body = this.validBody(rawBody);
    const parent = await this.getVisible(viewer, responseId);
    await this.bans.refuseBanned(viewer); // moderation
    const mayReply =
      isAuthor(viewer) ||
      parent.visibility === ResponseVisibility.PUBLIC ||
      parent.authorId === viewer.id ||
      parent.threadOwnerId === viewer.id;
    if (!mayReply) throw new Forbidden('You cannot reply in this private thread.');
    if (parent.deletedAt) throw new ReplyToDeleted();
    if (parent.depth >= MAX_THREAD_DEPTH) throw new ThreadTooDeep(MAX_THREAD_DEPTH);
    await this.refuseDuplicate(viewer, parent.promptId, body);
    await this.countPost(viewer);
    const decision = await this.moderation.decideFor(viewer, {
      essayId: parent.essayId,
      promptId: parent.promptId,
      body,
      form,
    }); // moderation
    const { reply, afterCommit } = await this.dataSource.transaction(async (manager) => {
      if (!isAuthor(viewer)) await this.lockOpenPrompt(manager, parent.promptId);
      const locked = await manager
        .getRepository(ResponseEntity)
        .createQueryBuilder('response')
        .setLock('pessimistic_read')
        .where('response.id = :id', { id: parent.id })
        .getOne();
      if (!locked || locked.deletedAt) throw new ReplyToDeleted();
      const created = await this.insert(manager, {
        id: randomUUID(),
        promptId: locked.promptId,
        essayId: locked.essayId,
        authorId: viewer.id,
        parentId: locked.id,
        rootId: locked.rootId,
        threadOwnerId: locked.threadOwnerId,
        depth: locked.depth + 1,
        bodyMarkdown: body,
        bodyHtml: renderMarkdown(body),
        visibility: locked.visibility,
        ...moderated(decision),
      });
      const afterCommit = await this.moderation.recordNew(manager, decision, {
        type: isAuthor(viewer) ? EventType.AUTHOR_REPLIED : EventType.RESPONSE_PUBLISHED,
        essayId: locked.essayId,
        subjectId: created.id,
        actorId: viewer.id,
      });
      return { reply: created, afterCommit };
    });
    await afterCommit();
    if (decision.state === ModerationState.PUBLISHED) await this.pubsub.announce(reply);
    return reply;
  }

  /** The writer edits; the earlier version is kept. */
  async edit(viewer: UserEntity, id: string, rawBody: string): Promise<ResponseEntity> {
    const body = this.validBody(rawBody);
    const current = await this.getVisible(viewer, id);
    if (current.authorId !== viewer.id) throw new NotYourResponse('edit');
    if (current.deletedAt) throw new BadUserInput('A deleted response cannot be edited.', 'id');
    return this.dataSource.transaction(async (manager) => {
      const response = await this.lock(manager, id);
      if (response.deletedAt) throw new BadUserInput('A deleted response cannot be edited.', 'id');
      if (response.bodyMarkdown === body) return response;
      const now = this.clock.now();
      await manager
        .getRepository(ResponseEditEntity)
        .insert({ responseId: response.id, bodyMarkdown: response.bodyMarkdown, replacedAt: now });
      Object.assign(response, {
        bodyMarkdown: body,
        bodyHtml: renderMarkdown(body),
        editedAt: now,
      });
      return manager.getRepository(ResponseEntity).save(response);
    });
  }

  /** Soft delete by the writer or the author: the body and its history go, the thread stays. */
  async delete(viewer: UserEntity, id: string): Promise<ResponseEntity> {
    const current = await this.getVisible(viewer, id);
    if (current.authorId !== viewer.id && !isAuthor(viewer)) throw new NotYourResponse('delete');
    return this.dataSource.transaction(async (manager) => {
      const response = await this.lock(manager, id);
      if (response.deletedAt) return response;
      await manager.getRepository(ResponseEditEntity).delete({ responseId: response.id });
      Object.assign(response, { bodyMarkdown: '', bodyHtml: '', deletedAt: this.clock.now() });
      return manager.getRepository(ResponseEntity).save(response);
    });
  }

  /** A response the viewer may see; NOT_FOUND otherwise (private ones do not reveal they exist). */
  async getVisible(viewer: UserEntity | null, id: string): Promise<ResponseEntity> {
    if (!isUuid(id)) throw new ResponseNotFound();
    const response = await this.dataSource.getRepository(ResponseEntity).findOneBy({ id });
    if (!response || !canSeeResponse(viewer, response)) throw new ResponseNotFound();
    if (!isAuthor(viewer)) {
      const essay = await this.dataSource
        .getRepository(EssayEntity)
        .findOneBy({ id: response.essayId });
      if (essay?.status !== EssayStatus.PUBLISHED) throw new ResponseNotFound();
    }
    return response;
  }

  /** Top-level responses to a prompt the viewer may see. */
  async listForPrompt(
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

  /** Replies to one response, oldest first. */
  async listReplies(
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
    const direction = order === 'NEWEST' ? 'DESC' : 'ASC';
    const visible = visibleResponsesSql('r', viewer);
    const rows = await this.rows(
      `SELECT r.*, ${SORT_KEY} AS sort_key FROM (
         SELECT r.*, ROW_NUMBER() OVER (
           PARTITION BY r.${column} ORDER BY r.created_at ${direction}, r.id ${direction}) AS rank
           FROM responses r
          WHERE r.${column} = ANY(CAST(:ownerIds AS uuid[]))${topLevel} AND ${visible.sql}
       ) r
       WHERE r.rank <= :limit
       ORDER BY r.created_at ${direction}, r.id ${direction}`,
      { ...visible.params, ownerIds: [...ownerIds], limit: size + 1 },
    );
    const ownerOf = (r: ResponseEntity) => (list === 'replies' ? r.parentId : r.promptId);
    return ownerIds.map((ownerId) =>
      toConnection(
        rows.filter(({ entity }) => ownerOf(entity) === ownerId),
        size,
        false,
        ({ entity, sortKey }) => ({ key: sortKey, id: entity.id }),
        ({ entity }) => entity,
      ),
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

  findByIds(ids: readonly string[]): Promise<ResponseEntity[]> {
    return this.dataSource.getRepository(ResponseEntity).findBy({ id: In([...ids]) });
  }

  /** Earlier versions per response, newest first. */
  async editsOf(responseIds: readonly string[]): Promise<ResponseEditEntity[][]> {
    const edits = await this.dataSource
      .getRepository(ResponseEditEntity)
      .find({ where: { responseId: In([...responseIds]) }, order: { replacedAt: 'DESC' } });
    return responseIds.map((id) => edits.filter((edit) => edit.responseId === id));
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

  /**
   * A keyset page of the visible responses `where` selects. Plain SQL mapped
   * to entities: on a page of 50, TypeORM's query building and hydration cost
   * more than the query.
   */
  private async page(
    viewer: UserEntity | null,
    where: { sql: string; params: Record<string, unknown> },
    query: PageQuery,
    order: ResponseOrder,
  ): Promise<Connection<ResponseEntity>> {
    const first = pageSize(query.first);
    const after = decodeCursor(query.after, isTimestampKey);
    const direction = order === 'NEWEST' ? 'DESC' : 'ASC';
    const visible = visibleResponsesSql('r', viewer);
    const keyset = after
      ? ` AND (r.created_at, r.id) ${order === 'NEWEST' ? '<' : '>'} (CAST(:afterKey AS timestamp) AT TIME ZONE 'UTC', CAST(:afterId AS uuid))`
      : '';
    const rows = await this.rows(
      `SELECT r.*, ${SORT_KEY} AS sort_key FROM responses r
        WHERE ${where.sql} AND ${visible.sql}${keyset}
        ORDER BY r.created_at ${direction}, r.id ${direction}
        LIMIT :limit`,
      {
        ...where.params,
        ...visible.params,
        ...(after ? { afterKey: after.key, afterId: after.id } : {}),
        limit: first + 1,
      },
    );
    return toConnection(
      rows,
      first,
      Boolean(after),
      ({ entity, sortKey }) => ({ key: sortKey, id: entity.id }),
      ({ entity }) => entity,
    );
  }

  private async rows(
    sql: string,
    params: Record<string, unknown>,
  ): Promise<{ entity: ResponseEntity; sortKey: string }[]> {
    const rows = await this.dataSource.query<ResponseRow[]>(
      ...positional(this.dataSource, sql, params),
    );
    return rows.map((row) => ({ entity: this.toResponse(row), sortKey: row.sort_key }));
  }

  private async lockOpenPrompt(
    manager: EntityManager,
    promptId: string,
  ): Promise<{ prompt: PromptEntity; essay: EssayEntity }> {
    const prompt = await manager
      .getRepository(PromptEntity)
      .createQueryBuilder('prompt')
      .setLock('pessimistic_read')
      .where('prompt.id = :promptId', { promptId })
      .getOneOrFail();
    const essay = await manager.getRepository(EssayEntity).findOneByOrFail({ id: prompt.essayId });
    if (essay.status !== EssayStatus.PUBLISHED) throw new PromptNotOpen('unpublished');
    if (!prompt.isOpen) throw new PromptNotOpen('closed');
    return { prompt, essay };
  }

  private async lock(manager: EntityManager, id: string): Promise<ResponseEntity> {
    const response = await manager
      .getRepository(ResponseEntity)
      .createQueryBuilder('response')
      .setLock('pessimistic_write')
      .where('response.id = :id', { id })
      .getOne();
    if (!response) throw new ResponseNotFound();
    return response;
  }

  private async insert(manager: EntityManager, values: NewResponse): Promise<ResponseEntity> {
    await manager.getRepository(ResponseEntity).insert({ ...values, createdAt: this.clock.now() });
    return manager.getRepository(ResponseEntity).findOneByOrFail({ id: values.id });
  }

  private validBody(raw: string): string {
    const body = typeof raw === 'string' ? raw.trim() : '';
    const max = this.config.responses.maxLength;
    if (body.length === 0) throw new BadUserInput('The response is empty.', 'body');
    if (body.length > max) {
      throw new BadUserInput(`The response is longer than ${max} characters.`, 'body');
    }
    return body;
  }

  private async refuseDuplicate(viewer: UserEntity, promptId: string, body: string): Promise<void> {
    const since = new Date(
      this.clock.now().getTime() - this.config.rateLimits.duplicateWindowMinutes * 60_000,
    );
    const duplicate = await this.dataSource
      .getRepository(ResponseEntity)
      .createQueryBuilder('response')
      .where('response.author_id = :authorId', { authorId: viewer.id })
      .andWhere('response.prompt_id = :promptId', { promptId })
      .andWhere('response.body_markdown = :body', { body })
      .andWhere('response.deleted_at IS NULL')
      .andWhere('response.created_at > :since', { since })
      .getExists();
    if (duplicate && this.config.rateLimits.enabled) throw new DuplicateResponse();
  }

  private async countPost(viewer: UserEntity): Promise<void> {
    await this.rateLimits.consume(this.burst, viewer.id);
    await this.rateLimits.consume(this.hourly, viewer.id);
  }
}

// moderation: what the decision stores on the new response.
function moderated(decision: Decision): Pick<ResponseEntity, 'moderationState' | 'heldReason'> {
  return { moderationState: decision.state, heldReason: decision.reason };
}
