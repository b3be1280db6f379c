import { Public } from '@phub/kit';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { QueueContext } from '../../context.js';
import { CLERKS, QUEUE_READERS } from '../../roles.js';
import { Line } from '../line/line.entity.js';
import { Ticket } from '../ticket/ticket.entity.js';
import { JoinedTicket } from '../ticket/ticket.resolver.js';
import { Appointment, AppointmentSlot, BookedAppointment } from './appointment.entity.js';
import { BookAppointmentInput } from './appointment.input.js';
import type { AppointmentService } from './appointment.service.js';

@Resolver(() => Appointment)
export class AppointmentResolver {
  constructor(private readonly service: AppointmentService) {}

  // --- reads ---

  @Public()
  @Query(() => [AppointmentSlot], {
    description:
      'Free slots of a line on a store-local day (YYYY-MM-DD) that have not started; anyone with the line’s link',
  })
  appointmentSlots(
    @Arg('lineId', () => ID) lineId: string,
    @Arg('day', () => String) day: string,
  ): Promise<AppointmentSlot[]> {
    return this.service.freeSlots(lineId, day);
  }

  @Public()
  @Authorized(...QUEUE_READERS)
  @Query(() => [Appointment], {
    description: 'A store’s appointments of a store-local day, by slot (staff’s day list)',
  })
  appointments(
    @Ctx() ctx: QueueContext,
    @Arg('storeId', () => ID) storeId: string,
    @Arg('day', () => String, { description: 'YYYY-MM-DD, store-local' }) day: string,
    @Arg('lineId', () => ID, { nullable: true }) lineId?: string | null,
  ): Promise<Appointment[]> {
    return this.service.list(ctx.scope, storeId, day, lineId);
  }

  @Public()
  @Authorized(...QUEUE_READERS)
  @Query(() => Appointment)
  appointment(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<Appointment> {
    return this.service.get(ctx.scope, id);
  }

  @Query(() => Appointment, { description: 'The visitor’s own appointment, by the token bookAppointment returned' })
  myAppointment(@Arg('token', () => String) token: string): Promise<Appointment> {
    return this.service.byToken(token);
  }

  // --- booking ---

  @Public()
  @Mutation(() => BookedAppointment, {
    description:
      'Books a free slot: a visitor without an account (the line’s link; per-phone limits), store staff, HQ admins or a partner with queue:write',
  })
  bookAppointment(
    @Ctx() ctx: QueueContext,
    @Arg('input', () => BookAppointmentInput) input: BookAppointmentInput,
  ): Promise<BookedAppointment> {
    return this.service.book(ctx.scope, input);
  }

  @Public()
  @Authorized(...CLERKS)
  @Mutation(() => Appointment, { description: 'Moves a BOOKED appointment to another free slot of its line' })
  rescheduleAppointment(
    @Ctx() ctx: QueueContext,
    @Arg('id', () => ID) id: string,
    @Arg('start', () => Date) start: Date,
  ): Promise<Appointment> {
    return this.service.reschedule(ctx.scope, id, start);
  }

  @Mutation(() => Appointment, { description: 'The visitor moves their own BOOKED appointment (their link)' })
  rescheduleMyAppointment(
    @Arg('token', () => String) token: string,
    @Arg('start', () => Date) start: Date,
  ): Promise<Appointment> {
    return this.service.rescheduleByToken(token, start);
  }

  @Public()
  @Authorized(...CLERKS)
  @Mutation(() => Appointment, { description: 'BOOKED → CANCELLED' })
  cancelAppointment(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<Appointment> {
    return this.service.cancel(ctx.scope, id);
  }

  @Mutation(() => Appointment, { description: 'The visitor cancels their own BOOKED appointment (their link)' })
  cancelMyAppointment(@Arg('token', () => String) token: string): Promise<Appointment> {
    return this.service.cancelByToken(token);
  }

  // --- check-in ---

  @Authorized(...CLERKS)
  @Mutation(() => JoinedTicket, {
    description:
      'Staff check the visitor in: a ticket in the live queue with priority for the slot (BOOKED → CHECKED_IN)',
  })
  checkInAppointment(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<JoinedTicket> {
    return this.service.checkIn(ctx.scope, id);
  }

  @Mutation(() => JoinedTicket, { description: 'The visitor checks in with their link; the ticket token follows it' })
  checkInMyAppointment(@Arg('token', () => String) token: string): Promise<JoinedTicket> {
    return this.service.checkInByToken(token);
  }

  // --- fields ---

  @FieldResolver(() => String, { nullable: true, description: 'Hidden from displays and kiosks' })
  visitorName(@Root() a: Appointment, @Ctx() ctx: QueueContext): string | null {
    return ctx.scope.canSeePersonal ? this.service.reveal(a, 'visitorName') : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Hidden from displays and kiosks' })
  visitorPhone(@Root() a: Appointment, @Ctx() ctx: QueueContext): string | null {
    return ctx.scope.canSeePersonal ? this.service.reveal(a, 'visitorPhone') : null;
  }

  @Public()
  @FieldResolver(() => Line)
  async line(@Root() a: Appointment, @Ctx() ctx: QueueContext): Promise<Line> {
    return (await ctx.loaders.lineById.load(a.lineId))!;
  }
}

/** A ticket's appointment, for the desk (not for displays and kiosks). */
@Resolver(() => Ticket)
export class TicketAppointmentResolver {
  constructor(private readonly service: AppointmentService) {}

  @FieldResolver(() => Appointment, { nullable: true, description: 'The appointment it checked in for' })
  async appointment(@Root() t: Ticket, @Ctx() ctx: QueueContext): Promise<Appointment | null> {
    if (!t.appointmentId || !ctx.scope.canSeePersonal) return null;
    return this.service.find(t.appointmentId);
  }
}
