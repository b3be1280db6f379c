import { z } from 'zod';
import { contract, id, instant } from './common.js';

/**
 * `queue.line.v1`, keyed by line id: a line's state after a change (a ticket joined, was called, left; the line
 * opened or closed). Self-contained, so a consumer needs no other queue data: campaigns target a queue
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
  }),
);
export type QueueLineEventV1 = z.input<typeof queueLineEventV1.schema>;
