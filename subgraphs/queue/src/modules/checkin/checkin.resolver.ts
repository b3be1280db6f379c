import { badInput } from '@phub/kit';
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
      'A kiosk takes a ticket for a visitor on an open line of its store (the token goes on the printout/QR); name and phone as the visitor typed them, limits per phone as for joinQueue',
  })
  kioskTakeTicket(
    @Ctx() ctx: QueueContext,
    @Arg('lineId', () => ID) lineId: string,
    @Arg('name', () => String, { nullable: true }) name?: string | null,
    @Arg('phone', () => String, { nullable: true }) phone?: string | null,
    @Arg('smsConsent', () => Boolean, {
      nullable: true,
      description: 'The visitor agreed on the kiosk to SMS about this ticket at `phone`; without it none is sent',
    })
    smsConsent?: boolean | null,
  ): Promise<JoinedTicket> {
    if (name && name.length > 100) return Promise.reject(badInput('name: at most 100 characters', { field: 'name' }));
    return this.tickets.takeAtKiosk(ctx.scope, lineId, { name, phone, smsConsent: smsConsent ?? false });
  }
}
