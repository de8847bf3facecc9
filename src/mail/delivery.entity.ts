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
@Index('deliveries_reason_key', ['recipient', 'kind', 'reasonKey'], { unique: true })
@Index('deliveries_state_created_idx', ['state', 'createdAt'])
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
