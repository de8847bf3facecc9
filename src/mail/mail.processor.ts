import { Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { MAIL_QUEUE } from '../queue/queue-names.js';
import { DeliveriesService, type DeliveryCounts, type SendJob } from './deliveries.service.js';

/**
 * Send jobs a worker runs at once: two, so that while the last rows of one
 * are sent the next one's rows are ready to take their places; more when
 * jobs are too small to fill MAIL_CONCURRENCY. Messages in flight are
 * MAIL_CONCURRENCY however many jobs run.
 */
export function jobsAtOnce(mail: { concurrency: number; jobSize: number }): number {
  return Math.max(2, Math.ceil(mail.concurrency / mail.jobSize));
}

/** Sends the deliveries a job names, MAIL_CONCURRENCY messages at a time. */
@Processor(MAIL_QUEUE, { autorun: false })
export class MailProcessor
  extends WorkerHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(MailProcessor.name);

  constructor(
    private readonly deliveries: DeliveriesService,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {
    super();
  }

  /** Started here, not on creation, so it takes its first jobs with the configured concurrency. */
  onApplicationBootstrap(): void {
    this.worker.concurrency = jobsAtOnce(this.config.mail);
    this.worker.run().catch((error: unknown) => this.logger.error(`mail worker stopped: ${error}`));
  }

  /**
   * Lets the sends in hand finish before anything closes: the database pool
   * closes in the shutdown hooks that follow, and a send cut off there would
   * leave its row pending, to be sent again.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  async process(job: Job<SendJob>): Promise<DeliveryCounts> {
    const isFinalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const { deliveryIds, deliveryId } = job.data;
    return this.deliveries.deliver(deliveryIds ?? (deliveryId ? [deliveryId] : []), isFinalAttempt);
  }
}
