import { Public } from '@phub/kit';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum AppointmentState {
  BOOKED = 'BOOKED',
  CHECKED_IN = 'CHECKED_IN',
  CANCELLED = 'CANCELLED',
  NO_SHOW = 'NO_SHOW',
}
registerEnumType(AppointmentState, {
  name: 'AppointmentState',
  description:
    'BOOKED → CHECKED_IN (a ticket in the live queue), CANCELLED, or NO_SHOW (not checked in by the end of the grace time)',
});

export enum AppointmentSource {
  VISITOR = 'VISITOR',
  STAFF = 'STAFF',
  PARTNER = 'PARTNER',
}
registerEnumType(AppointmentSource, {
  name: 'AppointmentSource',
  description: 'Who booked it: the visitor by link, store/HQ staff, or a partner system (queue:write)',
});

@ObjectType({ description: 'A booked slot of a line; checking in puts the visitor into the live queue' })
@Entity({ name: 'appointment' })
export class Appointment {
  @Public()
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Public()
  @Field(() => ID)
  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Public()
  @Field(() => ID)
  @Column({ name: 'line_id', type: 'uuid' })
  lineId: string;

  @Public()
  @Field(() => Date)
  @Column({ name: 'slot_start', type: 'timestamptz' })
  start: Date;

  @Public()
  @Field(() => Date)
  @Column({ name: 'slot_end', type: 'timestamptz' })
  end: Date;

  @Public()
  @Field(() => String, { description: 'Store-local day of the slot (YYYY-MM-DD)' })
  @Column({ type: 'date' })
  day: string;

  @Public()
  @Field(() => AppointmentState)
  @Column({ type: 'text' })
  state: AppointmentState;

  @Public()
  @Field(() => AppointmentSource)
  @Column({ type: 'text' })
  source: AppointmentSource;

  // Personal fields, sealed like tickets' (personal-data.ts); field resolvers decrypt them for staff.
  @Column({ name: 'visitor_name', type: 'text', nullable: true })
  visitorName: string | null;

  @Column({ name: 'visitor_phone', type: 'text', nullable: true })
  visitorPhone: string | null;

  @Column({ name: 'phone_hash', type: 'text', nullable: true })
  phoneHash: string | null;

  @Field(() => Boolean, { description: 'The visitor agreed to an SMS reminder (sent only with a phone number)' })
  @Column({ name: 'sms_consent', type: 'boolean', default: false })
  smsConsent: boolean;

  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  @Column({ name: 'code_hash', type: 'text' })
  codeHash: string;

  @Public()
  @Field(() => ID, { nullable: true, description: 'The ticket check-in issued' })
  @Column({ name: 'ticket_id', type: 'uuid', nullable: true })
  ticketId: string | null;

  @Column({ name: 'booked_by_kind', type: 'text' })
  bookedByKind: string;

  @Column({ name: 'booked_by_id', type: 'text', nullable: true })
  bookedById: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the reminder job dealt with the current slot (its SMS queued); cleared by a reschedule',
  })
  @Column({ name: 'reminded_at', type: 'timestamptz', nullable: true })
  remindedAt: Date | null;

  @Public()
  @Field(() => Date, { nullable: true })
  @Column({ name: 'checked_in_at', type: 'timestamptz', nullable: true })
  checkedInAt: Date | null;

  @Public()
  @Field(() => Date, { nullable: true })
  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @Public()
  @Field(() => Date, { nullable: true })
  @Column({ name: 'no_show_at', type: 'timestamptz', nullable: true })
  noShowAt: Date | null;

  @Public()
  @Field(() => Date)
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Public()
  @Field(() => Date)
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Public()
@ObjectType({ description: 'A slot of a line on a day, and how many more appointments it takes' })
export class AppointmentSlot {
  @Field(() => Date)
  start: Date;

  @Field(() => Date)
  end: Date;

  @Field(() => Int)
  capacity: number;

  @Field(() => Int)
  free: number;
}

@Public()
@ObjectType({ description: 'A booked appointment with the secrets that open it, shown once' })
export class BookedAppointment {
  @Field(() => Appointment)
  appointment: Appointment;

  @Field(() => String, {
    description:
      'The visitor’s link secret: myAppointment, reschedule, cancel and check in with it (until the slot ends)',
  })
  token: string;

  @Field(() => String, { description: 'Short code to check in with at a kiosk (typed, or as qrPayload)' })
  code: string;

  @Field(() => String, { description: 'What a QR code for the kiosk should hold' })
  qrPayload: string;
}
