import { ConnectionType } from '@phub/kit';
import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  ObjectType,
  Query,
  registerEnumType,
  Resolver,
  Root,
} from 'type-graphql';
import type { QueueContext } from '../../context.js';
import { HQ, STORE } from '../../roles.js';
import { Ticket } from '../ticket/ticket.entity.js';
import { SmsMessage, SmsStatus } from './sms.entity.js';
import type { SmsService } from './sms.service.js';

const SmsMessageConnection = ConnectionType(SmsMessage, 'SmsMessage');

export enum TicketSmsStatus {
  ON = 'ON',
  NO_CONSENT = 'NO_CONSENT',
  NO_PHONE = 'NO_PHONE',
}
registerEnumType(TicketSmsStatus, {
  name: 'TicketSmsStatus',
  description: 'ON: SMS go to the visitor’s phone; NO_CONSENT / NO_PHONE: none is sent, and why',
});

@ObjectType({ description: 'Whether a ticket’s visitor gets SMS, and those sent so far with their delivery status' })
export class TicketSms {
  @Field(() => TicketSmsStatus)
  status: TicketSmsStatus;

  @Field(() => String, { description: 'The status in words, for the visitor’s ticket page and the desk' })
  notice: string;

  @Field(() => [SmsMessage], { description: 'Empty for displays' })
  messages: SmsMessage[];
}

const NOTICE: Record<TicketSmsStatus, string> = {
  ON: 'You will get an SMS when you are next and when it is your turn.',
  NO_CONSENT: 'No SMS will be sent: the visitor did not agree to SMS.',
  NO_PHONE: 'No SMS will be sent: no phone number was given.',
};

@Resolver(() => Ticket)
export class SmsResolver {
  constructor(private readonly outbox: SmsService) {}

  @Authorized(...HQ, ...STORE)
  @Query(() => SmsMessageConnection, {
    description:
      'The SMS outbox: messages to visitors with their delivery status, newest first. HQ roles (every store), store staff and managers (their stores)',
  })
  smsMessages(
    @Ctx() ctx: QueueContext,
    @Arg('storeId', () => ID, { nullable: true }) storeId?: string | null,
    @Arg('status', () => SmsStatus, { nullable: true }) status?: SmsStatus | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return this.outbox.list(ctx.scope, { storeId, status }, first, after);
  }

  @FieldResolver(() => TicketSms, { description: 'SMS to the visitor about this ticket (consent, delivery status)' })
  async sms(@Root() t: Ticket, @Ctx() ctx: QueueContext): Promise<TicketSms> {
    const status = !t.smsConsent
      ? TicketSmsStatus.NO_CONSENT
      : !t.visitorPhone
        ? TicketSmsStatus.NO_PHONE
        : TicketSmsStatus.ON;
    // The visitor (by token) and staff see the messages; a public screen does not.
    const messages = ctx.viewer && !ctx.scope.canSeePersonal ? [] : await ctx.loaders.smsByTicket.load(t.id);
    return { status, notice: NOTICE[status], messages };
  }
}
