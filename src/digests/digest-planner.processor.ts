import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { DigestPlanner, type PlanResult } from './planner.service.js';

export const DIGESTS_QUEUE = 'digests';
export const PLAN_JOB = 'plan';
/** Stable, so any number of instances keep exactly one schedule. */
export const PLANNER_SCHEDULER_ID = 'digest-planner';

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

/** Makes (or updates) the repeating planner job when a worker starts. */
@Injectable()
export class DigestSchedule implements OnApplicationBootstrap {
  private readonly logger = new Logger(DigestSchedule.name);

  constructor(
    @InjectQueue(DIGESTS_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const every = this.config.digests.planEveryMinutes * 60_000;
    await this.queue.upsertJobScheduler(
      PLANNER_SCHEDULER_ID,
      { every },
      { name: PLAN_JOB, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
    );
    this.logger.log(`digest planner runs every ${this.config.digests.planEveryMinutes} minutes`);
  }
}
