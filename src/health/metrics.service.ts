import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import {
  DIGESTS_QUEUE,
  MAIL_QUEUE,
  SPAM_CHECKS_QUEUE,
  WEBHOOKS_QUEUE,
} from '../queue/queue-names.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/**
 * Prometheus metrics, read when scraped: deliveries by kind and state (from
 * the ledger's counters, not the ledger), and queue depths.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @InjectQueue(MAIL_QUEUE) mailQueue: Queue,
    @InjectQueue(DIGESTS_QUEUE) digestsQueue: Queue,
    @InjectQueue(WEBHOOKS_QUEUE) webhooksQueue: Queue,
    @InjectQueue(SPAM_CHECKS_QUEUE) spamChecksQueue: Queue,
  ) {
    new Gauge({
      name: 'rizom_deliveries',
      help: 'Emails in the delivery ledger, by kind and state.',
      labelNames: ['kind', 'state'],
      registers: [this.registry],
      async collect() {
        // Kept by triggers on the ledger (see the delivery_counts migration):
        // a few dozen rows to add up, however many deliveries there are.
        const rows: { kind: string; state: string; count: string }[] = await dataSource.query(
          `SELECT kind, state, sum(count)::bigint AS count FROM delivery_counts
            GROUP BY kind, state HAVING sum(count) <> 0`,
        );
        this.reset();
        for (const row of rows) this.set({ kind: row.kind, state: row.state }, Number(row.count));
      },
    });
    new Gauge({
      name: 'rizom_queue_jobs',
      help: 'Jobs in each queue, by state.',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const queue of [mailQueue, digestsQueue, webhooksQueue, spamChecksQueue]) {
          const counts = await queue.getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES)
            this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
