import { playlistVersionEventV1, type PlaylistVersionEventV1 } from '@phub/contracts';
import { type Cache, type EventBus, type Logger, type PlatformPubSub, prepend } from '@phub/kit';
import type { DisplayFacts } from '../../engine/index.js';
import type { ChangeReason, CampaignMetrics } from '../../metrics.js';
import type { CampaignScope } from '../../scope.js';
import { type PlaylistService, type SerializedPlaylist, serializePlaylist } from './playlist.service.js';

/** What changed, and which displays it can affect. */
export interface PlaylistChangeNotice {
  tenantId: string;
  reason: ChangeReason;
  /** True when campaigns or overrides changed (the compiled index is rebuilt); false for projection changes. */
  index: boolean;
  /** Affected stores; with `displayIds` absent too, the whole tenant. */
  storeIds?: string[];
  displayIds?: string[];
}

/** The payload of `playlistChanged`, as it travels over pub/sub (JSON). */
export interface PlaylistChangedPayload {
  tenantId: string;
  displayId: string;
  version: string;
  reason: ChangeReason;
  playlist: SerializedPlaylist;
}

/** Every replica re-plans its schedule-boundary timers for these stores. */
export interface ReplanMessage {
  tenantId: string;
  storeIds?: string[];
}

export const REPLAN_CHANNEL = 'campaign.replan';

/** Bus topic with each display's current playlist version, keyed by display id (the shared contract). */
export const PlaylistTopic = playlistVersionEventV1.topic;
export type PlaylistVersionEvent = PlaylistVersionEventV1;
export const playlistChannel = (tenantId: string, displayId: string) =>
  `campaign.playlist-changed:${tenantId}:${displayId}`;

/** Displays re-resolved at once by a refresh. */
const REFRESH_CONCURRENCY = 8;

// Last published versions outlive any realistic gap between two changes of one display.
const VERSION_TTL_SECONDS = 7 * 24 * 3600;

interface PendingRefresh {
  all: boolean;
  storeIds: Set<string>;
  displayIds: Set<string>;
  reason: ChangeReason;
}

/**
 * Turns changes into `playlistChanged` events. A change invalidates the tenant's caches at once (so the
 * next query is right), then the affected displays are re-resolved in the background, one tenant at a
 * time and coalesced, and an event is published only when a display's version differs from the last one
 * published for it (kept in the shared cache).
 */
export class PlaylistFeed {
  private readonly pending = new Map<string, PendingRefresh>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly playlists: PlaylistService,
    private readonly pubsub: PlatformPubSub,
    private readonly cache: Cache,
    private readonly metrics: CampaignMetrics,
    private readonly logger: Logger,
    /** Where other domains hear each display's expected version (playback's "not playing what it should"). */
    private readonly bus?: EventBus,
  ) {}

  /**
   * Call after the change committed. Resolves once caches are invalidated; publishing follows. Never
   * throws: the change is already committed, and cached entries expire on their own (at most
   * CAMPAIGN_PLAYLIST_CACHE_SECONDS) when the shared cache could not be told.
   */
  async changed(notice: PlaylistChangeNotice): Promise<void> {
    try {
      await this.playlists.invalidate(notice.tenantId, { index: notice.index });
    } catch (err) {
      this.logger.warn({ err, tenantId: notice.tenantId }, 'could not invalidate cached playlists');
    }
    this.pubsub.publish(REPLAN_CHANNEL, {
      tenantId: notice.tenantId,
      ...(notice.displayIds || notice.storeIds ? { storeIds: notice.storeIds ?? [] } : {}),
    } satisfies ReplanMessage);
    this.refresh(notice);
  }

  /** Re-resolves displays without invalidating (a schedule boundary passed: the data did not change). */
  refresh(notice: Omit<PlaylistChangeNotice, 'index'>): void {
    const { tenantId } = notice;
    let pending = this.pending.get(tenantId);
    if (!pending) {
      pending = { all: false, storeIds: new Set(), displayIds: new Set(), reason: notice.reason };
      this.pending.set(tenantId, pending);
    }
    if (!notice.storeIds && !notice.displayIds) pending.all = true;
    for (const id of notice.storeIds ?? []) pending.storeIds.add(id);
    for (const id of notice.displayIds ?? []) pending.displayIds.add(id);
    if (!this.running.has(tenantId)) {
      const run = this.drain(tenantId).finally(() => this.running.delete(tenantId));
      this.running.set(tenantId, run);
    }
  }

  /** Resolves when every refresh queued so far has published (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()]);
  }

  private async drain(tenantId: string): Promise<void> {
    for (;;) {
      const job = this.pending.get(tenantId);
      if (!job) return;
      this.pending.delete(tenantId);
      try {
        const displays = job.all
          ? await this.playlists.factsOf(tenantId)
          : [
              ...(job.storeIds.size ? await this.playlists.factsOf(tenantId, { storeIds: [...job.storeIds] }) : []),
              ...(job.displayIds.size
                ? await this.playlists.factsOf(tenantId, { displayIds: [...job.displayIds] })
                : []),
            ];
        const unique = [...new Map(displays.map((f) => [f.displayId, f])).values()];
        const versions: { key: string; value: PlaylistVersionEvent }[] = [];
        // A few displays at a time: a store's displays switch together, a whole tenant does not flood the database.
        for (let i = 0; i < unique.length; i += REFRESH_CONCURRENCY) {
          const events = await Promise.all(
            unique.slice(i, i + REFRESH_CONCURRENCY).map((facts) => this.publishIfChanged(facts, job.reason)),
          );
          for (const event of events) if (event) versions.push({ key: event.displayId, value: event });
        }
        // Derived state, not a write of ours: sent straight to the bus, once for the whole batch, after every
        // subscriber heard (a store takeover reaches the last display as soon as the first). A lost event is
        // healed by the next change, and consumers treat the latest version per display as the truth.
        if (versions.length) {
          await this.bus
            ?.publish(PlaylistTopic, versions)
            .catch((err: unknown) => this.logger.warn({ err, tenantId }, 'could not publish the versions'));
        }
      } catch (err) {
        this.logger.warn({ err, tenantId }, 'playlist refresh failed; displays resolve again on their next query');
      }
    }
  }

  /** Publishes the display's playlist when its version changed; returns the version event for the bus. */
  private async publishIfChanged(
    facts: DisplayFacts,
    reason: PlaylistChangeNotice['reason'],
  ): Promise<PlaylistVersionEvent | null> {
    const view = await this.playlists.current(facts, { fresh: true, source: 'refresh' });
    const key = `campaign:version:${facts.tenantId}:${facts.displayId}`;
    const last = await this.cache.get<string>(key);
    if (last === view.version) return null;
    await this.cache.set(key, view.version, VERSION_TTL_SECONDS);
    this.metrics.changesPublished.inc({ reason });
    this.pubsub.publish(playlistChannel(facts.tenantId, facts.displayId), {
      tenantId: facts.tenantId,
      displayId: facts.displayId,
      version: view.version,
      reason,
      playlist: serializePlaylist(view),
    } satisfies PlaylistChangedPayload);
    return {
      tenantId: facts.tenantId,
      displayId: facts.displayId,
      version: view.version,
      occurredAt: new Date().toISOString(),
      // How many items: an empty playlist owes no plays (playback's stale-content rule).
      items: view.items.length,
    };
  }

  /**
   * The changes of one display, for a subscriber allowed to read its playlist; with `current`, the
   * playlist as it is now comes first (a player catching up after a reconnect).
   */
  async subscribe(
    scope: CampaignScope,
    displayId: string,
    current = false,
  ): Promise<AsyncIterable<PlaylistChangedPayload>> {
    const facts = await this.playlists.visibleFacts(scope, displayId);
    // Listen before resolving, so no change can fall between the two.
    const source = this.pubsub.subscribe(
      playlistChannel(facts.tenantId, facts.displayId),
    ) as AsyncIterable<PlaylistChangedPayload>;
    if (!current) return source;
    const view = await this.playlists.current(facts);
    return prepend(
      [
        {
          tenantId: facts.tenantId,
          displayId: facts.displayId,
          version: view.version,
          reason: 'campaign',
          playlist: serializePlaylist(view),
        },
      ],
      source,
    );
  }
}
