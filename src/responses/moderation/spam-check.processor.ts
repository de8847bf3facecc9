import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { APP_CONFIG } from '../../config/config.module.js';
import type { RuntimeConfig } from '../../config/runtime.js';
import { SPAM_CHECKS_QUEUE } from '../../queue/queue-names.js';
import { AkismetClient, SpamCheckUnanswered } from './akismet.client.js';
import { ModerationService, type SpamCheckJob } from './moderation.service.js';

/**
 * Asks the Akismet-compatible service about a response waiting on it, off the
 * request path. Tries three times; silence after the last holds it for the author.
 */
@Processor(SPAM_CHECKS_QUEUE, { concurrency: 4 })
export class SpamCheckProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(SpamCheckProcessor.name);

  constructor(
    private readonly moderation: ModerationService,
    private readonly akismet: AkismetClient,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {
    super();
  }

  /** PostgreSQL is the truth: a check whose job Redis lost is queued again. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.akismet.enabled) return;
    for (const id of await this.moderation.awaitingSpamCheck()) {
      await this.moderation.queueSpamCheck(id);
    }
  }

  async process(job: Job<SpamCheckJob>): Promise<void> {
    const { responseId } = job.data;
    const facts = await this.moderation.spamCheckFacts(responseId, this.config.publicUrl);
    if (!facts) return;
    try {
      await this.moderation.settleSpamCheck(responseId, await this.akismet.check(facts));
    } catch (error) {
      const isFinalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!(error instanceof SpamCheckUnanswered) || !isFinalAttempt) throw error;
      this.logger.warn(`${error.message}; response ${responseId} stays held for the author`);
      await this.moderation.settleSpamCheck(responseId, null);
    }
  }
}
