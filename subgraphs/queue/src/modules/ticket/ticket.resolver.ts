import { badInput, filter, forbidden, pipe, requireRole, Public } from '@phub/kit';
import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  Float,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { QueueContext } from '../../context.js';
import { asGraphQLError, CLERKS, QUEUE_READERS } from '../../roles.js';
import { EstimateService } from '../estimate/estimate.service.js';
import { Line } from '../line/line.entity.js';
import { lineNotFound } from '../line/line.errors.js';
import {
  concernsLine,
  storeQueueChannel,
  ticketChannel,
  ticketFromPayload,
  type TicketPayload,
} from './ticket.channels.js';
import { Ticket, TicketAction, TicketActionKind } from './ticket.entity.js';
import { AddTicketInput, TicketFilter } from './ticket.input.js';
import type { TicketService } from './ticket.service.js';

@ObjectType({ description: 'A ticket a visitor got by joining remotely, with the secret that opens it' })
export class JoinedTicket {
  @Field(() => Ticket)
  ticket: Ticket;

  @Field(() => String, {
    description: 'Shown once: lets its holder read, cancel and follow only this ticket (myTicket, ticketUpdated)',
  })
  token: string;
}

@ObjectType({ description: 'Something happened to a ticket of the store' })
export class QueueUpdate {
  @Field(() => TicketActionKind)
  action: TicketActionKind;

  @Field(() => Date)
  at: Date;

  @Field(() => Ticket)
  ticket: Ticket;
}

@Resolver(() => Ticket)
export class TicketResolver {
  constructor(private readonly service: TicketService) {}

  // --- reads ---

  @Public()
  @Authorized(...QUEUE_READERS)
  @Query(() => [Ticket], { description: 'A store’s waiting and called tickets (today’s all with includeFinished)' })
  tickets(
    @Ctx() ctx: QueueContext,
    @Arg('storeId', () => ID) storeId: string,
    @Arg('filter', () => TicketFilter, { nullable: true }) filter?: TicketFilter | null,
  ): Promise<Ticket[]> {
    return this.service.list(ctx.scope, storeId, filter ?? {});
  }

  @Public()
  @Authorized(...QUEUE_READERS)
  @Query(() => Ticket)
  ticket(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<Ticket> {
    return this.service.get(ctx.scope, id);
  }

  @Query(() => Ticket, { description: 'The visitor’s own ticket, by the token joinQueue returned' })
  myTicket(@Arg('token', () => String) token: string): Promise<Ticket> {
    return this.service.byToken(token);
  }

  // --- joining ---

  @Mutation(() => JoinedTicket, {
    description: 'A visitor joins an open line without an account (the line’s link); limits per phone and line apply',
  })
  joinQueue(
    @Arg('lineId', () => ID) lineId: string,
    @Arg('name', () => String, { nullable: true }) name?: string | null,
    @Arg('phone', () => String, { nullable: true }) phone?: string | null,
    @Arg('smsConsent', () => Boolean, {
      nullable: true,
      description: 'The visitor agrees to SMS about this ticket at `phone`; without it none is sent (default)',
    })
    smsConsent?: boolean | null,
  ): Promise<JoinedTicket> {
    if (name && name.length > 100) return Promise.reject(asBadName());
    return this.service.join(lineId, name, phone, smsConsent ?? false);
  }

  @Mutation(() => Ticket, { description: 'The visitor cancels their own ticket (NEW or CALLED → CANCELLED)' })
  cancelMyTicket(@Arg('token', () => String) token: string): Promise<Ticket> {
    return this.service.cancelByToken(token);
  }

  @Authorized(...CLERKS)
  @Mutation(() => Ticket, { description: 'Staff add a visitor at the desk' })
  addTicket(@Ctx() ctx: QueueContext, @Arg('input', () => AddTicketInput) input: AddTicketInput): Promise<Ticket> {
    return this.service.add(ctx.scope, input);
  }

  // --- clerk actions (each audited; allowed only from the states in ticket.rules.ts, else CONFLICT) ---

  @Authorized(...CLERKS)
  @Mutation(() => Ticket, {
    nullable: true,
    description: 'Calls the first waiting ticket of the line; null when none waits',
  })
  callNext(
    @Ctx() ctx: QueueContext,
    @Arg('lineId', () => ID) lineId: string,
    @Arg('deskId', () => ID, { nullable: true }) deskId?: string | null,
  ): Promise<Ticket | null> {
    return this.service.callNext(ctx.scope, lineId, deskId);
  }

  @Authorized(...CLERKS)
  @Mutation(() => Ticket, { description: 'Calls this waiting ticket (also a parked one): NEW → CALLED' })
  callTicket(
    @Ctx() ctx: QueueContext,
    @Arg('id', () => ID) id: string,
    @Arg('deskId', () => ID, { nullable: true }) deskId?: string | null,
  ): Promise<Ticket> {
    return this.service.call(ctx.scope, id, deskId);
  }

  @Authorized(...CLERKS)
  @Mutation(() => Ticket, { description: 'Calls a CALLED ticket again' })
  recallTicket(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<Ticket> {
    return this.service.recall(ctx.scope, id);
  }

  @Authorized(...CLERKS)
  @Mutation(() => Ticket, { description: 'CALLED → NEW, at its original place in the line' })
  returnTicketToQueue(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<Ticket> {
    return this.service.returnToQueue(ctx.scope, id);
  }

  @Authorized(...CLERKS)
  @Mutation(() => Ticket, { description: 'Moves a waiting or called ticket to another line and/or a desk (→ NEW)' })
  transferTicket(
    @Ctx() ctx: QueueContext,
    @Arg('id', () => ID) id: string,
    @Arg('lineId', () => ID, { nullable: true }) lineId?: string | null,
    @Arg('deskId', () => ID, { nullable: true }) deskId?: string | null,
  ): Promise<Ticket> {
    return this.service.transfer(ctx.scope, id, { lineId, deskId });
  }

  @Authorized(...CLERKS)
  @Mutation(() => Ticket, { description: 'Sets a ticket aside (→ NEW, parked): call next skips it until unparked' })
  parkTicket(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<Ticket> {
    return this.service.park(ctx.scope, id);
  }

  @Authorized(...CLERKS)
  @Mutation(() => Ticket, { description: 'Back to waiting, at its original place' })
  unparkTicket(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<Ticket> {
    return this.service.unpark(ctx.scope, id);
  }

  @Authorized(...CLERKS)
  @Mutation(() => Ticket, { description: 'CALLED → NO_SHOW' })
  markTicketNoShow(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<Ticket> {
    return this.service.markNoShow(ctx.scope, id);
  }

  @Authorized(...CLERKS)
  @Mutation(() => Ticket, { description: 'CALLED → SERVED' })
  markTicketServed(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<Ticket> {
    return this.service.markServed(ctx.scope, id);
  }

  @Authorized(...CLERKS)
  @Mutation(() => Ticket, {
    description: 'Moves a waiting ticket to a position among its line’s waiting tickets (1 = called next)',
  })
  moveTicket(
    @Ctx() ctx: QueueContext,
    @Arg('id', () => ID) id: string,
    @Arg('position', () => Int) position: number,
  ): Promise<Ticket> {
    if (!Number.isInteger(position) || position < 1) return Promise.reject(asBadPosition());
    return this.service.move(ctx.scope, id, position);
  }

  @Authorized(...CLERKS)
  @Mutation(() => Ticket, { description: 'NEW or CALLED → CANCELLED_BY_CLERK' })
  cancelTicket(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<Ticket> {
    return this.service.cancel(ctx.scope, id);
  }

  @Authorized(...CLERKS)
  @Mutation(() => Ticket, { description: 'Appends a note (waiting, called or served tickets)' })
  addTicketNote(
    @Ctx() ctx: QueueContext,
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String) note: string,
  ): Promise<Ticket> {
    if (!note.trim() || note.length > 1000) return Promise.reject(asBadNote());
    return this.service.addNote(ctx.scope, id, note);
  }

  // --- live ---

  @Subscription(() => QueueUpdate, {
    description: 'Every change to the store’s tickets (or one line’s), for desks, dashboards and the store’s displays',
    subscribe: async ({ args, context }) => {
      const ctx = context as QueueContext;
      try {
        requireRole(ctx, ...QUEUE_READERS);
        const storeId = String(args.storeId);
        // A store of the caller's tenant that they may see: HQ roles of another tenant are refused too.
        const known = await ctx.tickets.storeOfTenant(ctx.scope.tenantId, storeId);
        if (!known || !ctx.scope.canRead(ctx.scope.tenantId, storeId)) {
          throw forbidden(`You have no access to store ${storeId}`);
        }
        const channel = storeQueueChannel(ctx.scope.tenantId, storeId);
        if (args.lineId == null) return ctx.pubsub.subscribe(channel);
        // A line's own screen: only a line of this store (checked before listening, so a refusal leaks nothing).
        const lineId = String(args.lineId);
        const line = await ctx.loaders.lineById.load(lineId);
        if (!line || line.storeId !== storeId || line.tenantId !== ctx.scope.tenantId) throw lineNotFound(lineId);
        return pipe(
          ctx.pubsub.subscribe(channel),
          filter((p: TicketPayload) => concernsLine(p, lineId)),
        );
      } catch (err) {
        throw asGraphQLError(err);
      }
    },
  })
  queueUpdated(
    @Root() payload: TicketPayload,
    @Arg('storeId', () => ID) _storeId: string,
    @Arg('lineId', () => ID, {
      nullable: true,
      description: 'Only this line’s changes (a line’s own screen), including tickets transferred out of it',
    })
    _lineId?: string | null,
  ): QueueUpdate {
    return { action: payload.action, at: new Date(payload.at), ticket: ticketFromPayload(payload) };
  }

  @Subscription(() => Ticket, {
    description: 'The visitor’s own ticket as it changes, by its token',
    subscribe: async ({ args, context }) => {
      const ctx = context as QueueContext;
      try {
        const ticket = await ctx.tickets.byToken(String(args.token));
        return ctx.pubsub.subscribe(ticketChannel(ticket.id));
      } catch (err) {
        throw asGraphQLError(err);
      }
    },
  })
  ticketUpdated(@Root() payload: TicketPayload, @Arg('token', () => String) _token: string): Ticket {
    return ticketFromPayload(payload);
  }

  // --- fields ---

  @FieldResolver(() => String, { nullable: true, description: 'Hidden from displays' })
  visitorName(@Root() t: Ticket, @Ctx() ctx: QueueContext): string | null {
    return ctx.scope.canSeePersonal ? ctx.tickets.reveal(t, 'visitorName') : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Hidden from displays' })
  visitorPhone(@Root() t: Ticket, @Ctx() ctx: QueueContext): string | null {
    return ctx.scope.canSeePersonal ? ctx.tickets.reveal(t, 'visitorPhone') : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Staff notes; hidden from displays and visitors' })
  note(@Root() t: Ticket, @Ctx() ctx: QueueContext): string | null {
    return ctx.viewer && ctx.scope.canSeePersonal ? ctx.tickets.reveal(t, 'note') : null;
  }

  @Public()
  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Waiting tickets ahead of it, plus one (null unless waiting)',
  })
  async position(@Root() t: Ticket, @Ctx() ctx: QueueContext): Promise<number | null> {
    const ahead = await ctx.loaders.ahead.load(t);
    return ahead === null ? null : ahead + 1;
  }

  @Public()
  @FieldResolver(() => Float, {
    nullable: true,
    description: 'Minutes until it is likely called (null unless waiting)',
  })
  async estimatedWaitMinutes(@Root() t: Ticket, @Ctx() ctx: QueueContext): Promise<number | null> {
    const ahead = await ctx.loaders.ahead.load(t);
    if (ahead === null) return null;
    return EstimateService.minutes(await ctx.loaders.line.load(t.lineId), ahead);
  }

  @Public()
  @FieldResolver(() => Line)
  async line(@Root() t: Ticket, @Ctx() ctx: QueueContext): Promise<Line> {
    return (await ctx.loaders.lineById.load(t.lineId))!;
  }

  @FieldResolver(() => [TicketAction], { description: 'The audit trail; empty for displays and visitors' })
  actions(@Root() t: Ticket, @Ctx() ctx: QueueContext): Promise<TicketAction[]> {
    if (!ctx.viewer || !ctx.scope.canSeePersonal) return Promise.resolve([]);
    return this.service.actions(t.id);
  }
}

const asBadName = () => badInput('name: at most 100 characters', { field: 'name' });
const asBadPosition = () => badInput('position: 1 or more', { field: 'position' });
const asBadNote = () => badInput('note: 1 to 1000 characters', { field: 'note' });
