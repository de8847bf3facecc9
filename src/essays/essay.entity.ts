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
import { UserEntity } from '../users/user.entity.js';

export enum EssayStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  ARCHIVED = 'ARCHIVED',
}

@Entity('essays')
// Listing order is COALESCE(published_at, created_at) DESC, id DESC: expression
// indexes TypeORM cannot describe, so the migration creates them.
@Index('essays_sort_idx', { synchronize: false })
@Index('essays_status_sort_idx', { synchronize: false })
export class EssayEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('essays_slug_key', { unique: true })
  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ name: 'body_markdown', type: 'text' })
  bodyMarkdown: string;

  @Column({ name: 'body_html', type: 'text' })
  bodyHtml: string;

  @Column({ type: 'text' })
  excerpt: string;

  @Column({ type: 'enum', enum: EssayStatus, enumName: 'essay_status', default: EssayStatus.DRAFT })
  status: EssayStatus;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Column({ name: 'entity_ids', type: 'text', array: true, default: () => "'{}'" })
  entityIds: string[];

  @Column({ name: 'canonical_url', type: 'text', nullable: true })
  canonicalUrl: string | null;

  /** Frontmatter keys the platform does not know, kept as the author wrote them. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  frontmatter: Record<string, unknown>;

  /** SHA-256 of the markdown file this essay was last imported from. */
  @Column({ name: 'source_hash', type: 'text', nullable: true })
  sourceHash: string | null;

  @Column({ name: 'author_id', type: 'uuid', nullable: true })
  authorId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_id' })
  author?: Relation<UserEntity>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
