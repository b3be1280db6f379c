import { z } from 'zod';
import { contract, id, instant } from './common.js';

const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
export const weekday = z.enum(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']);

/** `location.display.v1`, keyed by display id: the display as it is after a change. */
export const displayEventV1 = contract(
  'location.display.v1',
  z.object({
    type: z.enum(['DisplayUpserted', 'DisplayArchived']),
    occurredAt: instant,
    display: z.object({
      id,
      tenantId: id,
      storeId: id,
      name: z.string(),
      tags: z.array(z.string()).default([]),
      orientation: z.enum(['LANDSCAPE', 'PORTRAIT']),
      zoneId: id.nullable().optional(),
      archivedAt: instant.nullable().optional(),
    }),
  }),
);
export type DisplayEventV1 = z.input<typeof displayEventV1.schema>;

/** `location.store.v1`, keyed by store id: the store as it is after a change. */
export const storeEventV1 = contract(
  'location.store.v1',
  z.object({
    type: z.enum(['StoreUpserted', 'StoreArchived']),
    occurredAt: instant,
    store: z.object({
      id,
      tenantId: id,
      regionId: id.nullable().optional(),
      name: z.string(),
      code: z.string().optional(),
      timezone: z.string().min(1).max(100),
      /** Store-local weekly windows; absent from events written before it was added (then: unknown). */
      openingHours: z
        .array(z.object({ day: weekday, opens: z.string().regex(HHMM), closes: z.string().regex(HHMM) }))
        .max(50)
        .optional(),
      tags: z.array(z.string()).default([]),
      archivedAt: instant.nullable().optional(),
    }),
  }),
);
export type StoreEventV1 = z.input<typeof storeEventV1.schema>;
