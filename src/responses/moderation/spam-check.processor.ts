import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { SPAM_CHECKS_QUEUE } from '../../queue/queue-names.js';
import { AkismetClient, SpamCheckUnanswered } from './akismet.client.js';
import { SpamChecksService, type SpamCheckJob } from './spam-checks.service.js';

/**
 * Asks the Akismet-compatible service about a response waiting on it, off the
 * request path. Tries three times; silence after the last holds it for the author.
 */
@Processor(SPAM_CHECKS_QUEUE, { concurrency: 4 })
export class SpamCheckProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(SpamCheckProcessor.name);

  constructor(
    private readonly spamChecks: SpamChecksService,
    private readonly akismet: AkismetClient,
  ) {
    super();
  }

  /** PostgreSQL is the truth: a check whose job Redis lost is queued again. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.akismet.enabled) return;
    for (const id of await this.spamChecks.awaiting()) await this.spamChecks.queue(id);
  }

  async process(job: Job<SpamCheckJob>): Promise<void> {
    const { responseId } = job.data;
    const facts = await this.spamChecks.factsFor(responseId);
    if (!facts) return;
    try {
      await this.spamChecks.settle(responseId, await this.akismet.check(facts));
    } catch (error) {
      const isFinalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!(error instanceof SpamCheckUnanswered) || !isFinalAttempt) throw error;
      this.logger.warn(`${error.message}; response ${responseId} stays held for the author`);
      await this.spamChecks.settle(responseId, null);
    }
  }
}
