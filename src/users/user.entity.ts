import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export enum UserRole {
  AUTHOR = 'AUTHOR',
  READER = 'READER',
}

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-cased, so uniqueness is case-insensitive. */
  @Index('users_email_key', { unique: true })
  @Column({ type: 'text' })
  email: string;

  /** Public: shown beside what the user writes. Never derived from the email address. */
  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  /** False while the name is the neutral one given at sign-up ("Reader 4821"). */
  @Column({ name: 'display_name_chosen', type: 'boolean', default: false })
  displayNameChosen: boolean;

  @Column({ type: 'enum', enum: UserRole, enumName: 'user_role', default: UserRole.READER })
  role: UserRole;

  /**
   * Sessions carry the version they were issued at (the `sv` claim); signing
   * out moves it on, which ends every session of the user at once.
   */
  @Column({ name: 'session_version', type: 'integer', default: 0 })
  sessionVersion: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
