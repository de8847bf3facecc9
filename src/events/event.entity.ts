import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum EventType {
  ESSAY_PUBLISHED = 'ESSAY_PUBLISHED',
  RESPONSE_PUBLISHED = 'RESPONSE_PUBLISHED',
  AUTHOR_REPLIED = 'AUTHOR_REPLIED',
  INTEREST_RECEIVED = 'INTEREST_RECEIVED',
  SUBSCRIPTION_CONFIRMED = 'SUBSCRIPTION_CONFIRMED',
  RESPONSE_HELD = 'RESPONSE_HELD',
  REPORT_OPENED = 'REPORT_OPENED',
}

/** The outbox: written in the same transaction as the change it records. */
@Entity('events')
@Index('events_occurred_idx', ['occurredAt'])
@Index('events_essay_occurred_idx', ['essayId', 'occurredAt'])
@Index('events_relay_order_idx', ['txId', 'id'])
export class EventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'enum', enum: EventType, enumName: 'event_type' })
  type: EventType;

  @Column({ name: 'essay_id', type: 'uuid', nullable: true })
  essayId: string | null;

  /** The row the event is about (essay, response, interest, subscription, report). */
  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /**
   * The transaction that wrote it (`current_tx_id()`, the database's; 0 for
   * events written before this column): readers of the outbox go in (txId, id) order and stop
   * short of transactions still running, so none they pass is committed later
   * (the webhook relay's cursor).
   */
  @Column({
    name: 'tx_id',
    type: 'bigint',
    default: () => 'current_tx_id()',
    select: false,
    insert: false,
    update: false,
  })
  txId: string;
}
