import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { QueueContext } from '../../context.js';
import { KIOSKS } from '../../roles.js';
import type { TicketService } from '../ticket/ticket.service.js';
import { JoinedTicket } from '../ticket/ticket.resolver.js';
import type { CheckInService } from './checkin.service.js';

@Resolver()
export class CheckInResolver {
  constructor(
    private readonly checkIns: CheckInService,
    private readonly tickets: TicketService,
  ) {}

  @Mutation(() => JoinedTicket, {
    description:
      'Checks in with an appointment’s or collect order’s code (typed, or the QR payload): a visitor on their phone, the store’s kiosk, or staff. Wrong codes are rate-limited per kiosk or address',
  })
  checkIn(@Ctx() ctx: QueueContext, @Arg('code', () => String) code: string): Promise<JoinedTicket> {
    return this.checkIns.checkIn(ctx.scope, code, ctx.clientIp);
  }

  @Authorized(...KIOSKS)
  @Mutation(() => JoinedTicket, {
    description:
      'A kiosk takes a ticket for a visitor on an open line of its store (the token goes on the printout/QR)',
  })
  kioskTakeTicket(@Ctx() ctx: QueueContext, @Arg('lineId', () => ID) lineId: string): Promise<JoinedTicket> {
    return this.tickets.takeAtKiosk(ctx.scope, lineId);
  }
}
