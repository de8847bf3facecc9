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
import { UserEntity } from '../users/user.entity.js';

export enum InterestStatus {
  NEW = 'NEW',
  CONTACTED = 'CONTACTED',
  IN_CONVERSATION = 'IN_CONVERSATION',
  DECLINED = 'DECLINED',
  ARCHIVED = 'ARCHIVED',
}

/** A reader's offer to work with the author on an essay's theme. One per reader per essay. */
@Entity('collaborator_interests')
@Index('collaborator_interests_essay_reader_key', ['essayId', 'readerId'], { unique: true })
@Index('collaborator_interests_status_created_idx', ['status', 'createdAt', 'id'])
@Index('collaborator_interests_reader_idx', ['readerId'])
export class InterestEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'essay_id', type: 'uuid' })
  essayId: string;

  @ManyToOne(() => EssayEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'essay_id' })
  essay?: Relation<EssayEntity>;

  @Column({ name: 'reader_id', type: 'uuid' })
  readerId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reader_id' })
  reader?: Relation<UserEntity>;

  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  areas: string[];

  /** What the reader is building. */
  @Column({ type: 'text' })
  building: string;

  @Column({ type: 'text', nullable: true })
  link: string | null;

  @Column({ type: 'text', nullable: true })
  availability: string | null;

  @Column({ name: 'contact_email', type: 'text' })
  contactEmail: string;

  @Column({ name: 'consent_to_contact', type: 'boolean' })
  consentToContact: boolean;

  @Column({
    type: 'enum',
    enum: InterestStatus,
    enumName: 'interest_status',
    default: InterestStatus.NEW,
  })
  status: InterestStatus;

  /** The author's private note. */
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
