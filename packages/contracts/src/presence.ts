import { z } from 'zod';
import { contract, id, instant } from './common.js';

/** A segment's key as partners and HQ write it in SEGMENT rules and CDP imports, e.g. `gold-members`. */
export const segmentKey = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/);

/**
 * `presence.moment.v1`, keyed by store id: someone is near the store's screens now, for a short while. Proximity
 * emits one when a device enters a mapped zone (with the segments of its visitor when that visitor is known and
 * consents to personalised screens); the visitor subgraph emits one when a consenting visitor checks in. Campaigns
 * apply SEGMENT and PROXIMITY_ZONE rules while a moment lasts. Pseudonymous by design: no visitor id, MAC, name or
 * phone ever travels here, so nothing personal reaches playlists or players.
 *
 * A later event with the same `momentId` replaces the earlier one (a device that stays extends its moment; an exit
 * ends it with `expiresAt` ≤ `occurredAt`). Consumers order by `occurredAt` and drop moments once `expiresAt` passes.
 */
export const presenceMomentEventV1 = contract(
  'presence.moment.v1',
  z.object({
    tenantId: id,
    storeId: id,
    momentId: id,
    source: z.enum(['PROXIMITY', 'CHECK_IN']),
    /** The location zone the presence is in; null = the store as a whole (a check-in at the desk). */
    zoneId: id.nullable(),
    /** Segments of the consenting visitor present; empty for anonymous presence. */
    segmentKeys: z.array(segmentKey).max(50),
    occurredAt: instant,
    expiresAt: instant,
  }),
);
export type PresenceMomentEventV1 = z.infer<typeof presenceMomentEventV1.schema>;
