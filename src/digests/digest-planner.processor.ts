import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { Queue } from 'bullmq';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { DIGESTS_QUEUE } from '../queue/queue-names.js';
import { DigestPlanner, type PlanResult } from './planner.service.js';

export const PLAN_JOB = 'plan';
/** Stable, so any number of instances keep exactly one schedule. */
export const PLANNER_SCHEDULER_ID = 'digest-planner';
/** How often a worker checks that the queue still has the planner's schedule. */
const SCHEDULE_CHECK_MS = 60_000;

/** Runs one planning pass per scheduled job. */
@Processor(DIGESTS_QUEUE, { concurrency: 1 })
export class DigestPlannerProcessor extends WorkerHost {
  constructor(
    private readonly planner: DigestPlanner,
    private readonly clock: Clock,
  ) {
    super();
  }

  process(): Promise<PlanResult> {
    return this.planner.plan(this.clock.now());
  }
}

/**
 * Makes (or updates) the repeating planner job when a worker starts, and puts
 * it back when the queue has lost it (Redis restarted without persistence):
 * without it nothing would plan or re-queue again until a worker restarted.
 */
@Injectable()
export class DigestSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DigestSchedule.name);
  private watch?: NodeJS.Timeout;

  constructor(
    @InjectQueue(DIGESTS_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.schedule();
    this.logger.log(`digest planner runs every ${this.config.digests.planEveryMinutes} minutes`);
    this.watch = setInterval(() => {
      this.ensureScheduled().catch((error: unknown) =>
        this.logger.warn(`could not check the digest planner schedule: ${String(error)}`),
      );
    }, SCHEDULE_CHECK_MS);
    this.watch.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.watch);
  }

  /** Restores the schedule if the queue no longer has it; true when it did. */
  async ensureScheduled(): Promise<boolean> {
    if (await this.queue.getJobScheduler(PLANNER_SCHEDULER_ID)) return false;
    await this.schedule();
    this.logger.warn('the digest planner schedule was missing (queue data lost?): restored');
    return true;
  }

  private async schedule(): Promise<void> {
    const every = this.config.digests.planEveryMinutes * 60_000;
    await this.queue.upsertJobScheduler(
      PLANNER_SCHEDULER_ID,
      { every },
      { name: PLAN_JOB, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
    );
  }
}
