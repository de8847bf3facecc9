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

  @Column({ type: 'int' })
  position: number;

  @Column({ name: 'is_open', type: 'boolean', default: true })
  isOpen: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
