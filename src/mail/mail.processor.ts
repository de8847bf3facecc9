import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import {
  DeliveriesService,
  MAIL_QUEUE,
  type DeliveryOutcome,
  type SendJob,
} from './deliveries.service.js';

/** Sends the delivery a job names. */
@Processor(MAIL_QUEUE, { concurrency: 8 })
export class MailProcessor extends WorkerHost {
  constructor(private readonly deliveries: DeliveriesService) {
    super();
  }

  async process(job: Job<SendJob>): Promise<DeliveryOutcome> {
    const isFinalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.deliveries.deliver(job.data.deliveryId, isFinalAttempt);
  }
}
