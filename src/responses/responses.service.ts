import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditAction } from '../audit/audit-entry.entity.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { Clock } from '../common/clock.js';
import { BadUserInput, Forbidden } from '../common/errors.js';
import { renderMarkdown } from '../common/markdown.js';
import { isUuid } from '../common/uuid.js';
import { EventType } from '../events/event.entity.js';
import { EventsService } from '../events/events.service.js';
import { EssayStatus } from '../essays/essay.entity.js';
import { PromptNotFound } from '../essays/essays.errors.js';
import { EssaysRepository } from '../essays/essays.repository.js';
import { PromptsService } from '../essays/prompts.service.js';
import { BansService } from '../users/bans.service.js';
import { UserEntity } from '../users/user.entity.js';
import type { Decision, FormSignals } from './moderation/moderation-policy.js';
import { ModerationState } from './moderation/moderation-state.js';
import { ModerationService } from './moderation/moderation.service.js';
import { isAuthor } from './response-access.js';
import { MAX_THREAD_DEPTH, ResponseLimits } from './response-limits.js';
import { ResponseEntity, ResponseVisibility } from './response.entity.js';
import { ResponsesPubSub } from './responses.pubsub.js';
import { ResponsesRepository, type NewModeratedResponse } from './responses.repository.js';
import {
  NotYourResponse,
  PromptNotOpen,
  ReplyToDeleted,
  ResponseNotFound,
  ThreadTooDeep,
} from './responses.errors.js';

/** Writing responses and their threads: who may post, reply, edit and delete. */
@Injectable()
export class ResponsesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ResponsesRepository,
    private readonly limits: ResponseLimits,
    private readonly prompts: PromptsService,
    private readonly essayRows: EssaysRepository,
    private readonly events: EventsService,
    private readonly pubsub: ResponsesPubSub,
    private readonly clock: Clock,
    private readonly audit: AuditLogService,
    private readonly moderation: ModerationService,
    private readonly bans: BansService,
  ) {}

  /**
   * What a response's markdown will look like once posted: the same renderer
   * and sanitizer, the same length limit. Nothing is stored.
   */
  async preview(markdown: string, clientKey: string): Promise<string> {
    await this.limits.countPreview(clientKey);
    const body = typeof markdown === 'string' ? markdown.trim() : '';
    if (body.length === 0) return '';
    return renderMarkdown(this.limits.validBody(body));
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
    const body = this.limits.validBody(input.body);
    const visibility = input.visibility ?? ResponseVisibility.PUBLIC;
    const prompt = await this.prompts.getPrompt(viewer, input.promptId);
    await this.limits.refuseBannedOrDuplicate(viewer, prompt.id, body); // moderation
    // The decision only reads, so it is weighed while the post is counted.
    const [, decision] = await Promise.all([
      this.limits.countPost(viewer),
      this.moderation.decideFor(viewer, {
        essayId: prompt.essayId,
        promptId: prompt.id,
        body,
        form: input.form,
      }), // moderation
    ]);
    // Rendered before the transaction, so its lock is not held meanwhile.
    const bodyHtml = renderMarkdown(body);
    const { response, afterCommit } = await this.dataSource.transaction(async (manager) => {
      const essayId = await this.lockOpenPrompt(manager, prompt.id);
      const id = randomUUID();
      const created = await this.insert(manager, {
        id,
        promptId: prompt.id,
        essayId,
        authorId: viewer.id,
        parentId: null,
        rootId: id,
        threadOwnerId: viewer.id,
        depth: 1,
        bodyMarkdown: body,
        bodyHtml,
        visibility,
        ...moderated(decision),
      });
      const afterCommit = await this.moderation.recordNew(manager, decision, {
        type: EventType.RESPONSE_PUBLISHED,
        essayId,
        subjectId: created.id,
        actorId: viewer.id,
        subjectIsNew: true,
      });
      return { response: created, afterCommit };
    });
    await afterCommit();
    if (decision.state === ModerationState.PUBLISHED) await this.pubsub.announce(response);
    else await this.pubsub.announceQueueChange(); // held: the desk's "Held" count
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
    const body = this.limits.validBody(rawBody);
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
    await this.limits.refuseDuplicate(viewer, parent.promptId, body);
    await this.limits.countPost(viewer);
    const decision = await this.moderation.decideFor(viewer, {
      essayId: parent.essayId,
      promptId: parent.promptId,
      body,
      form,
    }); // moderation
    const bodyHtml = renderMarkdown(body);
    const { reply, afterCommit } = await this.dataSource.transaction(async (manager) => {
      if (!isAuthor(viewer)) await this.lockOpenPrompt(manager, parent.promptId);
      const locked = await this.repository.lockShared(manager, parent.id);
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
        bodyHtml,
        visibility: locked.visibility,
        ...moderated(decision),
      });
      const afterCommit = await this.moderation.recordNew(manager, decision, {
        type: isAuthor(viewer) ? EventType.AUTHOR_REPLIED : EventType.RESPONSE_PUBLISHED,
        essayId: locked.essayId,
        subjectId: created.id,
        actorId: viewer.id,
        subjectIsNew: true,
      });
      return { reply: created, afterCommit };
    });
    await afterCommit();
    if (decision.state === ModerationState.PUBLISHED) await this.pubsub.announce(reply);
    else await this.pubsub.announceQueueChange();
    return reply;
  }

  /** The writer edits; the earlier version is kept. */
  async edit(viewer: UserEntity, id: string, rawBody: string): Promise<ResponseEntity> {
    const body = this.limits.validBody(rawBody);
    const current = await this.getVisible(viewer, id);
    if (current.authorId !== viewer.id) throw new NotYourResponse('edit');
    if (current.deletedAt) throw new BadUserInput('A deleted response cannot be edited.', 'id');
    const bodyHtml = renderMarkdown(body);
    const { edited, afterCommit } = await this.dataSource.transaction(async (manager) => {
      const response = await this.lock(manager, id);
      if (response.deletedAt) throw new BadUserInput('A deleted response cannot be edited.', 'id');
      if (response.bodyMarkdown === body) return { edited: response, afterCommit: async () => {} };
      const now = this.clock.now();
      await this.repository.addEdit(manager, {
        responseId: response.id,
        bodyMarkdown: response.bodyMarkdown,
        replacedAt: now,
      });
      Object.assign(response, {
        bodyMarkdown: body,
        bodyHtml,
        editedAt: now,
      });
      const afterCommit = await this.moderation.recheckEdit(manager, viewer, response); // moderation
      return { edited: await this.repository.save(manager, response), afterCommit };
    });
    await afterCommit();
    await this.pubsub.announceQueueChange(); // an edit may hold it
    return edited;
  }

  /** Soft delete by the writer or the author: the body and its history go, the thread stays. */
  async delete(viewer: UserEntity, id: string): Promise<ResponseEntity> {
    const current = await this.getVisible(viewer, id);
    if (current.authorId !== viewer.id && !isAuthor(viewer)) throw new NotYourResponse('delete');
    const deleted = await this.dataSource.transaction(async (manager) => {
      const response = await this.lock(manager, id);
      if (response.deletedAt) return response;
      if (isAuthor(viewer))
        await this.audit.record(
          manager,
          viewer.id,
          AuditAction.RESPONSE_DELETED,
          { type: 'response', id },
          { deleted: false },
          { deleted: true },
        );
      await this.repository.deleteEdits(manager, response.id);
      Object.assign(response, { bodyMarkdown: '', bodyHtml: '', deletedAt: this.clock.now() });
      return this.repository.save(manager, response);
    });
    await this.pubsub.announceQueueChange();
    return deleted;
  }

  /** A response the viewer may see; NOT_FOUND otherwise (private ones do not reveal they exist). */
  async getVisible(viewer: UserEntity | null, id: string): Promise<ResponseEntity> {
    if (!isUuid(id)) throw new ResponseNotFound();
    const response = await this.repository.findVisible(viewer, id);
    if (!response) throw new ResponseNotFound();
    return response;
  }

  /** Holds the prompt open (and its essay published) until the response is written. */
  private async lockOpenPrompt(manager: EntityManager, promptId: string): Promise<string> {
    const prompt = await this.essayRows.lockPrompt(manager, promptId);
    if (!prompt) throw new PromptNotFound();
    if (prompt.essayStatus !== EssayStatus.PUBLISHED) throw new PromptNotOpen('unpublished');
    if (!prompt.isOpen) throw new PromptNotOpen('closed');
    return prompt.essayId;
  }

  private async lock(manager: EntityManager, id: string): Promise<ResponseEntity> {
    const response = await this.repository.lock(manager, id);
    if (!response) throw new ResponseNotFound();
    return response;
  }

  private insert(
    manager: EntityManager,
    values: Omit<NewModeratedResponse, 'createdAt'>,
  ): Promise<ResponseEntity> {
    return this.repository.insert(manager, { ...values, createdAt: this.clock.now() });
  }
}

// moderation: what the decision stores on the new response.
function moderated(decision: Decision): Pick<ResponseEntity, 'moderationState' | 'heldReason'> {
  return { moderationState: decision.state, heldReason: decision.reason };
}
