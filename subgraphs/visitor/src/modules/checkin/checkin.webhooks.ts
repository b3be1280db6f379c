import { randomUUID } from 'node:crypto';
import type { WebhookEvent } from '@phub/kit';
import { registerEnumType } from 'type-graphql';

/** What partners' visitor webhooks can subscribe to (a CDP or CRM hearing of visits as they happen). */
export enum VisitorWebhookEvent {
  /** A visitor checked in at a store (desk, kiosk, appointment, partner). */
  VISITOR_CHECKED_IN = 'VISITOR_CHECKED_IN',
}
registerEnumType(VisitorWebhookEvent, {
  name: 'VisitorWebhookEvent',
  description: 'Visitor events for webhooks: a check-in at a store',
});

export interface CheckInFacts {
  tenantId: string;
  storeId: string;
  checkInId: string;
  /** The profile's pseudonymous id (what `visitor(id)` and the partner import name it by); never a name or number. */
  visitorId: string;
  source: string;
  ticketId: string | null;
  /** Only with PERSONALISED_SCREENS consent, as for the screens' moment; empty otherwise. */
  segmentKeys: string[];
  at: Date;
}

/**
 * The webhook of a check-in, fanned out in the check-in's own transaction (a rolled-back check-in sends nothing).
 * Nothing personal travels: the receiver holds ids and segment keys, and asks the graph (with `visitor:read`)
 * for what its scope allows.
 */
export function checkInWebhookEvent(c: CheckInFacts): WebhookEvent {
  const eventId = randomUUID();
  const event = VisitorWebhookEvent.VISITOR_CHECKED_IN;
  return {
    tenantId: c.tenantId,
    storeId: c.storeId,
    event,
    eventId,
    subjectId: c.checkInId,
    payload: {
      id: eventId,
      event,
      occurredAt: c.at.toISOString(),
      storeId: c.storeId,
      checkIn: {
        id: c.checkInId,
        visitorId: c.visitorId,
        source: c.source,
        ticketId: c.ticketId,
        segmentKeys: c.segmentKeys,
      },
    },
  };
}
