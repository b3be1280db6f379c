import { preempts } from './takeover.js';
import type { Playlist, PlaylistItem } from './types.js';

export interface Slot {
  item: PlaylistItem;
  index: number;
  playlist: Playlist;
}

export type OfferOutcome = 'ignored' | 'pending' | 'immediate';

/** The same content from the same campaign: what a new playlist must still contain for the item on screen to stay. */
export function sameItem(a: PlaylistItem, b: PlaylistItem): boolean {
  return (
    a.creativeId === b.creativeId &&
    (a.campaignId ?? null) === (b.campaignId ?? null) &&
    a.url === b.url &&
    a.checksum === b.checksum
  );
}

/**
 * Decides what plays next. A new playlist that still contains the item on screen does not interrupt it: it waits
 * as `pending` and takes over when that item ends. It takes over at once (`immediate`) when nothing is playing,
 * or when the item on screen is no longer in it (its campaign was paused, ended, outranked or overridden):
 * withdrawn content must leave the screen now, not when its turn would have ended. A store takeover starting or
 * being lifted takes over at once too (`preempts`).
 */
export class Scheduler {
  private current: Playlist | null = null;
  private pendingPlaylist: Playlist | null = null;
  private index = -1;

  get playlist(): Playlist | null {
    return this.current;
  }

  get pending(): Playlist | null {
    return this.pendingPlaylist;
  }

  /** The version that will be on screen once the pending one (if any) takes over. */
  get targetVersion(): string | null {
    return (this.pendingPlaylist ?? this.current)?.version ?? null;
  }

  /** The item the last `next()` handed out (what is on screen), if any. */
  get onScreen(): PlaylistItem | null {
    return this.index >= 0 ? (this.current?.items[this.index] ?? null) : null;
  }

  /** True when `playlist` no longer has the item on screen, so offering it would take that item off at once. */
  withdraws(playlist: Playlist): boolean {
    const shown = this.onScreen;
    return !!shown && !playlist.items.some((i) => sameItem(i, shown));
  }

  /** True while the playlist in force still has `item` (false once it has been withdrawn). */
  plays(item: PlaylistItem): boolean {
    return !!this.current?.items.some((i) => sameItem(i, item));
  }

  offer(playlist: Playlist): OfferOutcome {
    if (playlist.version === this.targetVersion) {
      // Same content; refresh metadata such as validUntil without disturbing playback.
      if (this.pendingPlaylist) this.pendingPlaylist = playlist;
      else if (this.current) this.current = { ...playlist, items: this.current.items };
      return 'ignored';
    }
    if (
      !this.current ||
      this.current.items.length === 0 ||
      this.index < 0 ||
      this.withdraws(playlist) ||
      preempts(this.current, playlist)
    ) {
      this.current = playlist;
      this.pendingPlaylist = null;
      this.index = -1;
      return 'immediate';
    }
    if (playlist.version === this.current.version) {
      // Back to what is playing: drop the change that had not started yet.
      this.pendingPlaylist = null;
      return 'ignored';
    }
    this.pendingPlaylist = playlist;
    return 'pending';
  }

  /** Call when an item ends (or at start): the slot to play now, or null when there is nothing to play. */
  next(): Slot | null {
    if (this.pendingPlaylist) {
      this.current = this.pendingPlaylist;
      this.pendingPlaylist = null;
      this.index = -1;
    }
    const playlist = this.current;
    if (!playlist || playlist.items.length === 0) {
      this.index = -1;
      return null;
    }
    this.index = (this.index + 1) % playlist.items.length;
    return { item: playlist.items[this.index]!, index: this.index, playlist };
  }

  /** The items worth keeping in the asset cache: what plays now and what plays next. */
  wantedUrls(): Set<string> {
    const urls = new Set<string>();
    for (const p of [this.current, this.pendingPlaylist]) {
      for (const item of p?.items ?? []) urls.add(item.url);
      // A layout's other regions play from the same cache.
      for (const region of p?.layout?.regions ?? []) for (const item of region.items) urls.add(item.url);
    }
    return urls;
  }
}
