import { z } from 'zod';
import { contract, id, instant } from './common.js';

/** Operational actions other domains hand to the tenant's audit log (auth keeps it). */
export const auditedAction = z.enum([
  'CAMPAIGN_APPROVED',
  'CAMPAIGN_REJECTED',
  'CAMPAIGN_REVISION_APPROVED',
  'CAMPAIGN_REVISION_REJECTED',
  'CAMPAIGN_PAUSED',
  'CAMPAIGN_RESUMED',
  'CAMPAIGN_STORE_PAUSED',
  'CAMPAIGN_STORE_RESUMED',
  'DISPLAY_OVERRIDE_SET',
  'DISPLAY_OVERRIDE_CLEARED',
  'STORE_TAKEOVER_STARTED',
  'STORE_TAKEOVER_LIFTED',
]);
export type AuditedAction = z.infer<typeof auditedAction>;

/** Who acted (a person, a partner's API client, or the platform itself, e.g. auto-approval). */
export const auditParty = z.object({
  type: z.enum(['USER', 'API_CLIENT', 'DEVICE', 'SYSTEM', 'CAMPAIGN', 'STORE', 'DISPLAY', 'OVERRIDE', 'TAKEOVER']),
  id: z.string().min(1).max(100),
});

/**
 * `audit.action.v1`, keyed by the target's id: one operational action (an approval, a pause, an override, a
 * takeover) for the tenant's audit log. Written in the same transaction as the action (outbox); `id` is the
 * producer's, so a redelivered message is recorded once.
 */
export const auditActionEventV1 = contract(
  'audit.action.v1',
  z.object({
    id,
    action: auditedAction,
    tenantId: id,
    occurredAt: instant,
    actor: auditParty,
    target: auditParty,
    /** Facts a person reads in the log (names, store, reason, until…), never secrets. */
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  }),
);
export type AuditActionEventV1 = z.input<typeof auditActionEventV1.schema>;
