import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export enum WebhookDeliveryState {
  PENDING = 'PENDING',
  SENT = 'SENT',
  /** Nothing left to send: what the event was about is gone (erased, deleted). */
  SKIPPED = 'SKIPPED',
  FAILED = 'FAILED',
}

/**
 * One POST of one event to one endpoint. The relay writes it once (unique on
 * event and endpoint) and the send job carries only its id, so a relay run
 * twice or a job retried never makes a second delivery of the same event.
 */
@Entity('webhook_deliveries')
@Index('webhook_deliveries_event_endpoint_key', ['eventId', 'endpoint'], { unique: true })
@Index('webhook_deliveries_state_enqueued_idx', ['state', 'enqueuedAt'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The outbox event; also the id receivers drop repeats by. */
  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  /** The URL, as WEBHOOK_URL names it. */
  @Column({ type: 'text' })
  endpoint: string;

  @Column({
    type: 'enum',
    enum: WebhookDeliveryState,
    enumName: 'webhook_delivery_state',
    default: WebhookDeliveryState.PENDING,
  })
  state: WebhookDeliveryState;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** The last failure: an HTTP status or a network error, never the receiver's body. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** When a send job was last queued for it; the relay queues stale pending rows again. */
  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true })
  enqueuedAt: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
