import { Public } from '@phub/kit';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Ticket states as Qminder names them. */
export enum TicketState {
  NEW = 'NEW',
  CALLED = 'CALLED',
  SERVED = 'SERVED',
  NO_SHOW = 'NO_SHOW',
  CANCELLED = 'CANCELLED',
  CANCELLED_BY_CLERK = 'CANCELLED_BY_CLERK',
}
registerEnumType(TicketState, {
  name: 'TicketState',
  description:
    'NEW: waiting; CALLED: a desk called it; SERVED, NO_SHOW, CANCELLED (by the visitor) and CANCELLED_BY_CLERK are final',
});

export enum TicketSource {
  DESK = 'DESK',
  REMOTE = 'REMOTE',
  KIOSK = 'KIOSK',
}
registerEnumType(TicketSource, {
  name: 'TicketSource',
  description:
    'DESK: added by staff; REMOTE: the visitor joined or checked in by link or code; KIOSK: at a store tablet',
});

export enum TicketActionKind {
  CREATED = 'CREATED',
  JOINED = 'JOINED',
  CALLED = 'CALLED',
  RECALLED = 'RECALLED',
  RETURNED = 'RETURNED',
  TRANSFERRED = 'TRANSFERRED',
  PARKED = 'PARKED',
  UNPARKED = 'UNPARKED',
  NO_SHOW = 'NO_SHOW',
  SERVED = 'SERVED',
  CANCELLED = 'CANCELLED',
  CANCELLED_BY_CLERK = 'CANCELLED_BY_CLERK',
  NOTE = 'NOTE',
  MOVED = 'MOVED',
  CHECKED_IN = 'CHECKED_IN',
}
registerEnumType(TicketActionKind, { name: 'TicketActionKind' });

@ObjectType({ description: 'A visitor’s place in a line, e.g. A001' })
@Entity({ name: 'ticket' })
export class Ticket {
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
  @Field(() => ID, { nullable: true, description: 'The desk that called it, or that it was transferred to' })
  @Column({ name: 'desk_id', type: 'uuid', nullable: true })
  deskId: string | null;

  @Public()
  @Field(() => String, { description: 'Short number per line and store-local day, e.g. A001' })
  @Column({ type: 'text' })
  number: string;

  @Public()
  @Field(() => String, { description: 'Store-local day the ticket was issued (YYYY-MM-DD)' })
  @Column({ type: 'date' })
  day: string;

  @Public()
  @Field(() => TicketState)
  @Column({ type: 'text' })
  state: TicketState;

  @Public()
  @Field(() => Boolean, { description: 'Set aside: not called by "call next" until unparked' })
  @Column({ type: 'boolean' })
  parked: boolean;

  @Public()
  @Field(() => TicketSource)
  @Column({ type: 'text' })
  source: TicketSource;

  @Public()
  @Field(() => Date, { description: 'Its place in the line: earlier is called first' })
  @Column({ name: 'queued_at', type: 'timestamptz' })
  queuedAt: Date;

  @Column({ type: 'bigint', insert: false, update: false })
  seq: string;

  @Public()
  @Field(() => Date)
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Public()
  @Field(() => Date, { nullable: true })
  @Column({ name: 'called_at', type: 'timestamptz', nullable: true })
  calledAt: Date | null;

  @Public()
  @Field(() => Date, { nullable: true })
  @Column({ name: 'recalled_at', type: 'timestamptz', nullable: true })
  recalledAt: Date | null;

  @Public()
  @Field(() => Int)
  @Column({ name: 'recall_count', type: 'integer' })
  recallCount: number;

  @Public()
  @Field(() => Date, { nullable: true })
  @Column({ name: 'parked_at', type: 'timestamptz', nullable: true })
  parkedAt: Date | null;

  @Public()
  @Field(() => Date, { nullable: true })
  @Column({ name: 'served_at', type: 'timestamptz', nullable: true })
  servedAt: Date | null;

  @Public()
  @Field(() => Date, { nullable: true })
  @Column({ name: 'no_show_at', type: 'timestamptz', nullable: true })
  noShowAt: Date | null;

  @Public()
  @Field(() => Date, { nullable: true })
  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  // Personal fields, stored encrypted (personal-data.ts); field resolvers decrypt them and hide them from displays.
  @Column({ name: 'visitor_name', type: 'text', nullable: true })
  visitorName: string | null;

  @Column({ name: 'visitor_phone', type: 'text', nullable: true })
  visitorPhone: string | null;

  @Column({ name: 'phone_hash', type: 'text', nullable: true })
  phoneHash: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Field(() => Boolean, { description: 'The visitor agreed to SMS about this ticket; without it none is sent' })
  @Column({ name: 'sms_consent', type: 'boolean', default: false })
  smsConsent: boolean;

  @Column({ name: 'token_hash', type: 'text', nullable: true })
  tokenHash: string | null;

  @Public()
  @Field(() => ID, { nullable: true, description: 'The appointment this ticket checked in for' })
  @Column({ name: 'appointment_id', type: 'uuid', nullable: true })
  appointmentId: string | null;

  @Public()
  @Field(() => ID, { nullable: true, description: 'The collect order this ticket picks up' })
  @Column({ name: 'collect_order_id', type: 'uuid', nullable: true })
  collectOrderId: string | null;

  @Public()
  @Field(() => Date)
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@ObjectType({ description: 'One audited step in a ticket’s life, with who took it' })
@Entity({ name: 'ticket_action' })
export class TicketAction {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Field(() => ID)
  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId: string;

  @Field(() => TicketActionKind)
  @Column({ type: 'text' })
  action: TicketActionKind;

  @Field(() => String, { description: 'user, partner, device or visitor' })
  @Column({ name: 'actor_kind', type: 'text' })
  actorKind: string;

  @Field(() => ID, { nullable: true, description: 'User, API client or display id; null for the visitor' })
  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId: string | null;

  @Field(() => TicketState, { nullable: true })
  @Column({ name: 'from_state', type: 'text', nullable: true })
  fromState: TicketState | null;

  @Field(() => TicketState)
  @Column({ name: 'to_state', type: 'text' })
  toState: TicketState;

  @Column({ type: 'jsonb' })
  detail: Record<string, unknown>;

  @Field(() => String, { name: 'detail', description: 'What changed besides the state, as JSON (desk, line, note…)' })
  get detailJson(): string {
    return JSON.stringify(this.detail ?? {});
  }

  @Field(() => Date)
  @Column({ type: 'timestamptz' })
  at: Date;
}
