import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export enum DeliveryKind {
  SIGN_IN = 'SIGN_IN',
  SUBSCRIPTION_CONFIRM = 'SUBSCRIPTION_CONFIRM',
  /** "You are already subscribed": subscribe again for a confirmed address. */
  SUBSCRIPTION_MANAGE = 'SUBSCRIPTION_MANAGE',
  DIGEST = 'DIGEST',
  REPLY_NOTICE = 'REPLY_NOTICE',
  AUTHOR_DIGEST = 'AUTHOR_DIGEST',
}

export enum DeliveryState {
  PENDING = 'PENDING',
  SENT = 'SENT',
  SKIPPED = 'SKIPPED',
  FAILED = 'FAILED',
}

/**
 * The delivery ledger: one row per email decided. The row is written in the
 * transaction that decides to send; its uniqueness is what makes a retried or
 * duplicated job harmless.
 */
@Entity('deliveries')
// Columns in table order: TypeORM compares index columns that way.
// A digest is unique by subscription and slot (below); its reason key says
// the same, so this index leaves digests out (the planner writes a million).
@Index('deliveries_reason_key', ['kind', 'recipient', 'reasonKey'], {
  unique: true,
  where: `kind <> 'DIGEST'`,
})
@Index('deliveries_state_created_idx', ['state', 'createdAt'])
@Index('deliveries_state_enqueued_idx', ['state', 'enqueuedAt'])
@Index('deliveries_subscription_slot_key', ['subscriptionId', 'kind', 'slotKey'], {
  unique: true,
  where: 'subscription_id IS NOT NULL',
})
export class DeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'enum', enum: DeliveryKind, enumName: 'delivery_kind' })
  kind: DeliveryKind;

  @Column({ type: 'text' })
  recipient: string;

  /** Why this email exists: a token id, a slot key, an event id. */
  @Column({ name: 'reason_key', type: 'text' })
  reasonKey: string;

  /** The digest subscription this email is for, when it is one. */
  @Column({ name: 'subscription_id', type: 'uuid', nullable: true })
  subscriptionId: string | null;

  /** The user it concerns (reply notices, the author's digest). */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  /** The send slot of a digest: a local date (2026-11-27) or ISO week (2026-W48). */
  @Column({ name: 'slot_key', type: 'text', nullable: true })
  slotKey: string | null;

  /** A digest covers events in (windowStart, windowEnd]. */
  @Column({ name: 'window_start', type: 'timestamptz', nullable: true })
  windowStart: Date | null;

  @Column({ name: 'window_end', type: 'timestamptz', nullable: true })
  windowEnd: Date | null;

  /** When a send job was last queued for it, by the clock; the planner re-queues stale ones. */
  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true })
  enqueuedAt: Date | null;

  /** The worker that has the row in flight (or sent it); null while free to claim. */
  @Column({ name: 'claimed_by', type: 'text', nullable: true })
  claimedBy: string | null;

  /** Until when the claim holds at most, by the database's clock (a worker that hangs). */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({
    type: 'enum',
    enum: DeliveryState,
    enumName: 'delivery_state',
    default: DeliveryState.PENDING,
  })
  state: DeliveryState;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
