// Builders for the engine's specs (and for the subgraph's, later): small valid defaults, override what matters.
import type { Campaign, Creative, DisplayFacts, Override, Playlist, Takeover } from './types.js';

/** A display of tenant t1, store s1 (Europe/London), region r1, landscape, tags flagship / window. */
export function aDisplay(overrides: Partial<DisplayFacts> = {}): DisplayFacts {
  return {
    displayId: 'd1',
    tenantId: 't1',
    storeId: 's1',
    regionId: 'r1',
    timezone: 'Europe/London',
    storeTags: ['flagship'],
    displayTags: ['window'],
    orientation: 'LANDSCAPE',
    zoneId: 'z1',
    locale: null,
    ...overrides,
  };
}

/** A 10 s image creative. */
export function aCreative(id: string, overrides: Partial<Creative> = {}): Creative {
  return {
    id,
    kind: 'IMAGE',
    url: `https://cdn.example.com/${id}.png`,
    mimeType: 'image/png',
    durationMs: 10_000,
    checksum: `sha256-${id}`,
    ...overrides,
  };
}

/** A LIVE tenant-wide campaign of tenant t1 with one creative `<id>1`, priority 0, weight 1, no schedule. */
export function aCampaign(id: string, overrides: Partial<Campaign> = {}): Campaign {
  return {
    id,
    tenantId: 't1',
    name: `Campaign ${id}`,
    status: 'LIVE',
    priority: 0,
    weight: 1,
    storeId: null,
    pausedStoreIds: [],
    creatives: [aCreative(`${id}1`)],
    schedule: {},
    maxPlaysPerHour: null,
    targeting: { include: [], exclude: [] },
    ...overrides,
  };
}

/** An override of display d1 created at `createdAt`. */
export function anOverride(id: string, startsAt: string, until: string, createdAt: string): Override {
  return {
    id,
    displayId: 'd1',
    creative: aCreative(`${id}-creative`),
    startsAt: new Date(startsAt),
    until: new Date(until),
    createdAt: new Date(createdAt),
  };
}

/** A takeover of store s1 (every display of it) started at `startsAt`, created then unless told. */
export function aTakeover(id: string, startsAt: string, createdAt = startsAt, storeId = 's1'): Takeover {
  return {
    kind: 'takeover',
    id,
    storeId,
    creative: aCreative(`${id}-creative`),
    startsAt: new Date(startsAt),
    createdAt: new Date(createdAt),
  };
}

/** Creative ids in loop order. */
export const creativeIds = (playlist: Playlist): string[] => playlist.items.map((item) => item.creativeId);

/** Campaign ids in loop order. */
export const campaignIds = (playlist: Playlist): (string | null)[] => playlist.items.map((item) => item.campaignId);
