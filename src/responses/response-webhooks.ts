import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventType } from '../events/event.entity.js';
import { ESSAYS_VIEW_SQL } from '../essays/essays.repository.js';
import { USERS_VIEW_SQL } from '../users/users.repository.js';
import { WebhookPayloads, type WebhookSubject } from '../webhooks/webhook-payloads.js';

/**
 * What `response.published` and `response.held` carry: the response as the
 * author sees it, private ones included (webhooks go to the author's own
 * systems). A deleted response sends nothing.
 */
@Injectable()
export class ResponseWebhooks implements OnModuleInit {
  constructor(private readonly payloads: WebhookPayloads) {}

  onModuleInit(): void {
    const describe = (manager: EntityManager, subject: WebhookSubject) =>
      this.describe(manager, subject);
    this.payloads.describe(EventType.RESPONSE_PUBLISHED, describe);
    this.payloads.describe(EventType.RESPONSE_HELD, describe);
  }

  private async describe(
    manager: EntityManager,
    subject: WebhookSubject,
  ): Promise<Record<string, unknown> | null> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT r.id, r.prompt_id, r.parent_id, r.visibility, r.body_markdown, r.created_at,
              u.id AS writer_id, u.display_name, e.id AS essay_id, e.slug, e.title
         FROM responses r JOIN ${USERS_VIEW_SQL} u ON u.id = r.author_id
         JOIN ${ESSAYS_VIEW_SQL} e ON e.id = r.essay_id
        WHERE r.id = $1 AND r.deleted_at IS NULL`,
      [subject.subjectId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      response: {
        id: row.id,
        promptId: row.prompt_id,
        parentId: row.parent_id,
        visibility: row.visibility,
        body: row.body_markdown,
        createdAt: (row.created_at as Date).toISOString(),
        writer: { id: row.writer_id, displayName: row.display_name },
      },
      essay: { id: row.essay_id, slug: row.slug, title: row.title },
    };
  }
}
