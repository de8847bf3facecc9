import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What the author did. */
export enum AuditAction {
  ESSAY_PUBLISHED = 'ESSAY_PUBLISHED',
  ESSAY_ARCHIVED = 'ESSAY_ARCHIVED',
  RESPONSE_REVIEWED = 'RESPONSE_REVIEWED',
  RESPONSE_DELETED = 'RESPONSE_DELETED',
  INTEREST_STATUS_CHANGED = 'INTEREST_STATUS_CHANGED',
  ESSAY_EXPORTED = 'ESSAY_EXPORTED',
  REVIEW_DIGEST_SETTINGS_CHANGED = 'REVIEW_DIGEST_SETTINGS_CHANGED',
  RESPONSE_APPROVED = 'RESPONSE_APPROVED',
  RESPONSE_REJECTED = 'RESPONSE_REJECTED',
  REPORT_RESOLVED = 'REPORT_RESOLVED',
  READER_BANNED = 'READER_BANNED',
  READER_UNBANNED = 'READER_UNBANNED',
  MODERATION_SETTINGS_CHANGED = 'MODERATION_SETTINGS_CHANGED',
  ESSAY_IMPORTED = 'ESSAY_IMPORTED',
  ESSAY_UPDATED = 'ESSAY_UPDATED',
  PROMPT_ADDED = 'PROMPT_ADDED',
  PROMPT_UPDATED = 'PROMPT_UPDATED',
  PROMPT_CLOSED = 'PROMPT_CLOSED',
  PROMPT_REOPENED = 'PROMPT_REOPENED',
}

/** In brief: statuses and settings, never bodies, notes or addresses. */
export type AuditState = Record<string, string | number | boolean | null | string[]>;

/**
 * One row per author action that changes what others see or what is kept.
 * Append-only: the API never updates or deletes a row, and a trigger (see the
 * migration) refuses UPDATE and DELETE from anyone.
 */
@Entity('audit_log')
@Index('audit_log_occurred_idx', ['occurredAt', 'id'])
@Index('audit_log_subject_idx', ['subjectId'])
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Who: the signed-in user who acted; null for the CLI and jobs. */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'enum', enum: AuditAction, enumName: 'audit_action' })
  action: AuditAction;

  /** Which object: its kind ("essay", "response", "interest", "user") and id. */
  @Column({ name: 'subject_type', type: 'text' })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'text' })
  subjectId: string;

  @Column({ type: 'jsonb', nullable: true })
  before: AuditState | null;

  @Column({ type: 'jsonb', nullable: true })
  after: AuditState | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
