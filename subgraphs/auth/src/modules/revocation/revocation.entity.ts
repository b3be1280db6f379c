import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** `sid`: a session or an API client's token family; `jti`: one access token. */
export type RevocationKind = 'sid' | 'jti';

/**
 * The durable revocation list. The shared cache only mirrors it (for every verifier's fast
 * path); a flushed or restarted cache is refilled from here.
 */
@Entity({ name: 'revocation' })
export class Revocation {
  @PrimaryColumn({ type: 'text' })
  kind: RevocationKind;

  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  reason: string;

  /** After this no token it could stop is still valid; the row is then purged. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
