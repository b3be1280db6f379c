import type { AlongsideStatement, WebhookHub } from '@phub/kit';
import type { EntityManager } from 'typeorm';
import type { Ticket, TicketActionKind } from '../ticket/ticket.entity.js';

/**
 * The queue's ticket events on the kit's webhooks (packages/kit/src/webhooks, declared with `webhooks:` in
 * the queue's defineSubgraph): endpoints, signing, the delivery log, retries and redelivery are the kit's;
 * here a ticket change becomes a webhook event, fanned out in the change's own transaction.
 */
export class WebhookService {
  constructor(readonly hub: WebhookHub) {}

  /**
   * A delivery per active endpoint of the tenant (or of the ticket's store) that wants this event, as a statement
   * the change writes together with its outbox rows (`enqueueWith`).
   */
  fanOut(m: EntityManager, ticket: Ticket, event: TicketActionKind, eventId: string, body: object): AlongsideStatement {
    return this.hub.fanOutStatement(m, {
      tenantId: ticket.tenantId,
      storeId: ticket.storeId,
      event,
      eventId,
      subjectId: ticket.id,
      payload: body,
    });
  }
}
