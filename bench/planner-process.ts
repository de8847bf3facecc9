import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import pino from 'pino';
import { AppModule } from '../src/app.module.js';
import { PinoNestLogger } from '../src/common/logger.js';
import { loadConfig } from '../src/config/config.js';
import type { IdRange } from '../src/digests/id-ranges.js';
import { DigestPlanner } from '../src/digests/planner.service.js';

/*
 * One planner of `bench:digest --plan-only`, in a process of its own so its
 * memory is its own: receives its environment and id range over IPC, answers
 * "ready", plans its range on "go" and answers how many digests it decided.
 */

export interface PlannerTask {
  env: Record<string, string>;
  at: string;
  range: IdRange;
}

export interface PlannerResult {
  created: number;
  ms: number;
}

process.once('message', (task: PlannerTask) => {
  void (async () => {
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot(
        {
          ...loadConfig(task.env),
          databaseUrl: task.env.DATABASE_URL!,
          jwtSecret: task.env.JWT_SECRET!,
        },
        { parts: { api: false, workers: false } },
      ),
      { logger: new PinoNestLogger(pino({ level: 'warn' }, pino.destination(2))) },
    );
    const planner = app.get(DigestPlanner);
    process.once('message', () => {
      void (async () => {
        const started = performance.now();
        const created = await planner.planSubscriptionRange(new Date(task.at), task.range);
        const result: PlannerResult = { created, ms: performance.now() - started };
        process.send!(result);
        await app.close();
      })();
    });
    process.send!('ready');
  })();
});
process.on('disconnect', () => process.exit(0));
