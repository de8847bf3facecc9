import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../../config/config.module.js';
import type { RuntimeConfig } from '../../config/runtime.js';
import { EventType } from '../../events/event.entity.js';
import { ESSAYS_VIEW_SQL } from '../../essays/essays.repository.js';
import { EventsService } from '../../events/events.service.js';
import { SPAM_CHECKS_QUEUE } from '../../queue/queue-names.js';
import { USERS_VIEW_SQL } from '../../users/users.repository.js';
import { ResponseEntity } from '../response.entity.js';
import { ResponsesPubSub } from '../responses.pubsub.js';
import { AkismetClient, type CommentFacts, type SpamVerdict } from './akismet.client.js';
import { HeldReason, ModerationState } from './moderation-state.js';

export const SPAM_CHECK_JOB = 'check';

export interface SpamCheckJob {
  responseId: string;
}

/**
 * The optional Akismet-compatible check (AKISMET_KEY): a reader's response
 * that would go out waits, held, for its answer, asked from a job.
 */
@Injectable()
export class SpamChecksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly events: EventsService,
    private readonly pubsub: ResponsesPubSub,
    private readonly akismet: AkismetClient,
    @InjectQueue(SPAM_CHECKS_QUEUE) private readonly jobs: Queue<SpamCheckJob>,
  ) {}

  get enabled(): boolean {
    return this.akismet.enabled;
  }

  /**
   * Asks about a response (its body as it is when the job runs). Each edit's
   * check is a job of its own: an earlier job of the response may still be
   * finishing, and a job id in use adds nothing.
   */
  async queue(responseId: string, options: { edit?: boolean } = {}): Promise<void> {
    await this.jobs.add(
      SPAM_CHECK_JOB,
      { responseId },
      {
        jobId: options.edit ? `${responseId}-edit-${randomUUID()}` : responseId,
        attempts: 3,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: true,
        removeOnFail: { count: 1000 },
      },
    );
  }

  /** Responses still waiting on the spam check (their jobs can be rebuilt from here). */
  async awaiting(): Promise<string[]> {
    const rows = await this.dataSource.getRepository(ResponseEntity).find({
      select: { id: true },
      where: { moderationState: ModerationState.HELD, heldReason: HeldReason.SPAM_CHECK },
    });
    return rows.map((row) => row.id);
  }

  /** What the spam check is told about a response still waiting on it; null when it no longer is. */
  async factsFor(responseId: string): Promise<CommentFacts | null> {
    const [row] = await this.dataSource.query<
      { body: string; created_at: Date; name: string; email: string; slug: string }[]
    >(
      `SELECT r.body_markdown AS body, r.created_at, u.display_name AS name, u.email, e.slug
         FROM responses r JOIN ${USERS_VIEW_SQL} u ON u.id = r.author_id
         JOIN ${ESSAYS_VIEW_SQL} e ON e.id = r.essay_id
        WHERE r.id = $1 AND r.moderation_state = 'HELD' AND r.held_reason = 'SPAM_CHECK'
          AND r.deleted_at IS NULL`,
      [responseId],
    );
    if (!row) return null;
    return {
      permalink: `${this.config.publicUrl}/essays/${row.slug}#response-${responseId}`,
      authorName: row.name,
      authorEmail: row.email,
      content: row.body,
      createdAt: row.created_at,
    };
  }

  /**
   * The spam check's answer (or, `null`, its silence after every try): ham
   * publishes the response as if it had gone out at once; spam or silence
   * holds it for the author.
   */
  async settle(responseId: string, verdict: SpamVerdict | null): Promise<void> {
    const { publishedNow, afterCommit } = await this.dataSource.transaction(async (manager) => {
      const current = await manager
        .getRepository(ResponseEntity)
        .createQueryBuilder('response')
        .setLock('pessimistic_write')
        .where('response.id = :id', { id: responseId })
        .getOneOrFail();
      const waiting =
        current.moderationState === ModerationState.HELD &&
        current.heldReason === HeldReason.SPAM_CHECK;
      if (!waiting) return { publishedNow: null, afterCommit: async () => {} };
      const event = {
        essayId: current.essayId,
        subjectId: current.id,
        actorId: current.authorId,
      };
      if (verdict === 'ham') {
        Object.assign(current, { moderationState: ModerationState.PUBLISHED, heldReason: null });
        const saved = await manager.getRepository(ResponseEntity).save(current);
        // The author is never checked: a response published here is a reader's.
        const type = EventType.RESPONSE_PUBLISHED;
        // An edit's check puts back what was out already: its event was recorded then.
        const again = await this.events.hasRecorded(manager, type, current.id);
        return {
          publishedNow: saved,
          afterCommit: again
            ? async () => {}
            : await this.events.record(manager, { ...event, type }),
        };
      }
      if (verdict === 'spam') {
        await manager
          .getRepository(ResponseEntity)
          .update(current.id, { heldReason: HeldReason.SUSPECTED_SPAM });
      }
      // Silence keeps it waiting on the check (a worker's restart asks again), held once.
      if (await this.events.hasRecorded(manager, EventType.RESPONSE_HELD, current.id)) {
        return { publishedNow: null, afterCommit: async () => {} };
      }
      return {
        publishedNow: null,
        afterCommit: await this.events.record(manager, { ...event, type: EventType.RESPONSE_HELD }),
      };
    });
    await afterCommit();
    if (!publishedNow) return;
    // No GraphQL mutation ran here, so nothing else tells the anonymous caches.
    await this.pubsub.clearAnonymousCaches();
    if (!publishedNow.hiddenByBan) await this.pubsub.announce(publishedNow);
  }
}
