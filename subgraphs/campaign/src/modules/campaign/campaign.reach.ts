import { campaignReach, type DisplayFacts, type Targeting } from '../../engine/index.js';

/**
 * Which of `displays` a campaign with this targeting (and store, for a store-local one) would reach,
 * ignoring its schedule, status and store pauses: the engine's `campaignReach` decides, so the answer is the
 * same `matching` the editor, list, fleet and reports show. Returns the engine's problems instead when the
 * targeting is invalid.
 */
export function matchReach(
  displays: readonly DisplayFacts[],
  tenantId: string,
  targeting: Targeting,
  storeId: string | null,
): { displayIds: string[] } | { problems: string[] } {
  const probe = {
    id: 'reach-probe',
    tenantId,
    name: 'reach',
    status: 'LIVE',
    priority: 0,
    weight: 1,
    storeId,
    pausedStoreIds: [],
    creatives: [],
    schedule: {},
    maxPlaysPerHour: null,
    targeting,
  } as const;
  const result = campaignReach(probe, displays, [], [], new Date(0));
  return 'problems' in result ? result : { displayIds: [...result.matching] };
}
