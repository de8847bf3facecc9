import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { WEBHOOKS_QUEUE } from '../queue/queue-names.js';
import {
  RELAY_JOB,
  WebhooksService,
  type SendWebhookJob,
  type WebhookOutcome,
} from './webhooks.service.js';

/** Stable, so any number of worker instances keep exactly one relay schedule. */
export const RELAY_SCHEDULER_ID = 'webhook-relay';
const RELAY_EVERY_MS = 2_000;
const SCHEDULE_CHECK_MS = 60_000;

/**
 * Runs the relay passes and the sends. A send is over in 10 s (its timeout),
 * so a short lock lets another worker take over a dead worker's jobs soon.
 */
@Processor(WEBHOOKS_QUEUE, { concurrency: 4, lockDuration: 20_000, stalledInterval: 10_000 })
export class WebhooksProcessor extends WorkerHost implements BeforeApplicationShutdown {
  constructor(private readonly webhooks: WebhooksService) {
    super();
  }

  /** A send in hand finishes (and is marked) before the database pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  async process(job: Job): Promise<WebhookOutcome | { created: number; requeued: number }> {
    if (job.name === RELAY_JOB) return this.webhooks.relay();
    const isFinalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.webhooks.send((job.data as SendWebhookJob).deliveryId, isFinalAttempt);
  }
}

/**
 * Keeps the relay's repeating job while WEBHOOK_URL is set (and removes it
 * when it is not), putting it back when the queue lost it.
 */
@Injectable()
export class WebhookRelaySchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookRelaySchedule.name);
  private watch?: NodeJS.Timeout;

  constructor(
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue,
    private readonly webhooks: WebhooksService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.webhooks.enabled) {
      await this.queue.removeJobScheduler(RELAY_SCHEDULER_ID);
      return;
    }
    await this.schedule();
    // One pass now: the scheduled job may sit with a worker that died until it is taken over.
    await this.webhooks
      .relay()
      .catch((error: unknown) => this.logger.warn(`webhook relay pass failed: ${String(error)}`));
    this.watch = setInterval(() => {
      this.ensureScheduled().catch((error: unknown) =>
        this.logger.warn(`could not check the webhook relay schedule: ${String(error)}`),
      );
    }, SCHEDULE_CHECK_MS);
    this.watch.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.watch);
  }

  async ensureScheduled(): Promise<boolean> {
    if (await this.queue.getJobScheduler(RELAY_SCHEDULER_ID)) return false;
    await this.schedule();
    this.logger.warn('the webhook relay schedule was missing (queue data lost?): restored');
    return true;
  }

  private async schedule(): Promise<void> {
    await this.queue.upsertJobScheduler(
      RELAY_SCHEDULER_ID,
      { every: RELAY_EVERY_MS },
      { name: RELAY_JOB, opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } } },
    );
  }
}
