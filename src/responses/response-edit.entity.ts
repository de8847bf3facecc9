import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { ResponseEntity } from './response.entity.js';

/** An earlier version of a response, kept when its writer edits it. */
@Entity('response_edits')
@Index('response_edits_response_idx', ['responseId', 'replacedAt'])
export class ResponseEditEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'response_id', type: 'uuid' })
  responseId: string;

  @ManyToOne(() => ResponseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'response_id' })
  response?: Relation<ResponseEntity>;

  @Column({ name: 'body_markdown', type: 'text' })
  bodyMarkdown: string;

  /** When this version stopped being the current one. */
  @Column({ name: 'replaced_at', type: 'timestamptz' })
  replacedAt: Date;
}
