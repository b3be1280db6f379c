import { Public } from '@phub/kit';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NoteView } from '../profile/profile.entity.js';
import { Segment } from '../segment/segment.entity.js';

export enum CheckInSource {
  /** At the queue desk, with the visitor's queue ticket. */
  QUEUE = 'QUEUE',
  /** Arriving for an appointment (a booking system, or staff). */
  BOOKING = 'BOOKING',
  KIOSK = 'KIOSK',
  /** Staff, without a ticket. */
  DESK = 'DESK',
}
registerEnumType(CheckInSource, { name: 'VisitorCheckInSource' });

/** A visit: pseudonymous (the profile's random id, the store, when), kept when the profile is erased. */
@ObjectType('VisitorCheckIn', { description: 'A visitor’s check-in in a store, as the store’s staff see it' })
@Entity({ name: 'visit' })
export class Visit {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => ID)
  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Column({ name: 'profile_id', type: 'uuid' })
  profileId: string;

  @Field(() => CheckInSource)
  @Column({ type: 'text' })
  source: CheckInSource;

  @Field(() => ID, { nullable: true, description: 'The queue ticket it was linked to' })
  @Column({ name: 'ticket_id', type: 'uuid', nullable: true })
  ticketId: string | null;

  @Field(() => String, { nullable: true, description: 'The linked ticket’s final state (SERVED, NO_SHOW, …)' })
  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  @Column({ name: 'moment_id', type: 'uuid', nullable: true })
  momentId: string | null;

  @Field(() => Date)
  @Column({ type: 'timestamptz' })
  at: Date;
}

@ObjectType({ description: 'What staff see of a consenting visitor at check-in' })
export class VisitorCard {
  @Field(() => String, { nullable: true })
  name: string | null;

  @Field(() => [Segment], { description: 'Segments shown as badges at check-in' })
  badges: Segment[];

  @Field(() => [NoteView])
  notes: NoteView[];
}

@Public()
@ObjectType({ description: 'A check-in as recorded' })
export class VisitorCheckInReceipt {
  @Public()
  @Field(() => ID)
  checkInId: string;

  @Public()
  @Field(() => ID, { description: 'The visitor’s pseudonymous id (profiles met by identifier are merged)' })
  visitorId: string;

  @Public()
  @Field(() => Boolean, { description: 'Whether a presence moment went to campaigns (PERSONALISED_SCREENS consent)' })
  momentEmitted: boolean;

  @Public()
  @Field(() => Date)
  at: Date;
}
