import { randomUUID } from 'node:crypto';
import type { Cache, Logger } from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { Clock } from '@phub/kit';
import {
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
import { loadFacts, loadTenantPlayables, toEngineCampaigns } from './playlist.data.js';

/** A resolved playlist plus the instant it was resolved for. */
export interface PlaylistView {
  displayId: string;
  version: string;
  items: PlaylistItem[];
  validUntil: Date | null;
  resolvedAt: Date;
}

/** A playlist as JSON (cache entries, pub/sub payloads): instants as epoch ms. */
export interface SerializedPlaylist {
  displayId: string;
  version: string;
  items: (Omit<PlaylistItem, 'validUntil'> & { validUntil: number | null })[];
  validUntil: number | null;
  resolvedAt: number;
}

export function serializePlaylist(view: PlaylistView): SerializedPlaylist {
  return {
    displayId: view.displayId,
    version: view.version,
    items: view.items.map((i) => ({ ...i, validUntil: i.validUntil?.getTime() ?? null })),
    validUntil: view.validUntil?.getTime() ?? null,
    resolvedAt: view.resolvedAt.getTime(),
  };
}

export function deserializePlaylist(s: SerializedPlaylist): PlaylistView {
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  return {
    displayId: s.displayId,
    version: s.version,
    // Playlists cached before fit modes existed fit as they always did.
    items: s.items.map((i) => ({ ...i, fit: i.fit ?? 'CONTAIN', validUntil: date(i.validUntil) })),
    validUntil: date(s.validUntil),
    resolvedAt: new Date(s.resolvedAt),
  };
}

/** A tenant's compiled campaigns, overrides and takeovers, valid for one index generation. */
interface TenantSnapshot {
  generation: string;
  index: CampaignIndex;
  overrides: Interruption[];
}

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
      const { campaigns, overrides } = await loadTenantPlayables(this.dataSource, tenantId, new Date(this.clock.now()));
      const index = compileCampaigns(campaigns);
      this.metrics.indexBuilds.inc();
      for (const rejected of index.rejected) {
        this.logger.warn({ tenantId, ...rejected }, 'a LIVE campaign cannot play and was left out');
      }
      return { generation, index, overrides };
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

  private async resolveWith(snapshot: TenantSnapshot, facts: DisplayFacts, at: Date, source: ResolutionSource) {
    const end = this.metrics.resolutionDuration.startTimer({ source });
    try {
      const playlist = engineCall(() => resolvePlaylist(facts, snapshot.index, snapshot.overrides, at));
      this.metrics.resolutions.inc({ source });
      return { ...playlist, items: [...playlist.items], resolvedAt: at };
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
      const boundary = engineCall(() => nextBoundary(facts, snapshot.index, snapshot.overrides, after));
      if (boundary && (next === null || boundary < next)) next = boundary;
    }
    return next;
  }
}
