/** The domains whose data a partner can be granted access to, one `<domain>:read` / `<domain>:write` each. */
export type PartnerDomain = 'location' | 'campaign' | 'queue' | 'playback' | 'proximity' | 'content' | 'visitor';

export const readScope = (domain: PartnerDomain) => `${domain}:read` as const;
export const writeScope = (domain: PartnerDomain) => `${domain}:write` as const;

/**
 * Every scope an API client can be granted (auth validates grants against this list, nothing else is
 * grantable). A write scope is listed only where a subgraph enforces it:
 * - `location:write`: store data from a retailer's ERP — create stores, change their details and opening hours
 *   (not regions, displays, devices, zones or pairing);
 * - `queue:write`: serve the queue (clerk actions, adding visitors) in every store of the tenant;
 * - `visitor:read`: segments, their sizes and visitor aggregates (no personal field);
 * - `visitor:write`: a CDP/CRM or booking system: imports segment memberships and consent by identifier, checks
 *   visitors in (subgraphs/visitor).
 * Campaigns go through HQ review and playback is recorded by the display itself, so there is no
 * `campaign:write` or `playback:write`. `proximity:read` and `content:read` belong to subgraphs still to come.
 */
export const PARTNER_SCOPES = [
  'location:read',
  'location:write',
  'campaign:read',
  'queue:read',
  'queue:write',
  'playback:read',
  'proximity:read',
  'content:read',
  'visitor:read',
  'visitor:write',
] as const;
export type PartnerScope = (typeof PARTNER_SCOPES)[number];

export const isPartnerScope = (scope: string): scope is PartnerScope =>
  (PARTNER_SCOPES as readonly string[]).includes(scope);
