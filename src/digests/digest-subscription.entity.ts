import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { EssayEntity } from '../essays/essay.entity.js';

export enum DigestScope {
  ALL_ESSAYS = 'ALL_ESSAYS',
  ESSAY = 'ESSAY',
}

export enum DigestFrequency {
  DAILY = 'DAILY',
  WEEKLY = 'WEEKLY',
}

export enum SubscriptionStatus {
  PENDING = 'PENDING',
  CONFIRMED = 'CONFIRMED',
  UNSUBSCRIBED = 'UNSUBSCRIBED',
}

/**
 * An email digest subscription (double opt-in). Named so it does not clash
 * with GraphQL's root Subscription type.
 */
@Entity('digest_subscriptions')
@Index('digest_subscriptions_email_scope_key', ['email', 'scopeKey'], { unique: true })
@Index('digest_subscriptions_schedule_idx', [
  'status',
  'timezone',
  'frequency',
  'sendHour',
  'weekday',
])
export class DigestSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'enum', enum: DigestScope, enumName: 'digest_scope' })
  scope: DigestScope;

  @Column({ name: 'essay_id', type: 'uuid', nullable: true })
  essayId: string | null;

  @ManyToOne(() => EssayEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'essay_id' })
  essay?: Relation<EssayEntity>;

  /** 'ALL' or the essay id: one subscription per email and scope. */
  @Column({ name: 'scope_key', type: 'text' })
  scopeKey: string;

  @Column({ type: 'enum', enum: DigestFrequency, enumName: 'digest_frequency' })
  frequency: DigestFrequency;

  /** An IANA time zone name. */
  @Column({ type: 'text' })
  timezone: string;

  @Column({ name: 'send_hour', type: 'smallint' })
  sendHour: number;

  /** ISO weekday, 1 = Monday … 7 = Sunday; used by weekly digests. */
  @Column({ type: 'smallint', default: 1 })
  weekday: number;

  @Column({
    type: 'enum',
    enum: SubscriptionStatus,
    enumName: 'subscription_status',
    default: SubscriptionStatus.PENDING,
  })
  status: SubscriptionStatus;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ name: 'unsubscribed_at', type: 'timestamptz', nullable: true })
  unsubscribedAt: Date | null;

  /** Where the next digest's window starts: the end of the last one, or confirmation. */
  @Column({ name: 'window_start', type: 'timestamptz', nullable: true })
  windowStart: Date | null;

  /** Confirmation emails asked for, so each request is its own ledger row. */
  @Column({ name: 'confirmation_requests', type: 'int', default: 0 })
  confirmationRequests: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
