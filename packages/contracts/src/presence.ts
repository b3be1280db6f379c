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

/**
 * `presence.device-segments.v1`, keyed by the device's hash: what proximity may know of one device. The visitor
 * subgraph emits it whenever a profile holding that device (a DEVICE_MAC_HASH identifier: proximity's own keyed
 * hash, never a MAC) changes what it would show: its segments while it consents to PERSONALISED_SCREENS, an empty
 * list when it does not, is erased or expires. Proximity keeps the latest per device and puts the keys on the
 * moments that device's zone enters make, so proximity never learns who the visitor is.
 */
export const presenceDeviceSegmentsEventV1 = contract(
  'presence.device-segments.v1',
  z.object({
    tenantId: id,
    /** Proximity's hash of the MAC or SDK client id (lower-case hex HMAC-SHA256). */
    deviceHash: z.string().regex(/^[0-9a-f]{64}$/),
    /** Empty: the device is anonymous again (no consent, erased, expired or unlinked). */
    segmentKeys: z.array(segmentKey).max(50),
    occurredAt: instant,
  }),
);
export type PresenceDeviceSegmentsEventV1 = z.infer<typeof presenceDeviceSegmentsEventV1.schema>;
