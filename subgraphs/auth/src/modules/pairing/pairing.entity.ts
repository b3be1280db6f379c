import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum PairingStatus {
  PENDING = 'PENDING',
  CLAIMED = 'CLAIMED',
  COMPLETED = 'COMPLETED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(PairingStatus, {
  name: 'PairingStatus',
  description: 'PENDING: shown on the player; CLAIMED: a person chose its display; COMPLETED: credential delivered',
});

/** What a paired credential is for: a display player, or a kiosk tablet (visitors take tickets and check in). */
export enum PairingKind {
  DISPLAY = 'DISPLAY',
  KIOSK = 'KIOSK',
}
registerEnumType(PairingKind, {
  name: 'PairingKind',
  description: 'DISPLAY: a display player (role DEVICE); KIOSK: a store tablet for visitors (role KIOSK, nothing else)',
});

/** A pairing code a display player shows until someone claims it for a display. */
@Entity({ name: 'pairing_code' })
export class PairingCode {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  code: string;

  @Column({ name: 'secret_hash', type: 'text', unique: true })
  secretHash: string;

  @Column({ type: 'text' })
  status: PairingStatus;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'client_ip', type: 'text', nullable: true })
  clientIp: string | null;

  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId: string | null;

  @Column({ name: 'display_id', type: 'uuid', nullable: true })
  displayId: string | null;

  @Column({ name: 'store_id', type: 'uuid', nullable: true })
  storeId: string | null;

  /** Chosen by whoever claims the code. */
  @Column({ name: 'device_kind', type: 'text', default: PairingKind.DISPLAY })
  deviceKind: PairingKind;

  @Column({ name: 'claimed_by', type: 'text', nullable: true })
  claimedBy: string | null;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@ObjectType({ description: 'What a display player shows and keeps while it waits to be paired' })
export class PairingRequest {
  @Field(() => String, { description: 'Show this on screen; a store or HQ user types it in' })
  code: string;

  @Field(() => String, { description: 'Keep this on the player; it proves the code is yours when polling' })
  secret: string;

  @Field(() => Date)
  expiresAt: Date;

  @Field(() => Int, { description: 'How often to call pollPairing' })
  pollIntervalSeconds: number;
}

@ObjectType({ description: 'A pairing code claimed for a display' })
export class Pairing {
  @Field(() => String)
  code: string;

  @Field(() => PairingStatus)
  status: PairingStatus;

  @Field(() => ID, { nullable: true })
  displayId: string | null;

  @Field(() => PairingKind)
  kind: PairingKind;

  @Field(() => Date, { nullable: true })
  claimedAt: Date | null;

  @Field(() => Date, { description: 'The player must collect its credential before this' })
  expiresAt: Date;
}

@ObjectType({ description: "A display player's credential, bound to one display" })
export class DeviceCredential {
  @Field(() => ID)
  displayId: string;

  @Field(() => String)
  accessToken: string;

  @Field(() => String, { description: 'Exchange with refreshToken before refreshTokenExpiresAt; works once' })
  refreshToken: string;

  @Field(() => Date)
  expiresAt: Date;

  @Field(() => Date)
  refreshTokenExpiresAt: Date;
}

@ObjectType()
export class PairingPoll {
  @Field(() => PairingStatus)
  status: PairingStatus;

  @Field(() => DeviceCredential, {
    nullable: true,
    description: 'Present exactly once, on the first poll after the code was claimed',
  })
  credential: DeviceCredential | null;
}
