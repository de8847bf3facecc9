import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export enum ModerationMode {
  /** Publish at once. */
  OFF = 'OFF',
  /** Hold a reader's responses until the author has approved one of theirs. */
  FIRST_TIME = 'FIRST_TIME',
  /** Hold every response. */
  ALL = 'ALL',
}

/** The global settings (`scope = 'global'`) and per-essay overrides (`scope` = the essay's id). */
@Entity('moderation_settings')
export class ModerationSettingsEntity {
  @PrimaryColumn({ type: 'text' })
  scope: string;

  @Column({ type: 'enum', enum: ModerationMode, enumName: 'moderation_mode' })
  mode: ModerationMode;

  @Column({ name: 'blocked_terms', type: 'text', array: true, default: () => "'{}'" })
  blockedTerms: string[];

  /** More links than this holds a response; null: no limit. */
  @Column({ name: 'max_links', type: 'integer', nullable: true })
  maxLinks: number | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

export const GLOBAL_SCOPE = 'global';
