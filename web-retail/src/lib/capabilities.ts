import type { Role } from '@phub/web-kit';

/** What a person may do in a store, as the graph enforces it (subgraphs' @Authorized rules): the app hides the rest. */
export type Capability =
  | 'acknowledgeAlerts' // playback: acknowledgeAlert
  | 'pauseForStore' // campaign: pauseCampaignForStore / resumeCampaignForStore
  | 'overrideDisplay' // campaign: setDisplayOverride / clearDisplayOverride
  | 'takeoverStore' // campaign: startStoreTakeover / liftStoreTakeover
  | 'pairDisplay' // auth: claimPairingCode
  | 'serveQueue' // queue: callNext, recall, transfer, park, no-show, serve, note, addTicket
  | 'configureQueue' // queue: createLine / createDesk
  | 'editStore' // location: updateStore, zones, updateDisplay (names, placement, zone, tags)
  | 'runStoreCampaigns'; // campaign: create/update/submit/… a store-local campaign, setCampaignLanding

const RULES: Record<Capability, readonly Role[]> = {
  acknowledgeAlerts: ['HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER', 'STORE_STAFF'],
  pauseForStore: ['HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER'],
  overrideDisplay: ['HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER'],
  takeoverStore: ['HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER'],
  pairDisplay: ['HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER', 'STORE_STAFF'],
  serveQueue: ['HQ_ADMIN', 'STORE_MANAGER', 'STORE_STAFF'],
  configureQueue: ['HQ_ADMIN', 'STORE_MANAGER'],
  editStore: ['HQ_ADMIN', 'STORE_MANAGER'],
  runStoreCampaigns: ['HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER'],
};

/**
 * Whether `roles` allow `capability` in `storeId`: store roles only in their own stores (`storeIds`), HQ roles
 * everywhere in the tenant.
 */
export function can(
  viewer: { roles: readonly Role[]; storeIds: readonly string[] } | null,
  capability: Capability,
  storeId: string,
): boolean {
  if (!viewer) return false;
  return RULES[capability].some(
    (role) => viewer.roles.includes(role) && (role.startsWith('HQ_') || viewer.storeIds.includes(storeId)),
  );
}
