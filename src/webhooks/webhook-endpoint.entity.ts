import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An endpoint WEBHOOK_URL has named, and since when: the relay sends it the
 * events recorded from then on, not the whole history before it was added.
 */
@Entity('webhook_endpoints')
export class WebhookEndpointEntity {
  @PrimaryColumn({ type: 'text' })
  url: string;

  @Column({ name: 'added_at', type: 'timestamptz', default: () => 'now()' })
  addedAt: Date;
}
