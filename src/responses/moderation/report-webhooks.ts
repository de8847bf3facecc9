import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventType } from '../../events/event.entity.js';
import { WebhookPayloads, type WebhookSubject } from '../../webhooks/webhook-payloads.js';
import { ReportEntity } from './report.entity.js';

/**
 * What `report.opened` carries: the report, the response it is about and its
 * reason; never who reported (not even to the author's systems), nor their
 * note. A report gone by then (its reporter erased) sends nothing.
 */
@Injectable()
export class ReportWebhooks implements OnModuleInit {
  constructor(private readonly payloads: WebhookPayloads) {}

  onModuleInit(): void {
    this.payloads.describe(EventType.REPORT_OPENED, (manager, subject) =>
      this.describe(manager, subject),
    );
  }

  private async describe(
    manager: EntityManager,
    subject: WebhookSubject,
  ): Promise<Record<string, unknown> | null> {
    const report = await manager.getRepository(ReportEntity).findOneBy({ id: subject.subjectId });
    if (!report) return null;
    return {
      report: {
        id: report.id,
        responseId: report.responseId,
        reason: report.reason,
        createdAt: report.createdAt.toISOString(),
      },
    };
  }
}
