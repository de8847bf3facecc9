import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * A one-time sign-in: the emailed link and the emailed 6-digit code, one row
 * for both, so using either uses up the other. Only hashes are stored.
 */
@Entity('sign_in_tokens')
export class SignInTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('sign_in_tokens_email_idx')
  @Column({ type: 'text' })
  email: string;

  @Index('sign_in_tokens_token_hash_key', { unique: true })
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  /** Keyed hash of the 6-digit code (HMAC with the session secret: 6 digits would fall to an offline search). */
  @Column({ name: 'code_hash', type: 'text', nullable: true })
  codeHash: string | null;

  /** Wrong codes tried against this row; at 5 the code no longer works. */
  @Column({ name: 'failed_code_attempts', type: 'smallint', default: 0 })
  failedCodeAttempts: number;

  /** The same-origin path the link brings the reader back to. */
  @Column({ name: 'return_to', type: 'text', nullable: true })
  returnTo: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
