import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { UserEntity } from '../users/user.entity.js';

/** What a user who never changed a setting has (the columns' defaults). */
export const DEFAULT_NOTIFICATION_SETTINGS = {
  replyEmails: true,
  reviewDigestEnabled: true,
  reviewDigestTimezone: 'UTC',
  reviewDigestHour: 8,
  reviewWindowStart: null,
} as const;

/**
 * What a user gets emailed besides digest subscriptions: reply notices, and
 * (for the author) the daily review digest with its schedule and window. One
 * row per user, written the first time it is needed; a user without one has
 * the column defaults.
 */
@Entity('notification_settings')
export class NotificationSettingsEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @OneToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<UserEntity>;

  /** Email me when the author replies to me. */
  @Column({
    name: 'reply_emails',
    type: 'boolean',
    default: DEFAULT_NOTIFICATION_SETTINGS.replyEmails,
  })
  replyEmails: boolean;

  /** The author's daily review digest: on/off, local hour and time zone. */
  @Column({
    name: 'review_digest_enabled',
    type: 'boolean',
    default: DEFAULT_NOTIFICATION_SETTINGS.reviewDigestEnabled,
  })
  reviewDigestEnabled: boolean;

  @Column({
    name: 'review_digest_timezone',
    type: 'text',
    default: DEFAULT_NOTIFICATION_SETTINGS.reviewDigestTimezone,
  })
  reviewDigestTimezone: string;

  @Column({
    name: 'review_digest_hour',
    type: 'smallint',
    default: DEFAULT_NOTIFICATION_SETTINGS.reviewDigestHour,
  })
  reviewDigestHour: number;

  /** Where the next review digest's window starts; until the first one, the user's sign-up. */
  @Column({ name: 'review_window_start', type: 'timestamptz', nullable: true })
  reviewWindowStart: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
