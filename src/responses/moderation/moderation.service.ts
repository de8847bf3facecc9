import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditAction } from '../../audit/audit-entry.entity.js';
import { AuditLogService } from '../../audit/audit-log.service.js';
import { Clock } from '../../common/clock.js';
import { BadUserInput } from '../../common/errors.js';
import { isUuid } from '../../common/uuid.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { RuntimeConfig } from '../../config/runtime.js';
import { EssaysRepository } from '../../essays/essays.repository.js';
import { EssayNotFound } from '../../essays/essays.errors.js';
import { EventType } from '../../events/event.entity.js';
import { EventsService, type AfterCommit, type NewEvent } from '../../events/events.service.js';
import { UserEntity, UserRole } from '../../users/user.entity.js';
import { ResponseEntity } from '../response.entity.js';
import { ResponseNotFound } from '../responses.errors.js';
import { ResponsesPubSub } from '../responses.pubsub.js';
import {
  decide,
  editHold,
  type Decision,
  type EffectiveSettings,
  type FormSignals,
} from './moderation-policy.js';
import {
  GLOBAL_SCOPE,
  ModerationMode,
  ModerationSettingsEntity,
} from './moderation-settings.entity.js';
import { HeldReason, ModerationState } from './moderation-state.js';
import { NotHeld } from './moderation.errors.js';
import { SpamChecksService } from './spam-checks.service.js';

export const MAX_BLOCKED_TERMS = 500;
export const MAX_BLOCKED_TERM_LENGTH = 100;
export const MAX_REJECTION_REASON_LENGTH = 1000;

export interface SettingsView extends EffectiveSettings {
  essayId: string | null;
  /** For an essay: whether it has its own settings (false: it follows the global ones). */
  overridden: boolean;
}

export interface SettingsChange {
  essayId?: string | null;
  mode?: ModerationMode | null;
  blockedTerms?: string[] | null;
  /** `null` clears the limit; undefined keeps it. */
  maxLinks?: number | null;
}

const DEFAULTS: EffectiveSettings = { mode: ModerationMode.OFF, blockedTerms: [], maxLinks: null };

/** The author's moderation: settings, the hold decision for new responses, approve and reject. */
@Injectable()
export class ModerationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly pubsub: ResponsesPubSub,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly spamChecks: SpamChecksService,
    private readonly audit: AuditLogService,
    private readonly essays: EssaysRepository,
  ) {}

  /** The settings that apply globally, or to one essay (its override, else the global ones). */
  async settings(essayId?: string | null): Promise<SettingsView> {
    if (essayId) await this.requireEssay(essayId);
    const rows = await this.dataSource.getRepository(ModerationSettingsEntity).find({
      where: essayId ? [{ scope: GLOBAL_SCOPE }, { scope: essayId }] : [{ scope: GLOBAL_SCOPE }],
    });
    const own = essayId ? rows.find((row) => row.scope === essayId) : undefined;
    const global = rows.find((row) => row.scope === GLOBAL_SCOPE);
    const source = own ?? global ?? DEFAULTS;
    return {
      essayId: essayId ?? null,
      overridden: Boolean(own),
      mode: source.mode,
      blockedTerms: source.blockedTerms,
      maxLinks: source.maxLinks,
    };
  }

  /** Changes the global settings or one essay's override; fields left out keep their value. */
  async updateSettings(actorId: string, change: SettingsChange): Promise<SettingsView> {
    const blockedTerms = change.blockedTerms ? validTerms(change.blockedTerms) : undefined;
    if (change.maxLinks !== undefined && change.maxLinks !== null) {
      if (!Number.isInteger(change.maxLinks) || change.maxLinks < 0 || change.maxLinks > 1000) {
        throw new BadUserInput(
          'maxLinks must be a whole number from 0 to 1000, or null.',
          'maxLinks',
        );
      }
    }
    const current = await this.settings(change.essayId);
    const next = {
      scope: change.essayId ?? GLOBAL_SCOPE,
      mode: change.mode ?? current.mode,
      blockedTerms: blockedTerms ?? current.blockedTerms,
      maxLinks: change.maxLinks === undefined ? current.maxLinks : change.maxLinks,
    };
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(ModerationSettingsEntity).upsert(next, ['scope']);
      await this.audit.record(
        manager,
        actorId,
        AuditAction.MODERATION_SETTINGS_CHANGED,
        { type: 'moderation-settings', id: next.scope },
        settingsBrief(current),
        settingsBrief(next),
      );
    });
    return this.settings(change.essayId);
  }

  /** Whether a new response or reply by `writer` goes out at once or is held. */
  async decideFor(
    writer: UserEntity,
    draft: { essayId: string; promptId: string; body: string; form?: FormSignals | null },
  ): Promise<Decision> {
    if (writer.role === UserRole.AUTHOR) return { state: ModerationState.PUBLISHED, reason: null };
    const facts = await this.writerFacts(writer, draft);
    const decision = decide(facts.settings, {
      body: draft.body,
      writerTrusted: facts.trusted,
      duplicateElsewhere: facts.duplicate,
      form: draft.form,
      minSubmitMs: this.config.moderation.minSubmitMs,
    });
    // With AKISMET_KEY set, what would go out waits for the spam check's answer.
    if (decision.state === ModerationState.PUBLISHED && this.spamChecks.enabled) {
      return { state: ModerationState.HELD, reason: HeldReason.SPAM_CHECK };
    }
    return decision;
  }

  /**
   * Records what a new response's decision means, in the writer's
   * transaction: its event when published, RESPONSE_HELD when held, and for a
   * response waiting on the spam check, nothing yet but the check's job.
   */
  async recordNew(
    manager: EntityManager,
    decision: Decision,
    published: NewEvent,
  ): Promise<AfterCommit> {
    if (decision.state === ModerationState.PUBLISHED) return this.events.record(manager, published);
    if (decision.reason === HeldReason.SPAM_CHECK) {
      return () => this.spamChecks.queue(published.subjectId);
    }
    return this.events.record(manager, { ...published, type: EventType.RESPONSE_HELD });
  }

  /**
   * An edit of a published response that would be held if posted now holds
   * it (the writer sees it awaiting review), in the edit's transaction, with
   * RESPONSE_HELD in the outbox once; with AKISMET_KEY set, one that passes
   * the rules waits, held, for the spam check's answer, as a new one does.
   * Held and rejected responses stay as they are; the author is never held.
   * Call it with the new body in place; after the commit, the open
   * conversations take out what it held.
   */
  async recheckEdit(
    manager: EntityManager,
    writer: UserEntity,
    response: ResponseEntity,
  ): Promise<AfterCommit> {
    const nothing: AfterCommit = async () => {};
    if (writer.role === UserRole.AUTHOR) return nothing;
    if (response.moderationState !== ModerationState.PUBLISHED) return nothing;
    const reason =
      editHold(await this.settings(response.essayId), response.bodyMarkdown) ??
      (this.spamChecks.enabled ? HeldReason.SPAM_CHECK : null);
    if (!reason) return nothing;
    Object.assign(response, { moderationState: ModerationState.HELD, heldReason: reason });
    const recorded =
      reason === HeldReason.SPAM_CHECK
        ? () => this.spamChecks.queue(response.id, { edit: true })
        : (await this.events.hasRecorded(manager, EventType.RESPONSE_HELD, response.id))
          ? nothing
          : await this.events.record(manager, {
              type: EventType.RESPONSE_HELD,
              essayId: response.essayId,
              subjectId: response.id,
              actorId: response.authorId,
            });
    return async () => {
      await recorded();
      if (!response.hiddenByBan) await this.pubsub.withdraw(response);
    };
  }

  /**
   * Publishes a held (or rejected) response with its original time. Its
   * RESPONSE_PUBLISHED event is recorded now, once, so digests and live
   * updates take it as new.
   */
  async approve(actorId: string, id: string): Promise<ResponseEntity> {
    const { response, afterCommit } = await this.dataSource.transaction(async (manager) => {
      const current = await this.lock(manager, id);
      if (current.moderationState === ModerationState.PUBLISHED) {
        throw new NotHeld('approve', current.moderationState);
      }
      await this.audit.record(
        manager,
        actorId,
        AuditAction.RESPONSE_APPROVED,
        { type: 'response', id: current.id },
        { state: current.moderationState },
        { state: ModerationState.PUBLISHED },
      );
      Object.assign(current, {
        moderationState: ModerationState.PUBLISHED,
        heldReason: null,
        rejectionReason: null,
        approvedAt: this.clock.now(),
      });
      const saved = await manager.getRepository(ResponseEntity).save(current);
      const first = !(await this.events.hasRecorded(
        manager,
        EventType.RESPONSE_PUBLISHED,
        saved.id,
      ));
      const afterCommit = first
        ? await this.events.record(manager, {
            type: EventType.RESPONSE_PUBLISHED,
            essayId: saved.essayId,
            subjectId: saved.id,
            actorId: saved.authorId,
          })
        : async () => {};
      return { response: saved, afterCommit };
    });
    await afterCommit();
    if (!response.hiddenByBan) await this.pubsub.announce(response);
    else await this.pubsub.announceQueueChange();
    return response;
  }

  /** Turns a held or published response down: from then on only its writer and the author see it. */
  async reject(actorId: string, id: string, rawReason: string): Promise<ResponseEntity> {
    const reason = typeof rawReason === 'string' ? rawReason.trim() : '';
    if (reason.length === 0) throw new BadUserInput('Give a reason for rejecting it.', 'reason');
    if (reason.length > MAX_REJECTION_REASON_LENGTH) {
      throw new BadUserInput(
        `The reason is longer than ${MAX_REJECTION_REASON_LENGTH} characters.`,
        'reason',
      );
    }
    const rejected = await this.dataSource.transaction(async (manager) => {
      const current = await this.lock(manager, id);
      if (current.moderationState === ModerationState.REJECTED) {
        throw new NotHeld('reject', current.moderationState);
      }
      // The reason's words stay on the response, not in the log.
      await this.audit.record(
        manager,
        actorId,
        AuditAction.RESPONSE_REJECTED,
        { type: 'response', id: current.id },
        { state: current.moderationState },
        { state: ModerationState.REJECTED },
      );
      Object.assign(current, {
        moderationState: ModerationState.REJECTED,
        rejectionReason: reason,
      });
      return manager.getRepository(ResponseEntity).save(current);
    });
    await this.pubsub.announceQueueChange();
    return rejected;
  }

  /** Holds a published response for review (enough reports came in). */
  async holdForReview(manager: EntityManager, responseId: string): Promise<void> {
    await manager
      .getRepository(ResponseEntity)
      .update(
        { id: responseId, moderationState: ModerationState.PUBLISHED },
        { moderationState: ModerationState.HELD, heldReason: HeldReason.REPORTED },
      );
  }

  /** Hides or restores every response of a writer with their ban. */
  async setHiddenByBan(manager: EntityManager, userId: string, hidden: boolean): Promise<void> {
    await manager
      .getRepository(ResponseEntity)
      .update({ authorId: userId, hiddenByBan: !hidden }, { hiddenByBan: hidden });
  }

  private async lock(manager: EntityManager, id: string): Promise<ResponseEntity> {
    if (!isUuid(id)) throw new ResponseNotFound();
    const response = await manager
      .getRepository(ResponseEntity)
      .createQueryBuilder('response')
      .setLock('pessimistic_write')
      .where('response.id = :id', { id })
      .getOne();
    if (!response) throw new ResponseNotFound();
    return response;
  }

  /**
   * What a decision weighs, in one statement: the settings that apply to the
   * essay (its override, else the global ones; the essay is known to exist),
   * whether the writer has had a response approved, and whether they posted
   * this body to another prompt.
   */
  private async writerFacts(
    writer: UserEntity,
    draft: { essayId: string; promptId: string; body: string },
  ): Promise<{ settings: EffectiveSettings; trusted: boolean; duplicate: boolean }> {
    const [row] = await this.dataSource.query<
      {
        trusted: boolean;
        duplicate: boolean;
        mode: ModerationMode | null;
        blocked_terms: string[] | null;
        max_links: number | null;
      }[]
    >(
      `SELECT
         EXISTS (SELECT 1 FROM responses WHERE author_id = $1 AND approved_at IS NOT NULL) AS trusted,
         EXISTS (SELECT 1 FROM responses WHERE author_id = $1 AND prompt_id <> $2
                    AND body_markdown = $3 AND deleted_at IS NULL) AS duplicate,
         s.mode, s.blocked_terms, s.max_links
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (
         SELECT mode, blocked_terms, max_links FROM moderation_settings
          WHERE scope IN ($4, $5) ORDER BY scope = $4 DESC LIMIT 1
       ) s ON true`,
      [writer.id, draft.promptId, draft.body, draft.essayId, GLOBAL_SCOPE],
    );
    const settings: EffectiveSettings = row!.mode
      ? { mode: row!.mode, blockedTerms: row!.blocked_terms ?? [], maxLinks: row!.max_links }
      : DEFAULTS;
    return { settings, trusted: row!.trusted, duplicate: row!.duplicate };
  }

  private async requireEssay(essayId: string): Promise<void> {
    const exists = isUuid(essayId) && (await this.essays.findByIds([essayId])).length > 0;
    if (!exists) throw new EssayNotFound();
  }
}

/** Settings in brief for the audit log: the terms are counted, not copied. */
function settingsBrief(settings: EffectiveSettings): Record<string, string | number | null> {
  return {
    mode: settings.mode,
    blockedTerms: settings.blockedTerms.length,
    maxLinks: settings.maxLinks,
  };
}

function validTerms(terms: string[]): string[] {
  const cleaned = [...new Set(terms.map((term) => String(term).trim().replace(/\s+/gu, ' ')))];
  if (cleaned.some((term) => term.length === 0)) {
    throw new BadUserInput('A blocked term is empty.', 'blockedTerms');
  }
  if (cleaned.some((term) => term.length > MAX_BLOCKED_TERM_LENGTH)) {
    throw new BadUserInput(
      `A blocked term is longer than ${MAX_BLOCKED_TERM_LENGTH} characters.`,
      'blockedTerms',
    );
  }
  if (cleaned.length > MAX_BLOCKED_TERMS) {
    throw new BadUserInput(`At most ${MAX_BLOCKED_TERMS} blocked terms.`, 'blockedTerms');
  }
  return cleaned;
}
