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
import { PromptEntity } from '../essays/prompt.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { HeldReason, ModerationState } from './moderation/moderation-state.js';

export enum ResponseVisibility {
  PUBLIC = 'PUBLIC',
  PRIVATE = 'PRIVATE',
}

export enum ReviewStatus {
  NEW = 'NEW',
  READ = 'READ',
  SHORTLISTED = 'SHORTLISTED',
  ARCHIVED = 'ARCHIVED',
  SPAM = 'SPAM',
}

/** A reader's answer to a prompt, or a reply in its thread (`parentId` set). */
@Entity('responses')
@Index('responses_prompt_created_idx', ['promptId', 'createdAt', 'id'], {
  where: 'parent_id IS NULL',
})
@Index('responses_parent_created_idx', ['parentId', 'createdAt', 'id'])
@Index('responses_essay_review_idx', ['essayId', 'reviewStatus', 'createdAt'])
@Index('responses_author_idx', ['authorId', 'createdAt'])
// Full-text search over bodies: an expression GIN index the migration creates.
@Index('responses_search_idx', { synchronize: false })
export class ResponseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'prompt_id', type: 'uuid' })
  promptId: string;

  @ManyToOne(() => PromptEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'prompt_id' })
  prompt?: Relation<PromptEntity>;

  @Column({ name: 'essay_id', type: 'uuid' })
  essayId: string;

  @ManyToOne(() => EssayEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'essay_id' })
  essay?: Relation<EssayEntity>;

  /** The writer. */
  @Column({ name: 'author_id', type: 'uuid' })
  authorId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'author_id' })
  author?: Relation<UserEntity>;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => ResponseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_id' })
  parent?: Relation<ResponseEntity>;

  /** The top-level response of the thread (itself for a top-level response). */
  @Column({ name: 'root_id', type: 'uuid' })
  rootId: string;

  /** Who wrote the thread's top-level response: with the author, the only reader of a private thread. */
  @Column({ name: 'thread_owner_id', type: 'uuid' })
  threadOwnerId: string;

  /** 1 for a top-level response, up to 5 for the deepest reply. */
  @Column({ type: 'smallint' })
  depth: number;

  @Column({ name: 'body_markdown', type: 'text' })
  bodyMarkdown: string;

  @Column({ name: 'body_html', type: 'text' })
  bodyHtml: string;

  @Column({
    type: 'enum',
    enum: ResponseVisibility,
    enumName: 'response_visibility',
    default: ResponseVisibility.PUBLIC,
  })
  visibility: ResponseVisibility;

  @Column({
    name: 'review_status',
    type: 'enum',
    enum: ReviewStatus,
    enumName: 'review_status',
    default: ReviewStatus.NEW,
  })
  reviewStatus: ReviewStatus;

  @Column({ name: 'review_note', type: 'text', nullable: true })
  reviewNote: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  labels: string[];

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt: Date | null;

  // Moderation (src/responses/moderation/): whether it is out in the conversation.
  @Column({
    name: 'moderation_state',
    type: 'enum',
    enum: ModerationState,
    enumName: 'moderation_state',
    default: ModerationState.PUBLISHED,
  })
  moderationState: ModerationState;

  @Column({
    name: 'held_reason',
    type: 'enum',
    enum: HeldReason,
    enumName: 'held_reason',
    nullable: true,
  })
  heldReason: HeldReason | null;

  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason: string | null;

  /** When the author approved it after a hold (FIRST_TIME trusts a writer from then on). */
  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  /** Hidden from all but the author while its writer is banned with hideExisting. */
  @Column({ name: 'hidden_by_ban', type: 'boolean', default: false })
  hiddenByBan: boolean;

  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true })
  editedAt: Date | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
