import { z } from 'zod';
import { contract, id, instant } from './common.js';
import { weekday } from './location.js';

const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
// A line may close at 24:00 (open all day without a gap at 23:59).
const CLOSING = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;

/** Ticket states as the queue names them (Qminder's): NEW and CALLED are active, the others final. */
export const ticketState = z.enum(['NEW', 'CALLED', 'SERVED', 'NO_SHOW', 'CANCELLED', 'CANCELLED_BY_CLERK']);

/** What happened to a ticket: the names of the queue's audit log, also its webhooks' event names. */
export const ticketAction = z.enum([
  'CREATED',
  'JOINED',
  'CALLED',
  'RECALLED',
  'RETURNED',
  'TRANSFERRED',
  'PARKED',
  'UNPARKED',
  'NO_SHOW',
  'SERVED',
  'CANCELLED',
  'CANCELLED_BY_CLERK',
  'NOTE',
  'MOVED',
  'CHECKED_IN',
]);

/**
 * `queue.line.v1`, keyed by line id: a line's state after a change (a ticket joined, was called, left; the line
 * was created, renamed, re-timed, resized or archived). Self-contained, so a consumer needs no other queue data: campaigns target a queue
 * condition with it ("line X waiting ≥ N", "estimated wait ≥ M minutes"). Consumers keep the latest state per
 * line, ordered by `occurredAt` (a lost event is healed by the next change of the line). No personal data.
 */
export const queueLineEventV1 = contract(
  'queue.line.v1',
  z.object({
    tenantId: id,
    storeId: id,
    lineId: id,
    /** Whether the line takes visitors now (its opening hours in the store's zone, and not closed by staff). */
    open: z.boolean(),
    /** Tickets waiting (NEW, not parked). */
    waiting: z.number().int().min(0).max(1_000_000),
    /** Estimated wait for a visitor joining now, in whole minutes; null when the line cannot say (closed). */
    estimatedWaitMinutes: z.number().int().min(0).max(100_000).nullable(),
    occurredAt: instant,
    // Added after the first consumers, so optional; the queue always writes them.
    /** Strictly increasing per line in commit order: a tie-breaker for events written in the same instant. */
    version: z.number().int().min(1).optional(),
    /** Tickets set aside (NEW, parked), not counted in `waiting`. */
    parked: z.number().int().min(0).optional(),
    /** Tickets called and being served now. */
    called: z.number().int().min(0).optional(),
    /** Desks serving the line with a staff member signed in. */
    staffedDesks: z.number().int().min(0).optional(),
    name: z.string().optional(),
    /** Archived lines take no new tickets (and are never open). */
    archived: z.boolean().optional(),
    /**
     * `open` is the state when the event was written; a line also opens and closes by the clock with no event,
     * so a consumer that needs it later evaluates these hours (the line's own, else the store's) in `timezone`.
     */
    timezone: z.string().min(1).max(100).optional(),
    openingHours: z
      .array(z.object({ day: weekday, opens: z.string().regex(HHMM), closes: z.string().regex(CLOSING) }))
      .max(50)
      .optional(),
    /** The ticket change that led to this state; null when the line's own settings changed (or it was created). */
    cause: z.object({ ticketId: id, action: ticketAction }).nullable().optional(),
  }),
);
export type QueueLineEventV1 = z.input<typeof queueLineEventV1.schema>;

/**
 * `queue.ticket.v1`, keyed by ticket id: a ticket after each change, with the action that changed it. Carries
 * no personal data (no visitor name, phone or note): consumers that need them ask the graph. Delivery is at
 * least once and in commit order per ticket; deduplicate by `eventId`.
 */
export const queueTicketEventV1 = contract(
  'queue.ticket.v1',
  z.object({
    type: z.literal('TicketChanged'),
    /** Unique per change; also the `id` of the webhook deliveries of the same change. */
    eventId: id,
    action: ticketAction,
    occurredAt: instant,
    /** Who acted: a user, a partner (API client), a device, or the visitor themselves (no ids of people). */
    actorKind: z.enum(['user', 'partner', 'device', 'kiosk', 'visitor']),
    /** The state before the change; null when the ticket was issued by it. */
    previousState: ticketState.nullable(),
    /** On TRANSFERRED: the line it left. */
    fromLineId: id.nullable(),
    ticket: z.object({
      id,
      tenantId: id,
      storeId: id,
      lineId: id,
      deskId: id.nullable(),
      /** Short number per line and store-local day, e.g. A001. */
      number: z.string().min(1).max(20),
      /** Store-local day of issue, YYYY-MM-DD. */
      day: z.iso.date(),
      state: ticketState,
      parked: z.boolean(),
      source: z.enum(['DESK', 'REMOTE', 'KIOSK']),
      queuedAt: instant,
      createdAt: instant,
      calledAt: instant.nullable(),
      recalledAt: instant.nullable(),
      recallCount: z.number().int().min(0),
      parkedAt: instant.nullable(),
      servedAt: instant.nullable(),
      noShowAt: instant.nullable(),
      cancelledAt: instant.nullable(),
      updatedAt: instant,
    }),
  }),
);
export type QueueTicketEventV1 = z.input<typeof queueTicketEventV1.schema>;
