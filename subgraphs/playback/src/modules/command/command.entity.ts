import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum DisplayCommandKind {
  RELOAD = 'RELOAD',
  CLEAR_CACHE = 'CLEAR_CACHE',
  IDENTIFY = 'IDENTIFY',
  SCREENSHOT = 'SCREENSHOT',
}
registerEnumType(DisplayCommandKind, {
  name: 'DisplayCommandKind',
  description: 'What a display is asked to do remotely',
  valuesConfig: {
    RELOAD: { description: 'Load the player again (a new release, a stuck screen)' },
    CLEAR_CACHE: { description: 'Drop the cached playlist, media and shell, then load again from the network' },
    IDENTIFY: { description: 'Show the display’s name over its content for a few seconds (which screen is it?)' },
    SCREENSHOT: { description: 'Send back a picture of what it shows now' },
  },
});

export enum DisplayCommandState {
  PENDING = 'PENDING',
  DONE = 'DONE',
  FAILED = 'FAILED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(DisplayCommandState, {
  name: 'DisplayCommandState',
  description: 'PENDING until the display answers; EXPIRED when it did not in time (it was off, say)',
});

@ObjectType({ description: 'A remote command to a display and its outcome; who sent it and when' })
@Entity({ name: 'display_command' })
export class DisplayCommand {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => ID)
  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Field(() => ID)
  @Column({ name: 'display_id', type: 'uuid' })
  displayId: string;

  @Field(() => DisplayCommandKind)
  @Column({ type: 'text' })
  kind: DisplayCommandKind;

  /** Stored PENDING, DONE or FAILED; read through `effectiveState` (a PENDING past its expiry is EXPIRED). */
  @Column({ type: 'text' })
  state: DisplayCommandState;

  @Field(() => String, { description: 'Subject (user id) of who sent it' })
  @Column({ name: 'issued_by', type: 'text' })
  issuedBy: string;

  @Field(() => Date)
  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt: Date;

  @Field(() => Date, { description: 'A display that has not answered by then will not act on it' })
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the display could not do it' })
  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** A SCREENSHOT's picture as the display sent it (JPEG, PNG or WebP), loaded only for the `screenshot` field. */
  @Column({ type: 'bytea', nullable: true, select: false })
  image: Buffer | null;

  @Column({ name: 'image_type', type: 'text', nullable: true })
  imageType: string | null;
}
