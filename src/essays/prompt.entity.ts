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
import { EssayEntity } from './essay.entity.js';

@Entity('prompts')
@Index('prompts_essay_position_idx', ['essayId', 'position'])
export class PromptEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'essay_id', type: 'uuid' })
  essayId: string;

  @ManyToOne(() => EssayEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'essay_id' })
  essay?: Relation<EssayEntity>;

  @Column({ type: 'text' })
  text: string;

  /**
   * The question in the essay's source this prompt came from (the text as
   * imported, even after the author reworded the prompt); null for a prompt
   * the author added, which importing the essay again never removes.
   */
  @Column({ name: 'source_text', type: 'text', nullable: true })
  sourceText: string | null;

  @Column({ type: 'int' })
  position: number;

  @Column({ name: 'is_open', type: 'boolean', default: true })
  isOpen: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
