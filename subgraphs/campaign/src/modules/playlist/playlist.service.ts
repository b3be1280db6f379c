import { createHash, randomUUID } from 'node:crypto';
import type { Cache, Logger } from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { Clock } from '@phub/kit';
import {
  type Campaign as EngineCampaign,
  type CampaignIndex,
  compileCampaigns,
  type DisplayFacts,
  explain,
  type Explanation,
  nextBoundary,
  type Interruption,
  preview,
  type PlaylistItem,
  type PlaylistSegment,
  resolvePlaylist,
} from '../../engine/index.js';
import type { CampaignMetrics, ResolutionSource } from '../../metrics.js';
import type { CampaignScope } from '../../scope.js';
import { isUuid } from '../../ids.js';
import { campaignNotFound, displayNotFound, engineCall, previewTooLong } from './playlist.errors.js';
import {
  loadFacts,
  loadTenantLayouts,
  loadTenantPlayables,
  toEngineCampaigns,
  type TenantLayouts,
} from './playlist.data.js';
import { LayoutRegionKind, type LayoutRegion } from '../layout/layout.entity.js';
import { regionViews } from '../layout/layout.service.js';

/** One region of a display's layout with what it plays (CONTENT regions only have items). */
export interface PlaylistRegionView extends LayoutRegion {
  version: string;
  items: PlaylistItem[];
}

/** The layout a display plays: its regions side by side. */
export interface PlaylistLayoutView {
  id: string;
  name: string;
  regions: PlaylistRegionView[];
}

/** A resolved playlist plus the instant it was resolved for. */
export interface PlaylistView {
  displayId: string;
  version: string;
  items: PlaylistItem[];
  validUntil: Date | null;
  resolvedAt: Date;
  /** The display's layout with each region's items; null = full screen (`items` is then all it plays). */
  layout: PlaylistLayoutView | null;
}

type SerializedItem = Omit<PlaylistItem, 'validUntil'> & { validUntil: number | null };

/** A playlist as JSON (cache entries, pub/sub payloads): instants as epoch ms. */
export interface SerializedPlaylist {
  displayId: string;
  version: string;
  items: SerializedItem[];
  validUntil: number | null;
  resolvedAt: number;
  /** Absent in entries written before layouts. */
  layout?:
    | (Omit<PlaylistLayoutView, 'regions'> & {
        regions: (Omit<PlaylistRegionView, 'items'> & { items: SerializedItem[] })[];
      })
    | null;
}

const serializeItems = (items: readonly PlaylistItem[]): SerializedItem[] =>
  items.map((i) => ({ ...i, validUntil: i.validUntil?.getTime() ?? null }));

export function serializePlaylist(view: PlaylistView): SerializedPlaylist {
  return {
    displayId: view.displayId,
    version: view.version,
    items: serializeItems(view.items),
    validUntil: view.validUntil?.getTime() ?? null,
    resolvedAt: view.resolvedAt.getTime(),
    layout: view.layout
      ? { ...view.layout, regions: view.layout.regions.map((r) => ({ ...r, items: serializeItems(r.items) })) }
      : null,
  };
}

export function deserializePlaylist(s: SerializedPlaylist): PlaylistView {
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  // Playlists cached before fit modes existed fit as they always did.
  const items = (list: SerializedItem[]) =>
    list.map((i) => ({ ...i, fit: i.fit ?? 'CONTAIN', validUntil: date(i.validUntil) }));
  return {
    displayId: s.displayId,
    version: s.version,
    items: items(s.items),
    validUntil: date(s.validUntil),
    resolvedAt: new Date(s.resolvedAt),
    layout: s.layout ? { ...s.layout, regions: s.layout.regions.map((r) => ({ ...r, items: items(r.items) })) } : null,
  };
}

/** A tenant's compiled campaigns, overrides, takeovers and layouts, valid for one index generation. */
interface TenantSnapshot extends TenantLayouts {
  generation: string;
  /** Campaigns that name no layout region: a display's full screen, or its layout's main region. */
  index: CampaignIndex;
  /** Every LIVE campaign, whatever its region (schedule boundaries). */
  all: CampaignIndex;
  campaigns: EngineCampaign[];
  regionOf: Map<string, string>;
  /** Indexes of layout regions, compiled when a display first needs one (key: region name, `main:` prefixed). */
  regional: Map<string, CampaignIndex>;
  overrides: Interruption[];
}

const LAYOUT_VERSION_SCHEME = 'phub.layout.v1';

export interface PlaylistServiceOptions {
  /** Longest a playlist without a known boundary stays cached (seconds). */
  cacheSeconds: number;
  /** Longest preview range (days). */
  previewMaxDays: number;
}

// Generation tokens outlive every entry written under them (entries live at most `cacheSeconds`).
const GENERATION_TTL_SECONDS = 30 * 24 * 3600;
const DAY_MS = 24 * 3600 * 1000;

/**
 * Resolves playlists with the engine. The compiled campaign index is kept per tenant in memory and the
 * resolved playlist per display in the shared cache; both are keyed by generation tokens in the shared
 * cache, so a change anywhere (any replica) invalidates a whole tenant with one write:
 * - the index generation changes with campaigns and overrides (the index and overrides are rebuilt);
 * - the playlist generation changes with those and with projected displays and stores.
 * Bumps write the index token before the playlist token, and readers read the playlist token first, so a
 * reader that sees a new playlist token always builds from the new index.
 */
export class PlaylistService {
  private readonly snapshots = new Map<string, { generation: string; snapshot: Promise<TenantSnapshot> }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: Cache,
    private readonly clock: Clock,
    private readonly metrics: CampaignMetrics,
    private readonly logger: Logger,
    private readonly options: PlaylistServiceOptions,
  ) {}

  private async generation(kind: 'index' | 'playlist', tenantId: string): Promise<string> {
    const key = `campaign:gen:${kind}:${tenantId}`;
    const current = await this.cache.get<string>(key);
    if (current) return current;
    const fresh = randomUUID();
    await this.cache.set(key, fresh, GENERATION_TTL_SECONDS);
    return fresh;
  }

  /** Invalidates a tenant's cached playlists, and with `index` its compiled campaigns and overrides too. */
  async invalidate(tenantId: string, options: { index: boolean }): Promise<void> {
    if (options.index) {
      await this.cache.set(`campaign:gen:index:${tenantId}`, randomUUID(), GENERATION_TTL_SECONDS);
      this.snapshots.delete(tenantId);
    }
    await this.cache.set(`campaign:gen:playlist:${tenantId}`, randomUUID(), GENERATION_TTL_SECONDS);
  }

  /** The tenant's compiled index and overrides, rebuilt when its generation changed (once, however many ask). */
  private async snapshot(tenantId: string): Promise<TenantSnapshot> {
    const generation = await this.generation('index', tenantId);
    const cached = this.snapshots.get(tenantId);
    if (cached && cached.generation === generation) return cached.snapshot;
    const snapshot = (async (): Promise<TenantSnapshot> => {
      const [{ campaigns, overrides, regionOf }, layouts] = await Promise.all([
        loadTenantPlayables(this.dataSource, tenantId, new Date(this.clock.now())),
        loadTenantLayouts(this.dataSource, tenantId),
      ]);
      const all = compileCampaigns(campaigns);
      // Without region campaigns (most tenants) the main index is the whole one: compiled once.
      const index = regionOf.size ? compileCampaigns(campaigns.filter((c) => !regionOf.has(c.id))) : all;
      this.metrics.indexBuilds.inc();
      for (const rejected of all.rejected) {
        this.logger.warn({ tenantId, ...rejected }, 'a LIVE campaign cannot play and was left out');
      }
      return { generation, index, all, campaigns, regionOf, regional: new Map(), overrides, ...layouts };
    })();
    const entry = { generation, snapshot };
    this.snapshots.set(tenantId, entry);
    snapshot.catch(() => {
      if (this.snapshots.get(tenantId) === entry) this.snapshots.delete(tenantId);
    });
    return snapshot;
  }

  /** Facts of one active display, or null when the projections do not know it (yet). */
  async facts(tenantId: string, displayId: string): Promise<DisplayFacts | null> {
    if (!isUuid(displayId)) return null;
    const [facts] = await loadFacts(this.dataSource, tenantId, { displayIds: [displayId] });
    return facts ?? null;
  }

  factsOf(tenantId: string, filter: { storeIds?: string[]; displayIds?: string[] } = {}): Promise<DisplayFacts[]> {
    return loadFacts(this.dataSource, tenantId, filter);
  }

  /** The campaigns of one layout region; the main region also plays those naming no region. */
  private regionIndex(snapshot: TenantSnapshot, name: string, main: boolean): CampaignIndex {
    const named = [...snapshot.regionOf.values()].some((r) => r === name);
    if (main && !named) return snapshot.index;
    const key = `${main ? 'main:' : ''}${name}`;
    let index = snapshot.regional.get(key);
    if (!index) {
      const region = (c: EngineCampaign) => snapshot.regionOf.get(c.id);
      index = compileCampaigns(snapshot.campaigns.filter((c) => region(c) === name || (main && !region(c))));
      snapshot.regional.set(key, index);
    }
    return index;
  }

  private async resolveWith(
    snapshot: TenantSnapshot,
    facts: DisplayFacts,
    at: Date,
    source: ResolutionSource,
  ): Promise<PlaylistView> {
    const end = this.metrics.resolutionDuration.startTimer({ source });
    try {
      const stored = snapshot.layouts.get(snapshot.layoutOf.get(facts.displayId) ?? '');
      if (!stored) {
        const playlist = engineCall(() => resolvePlaylist(facts, snapshot.index, snapshot.overrides, at));
        this.metrics.resolutions.inc({ source });
        return { ...playlist, items: [...playlist.items], resolvedAt: at, layout: null };
      }
      // Each CONTENT region resolves on its own (priorities compete within a region); overrides and store
      // takeovers interrupt the main region, and the player shows a takeover over the whole screen.
      let validUntil: Date | null = null;
      const regions = regionViews(stored.regions).map((region): PlaylistRegionView => {
        if (region.kind !== LayoutRegionKind.CONTENT) return { ...region, version: '', items: [] };
        const index = this.regionIndex(snapshot, region.name, region.main);
        const playlist = engineCall(() => resolvePlaylist(facts, index, region.main ? snapshot.overrides : [], at));
        if (playlist.validUntil && (!validUntil || playlist.validUntil < validUntil)) validUntil = playlist.validUntil;
        return { ...region, version: playlist.version, items: [...playlist.items] };
      });
      this.metrics.resolutions.inc({ source });
      const main = regions.find((r) => r.main)!;
      const version = createHash('sha256')
        .update(
          JSON.stringify([
            LAYOUT_VERSION_SCHEME,
            stored.id,
            stored.name,
            regions.map((r) => [r.name, r.kind, r.x, r.y, r.width, r.height, r.text, r.version]),
          ]),
        )
        .digest('hex')
        .slice(0, 20);
      return {
        displayId: facts.displayId,
        version,
        items: main.items,
        validUntil,
        resolvedAt: at,
        layout: { id: stored.id, name: stored.name, regions },
      };
    } finally {
      end();
    }
  }

  private cacheKey(tenantId: string, generation: string, displayId: string) {
    return `campaign:playlist:${tenantId}:${generation}:${displayId}`;
  }

  /**
   * What the display plays now, from the cache when an entry covers this instant; `fresh` resolves and
   * rewrites the entry anyway (the change feed does, after an invalidation).
   */
  async current(facts: DisplayFacts, options: { fresh?: boolean; source?: ResolutionSource } = {}) {
    const now = this.clock.now();
    const generation = await this.generation('playlist', facts.tenantId);
    const key = this.cacheKey(facts.tenantId, generation, facts.displayId);
    if (!options.fresh) {
      const hit = await this.cache.get<SerializedPlaylist>(key);
      if (hit && hit.resolvedAt <= now && (hit.validUntil === null || now < hit.validUntil)) {
        this.metrics.cacheLookups.inc({ result: 'hit' });
        return deserializePlaylist(hit);
      }
      this.metrics.cacheLookups.inc({ result: 'miss' });
    }
    const snapshot = await this.snapshot(facts.tenantId);
    const view = await this.resolveWith(snapshot, facts, new Date(now), options.source ?? 'query');
    const ttlMs = view.validUntil === null ? Infinity : view.validUntil.getTime() - now;
    const ttlSeconds = Math.min(this.options.cacheSeconds, Math.ceil(ttlMs / 1000));
    if (ttlSeconds > 0) await this.cache.set(key, serializePlaylist(view), ttlSeconds);
    return view;
  }

  /** The playlist of a display the viewer may see, now (cached) or at `at`. */
  async forViewer(scope: CampaignScope, displayId: string, at?: Date | null): Promise<PlaylistView> {
    const facts = await this.visibleFacts(scope, displayId);
    if (!at) return this.current(facts);
    return this.resolveWith(await this.snapshot(facts.tenantId), facts, at, 'query');
  }

  async visibleFacts(scope: CampaignScope, displayId: string): Promise<DisplayFacts> {
    const display = await scope.display(displayId);
    const facts = await this.facts(display.tenantId, display.id);
    // Known display whose store the projection has not seen yet (or archived): nothing to resolve.
    if (!facts) throw displayNotFound(displayId);
    return facts;
  }

  /** Why campaign C is or is not on display D at `at` (any status: a draft explains why it does not play). */
  async explain(scope: CampaignScope, displayId: string, campaignId: string, at: Date | null): Promise<Explanation> {
    const instant = at ?? new Date(this.clock.now());
    const facts = await this.visibleFacts(scope, displayId);
    const qb = await scope.campaigns('c');
    const row = isUuid(campaignId) ? await qb.andWhere('c.id = :id', { id: campaignId }).getOne() : null;
    if (!row) throw campaignNotFound(campaignId);
    const [campaign] = await toEngineCampaigns(this.dataSource.manager, row.tenantId, [row]);
    const snapshot = await this.snapshot(facts.tenantId);
    this.metrics.resolutions.inc({ source: 'explain' });
    return engineCall(() =>
      explain(facts, campaign!, instant, { campaigns: snapshot.index, overrides: snapshot.overrides }),
    );
  }

  /** The segments a display will play over [from, to). */
  async preview(scope: CampaignScope, displayId: string, from: Date, to: Date): Promise<PlaylistSegment[]> {
    const facts = await this.visibleFacts(scope, displayId);
    if (to.getTime() - from.getTime() > this.options.previewMaxDays * DAY_MS) {
      throw previewTooLong(this.options.previewMaxDays);
    }
    const snapshot = await this.snapshot(facts.tenantId);
    const end = this.metrics.resolutionDuration.startTimer({ source: 'preview' });
    try {
      return engineCall(() => preview(facts, snapshot.index, snapshot.overrides, from, to));
    } finally {
      this.metrics.resolutions.inc({ source: 'preview' });
      end();
    }
  }

  /** The next instant any display of the store may change its playlist. */
  async storeBoundary(tenantId: string, storeId: string, after: Date): Promise<Date | null> {
    const [snapshot, displays] = await Promise.all([
      this.snapshot(tenantId),
      this.factsOf(tenantId, { storeIds: [storeId] }),
    ]);
    let next: Date | null = null;
    for (const facts of displays) {
      const boundary = engineCall(() => nextBoundary(facts, snapshot.all, snapshot.overrides, after));
      if (boundary && (next === null || boundary < next)) next = boundary;
    }
    return next;
  }
}
