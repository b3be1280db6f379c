import { Role, Public } from '@phub/kit';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PairingKind } from '../pairing/pairing.entity.js';
import { User } from '../user/user.entity.js';

export type SessionKind = 'user' | 'device';

/** A refresh-token family: one login of a person, or one pairing of a display player. */
@Entity({ name: 'session' })
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'text' })
  kind: SessionKind;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ name: 'display_id', type: 'uuid', nullable: true })
  displayId: string | null;

  /** A device session's kind; its tokens carry DEVICE (display) or KIOSK. */
  @Column({ name: 'device_kind', type: 'text', default: PairingKind.DISPLAY })
  deviceKind: PairingKind;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_reason', type: 'text', nullable: true })
  revokedReason: string | null;

  @Column({ name: 'client_ip', type: 'text', nullable: true })
  clientIp: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}

/** One refresh token of a family; only its SHA-256 is stored. Used once, then replaced. */
@Entity({ name: 'refresh_token' })
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @Column({ name: 'token_hash', type: 'text', unique: true })
  tokenHash: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@ObjectType({ description: 'Credentials of a session: a short-lived access token and a one-time refresh token' })
export class AuthPayload {
  @Field(() => String, { description: 'Send as `Authorization: Bearer <accessToken>`' })
  accessToken: string;

  @Field(() => String, { description: 'Exchange once for new tokens with refreshToken; keep it secret' })
  refreshToken: string;

  @Field(() => Date, { description: 'When the access token expires' })
  expiresAt: Date;

  @Field(() => Date, { description: 'When the refresh token expires' })
  refreshTokenExpiresAt: Date;

  @Field(() => User, { nullable: true, description: 'The signed-in person (null for display players)' })
  user: User | null;

  @Field(() => ID, { nullable: true, description: 'The display a player credential is bound to' })
  displayId: string | null;
}

@Public()
@ObjectType('Viewer', { description: 'Who the current access token says you are' })
export class ViewerInfo {
  @Field(() => String, { description: 'user, partner or device' })
  kind: string;

  @Field(() => ID, { description: 'User id, API client id or display id' })
  subject: string;

  @Field(() => ID)
  tenantId: string;

  @Field(() => [Role])
  roles: Role[];

  @Field(() => [ID])
  storeIds: string[];

  @Field(() => ID, { nullable: true })
  displayId: string | null;

  @Field(() => [String])
  scopes: string[];

  @Field(() => ID, { nullable: true })
  sessionId: string | null;

  @Field(() => Date)
  expiresAt: Date;
}
