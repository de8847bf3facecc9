import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from './user.entity.js';

/** A reader the author banned: they may read and sign in, not take part. */
@Entity('reader_bans')
export class ReaderBanEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @OneToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ type: 'text' })
  reason: string;

  /** Their earlier responses are hidden from everyone but the author while the ban lasts. */
  @Column({ name: 'hide_existing', type: 'boolean' })
  hideExisting: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
