import { preempts } from './takeover.js';
import type { Playlist, PlaylistItem } from './types.js';

export interface Slot {
  item: PlaylistItem;
  index: number;
  playlist: Playlist;
}

export type OfferOutcome = 'ignored' | 'pending' | 'immediate';

/**
 * Decides what plays next. A new playlist never interrupts the item on screen: it waits as `pending` and
 * takes over when the current item ends — unless nothing is playing (no playlist or an empty one), then
 * it takes over at once, and so does a store takeover starting or being lifted (`preempts`).
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

  offer(playlist: Playlist): OfferOutcome {
    if (playlist.version === this.targetVersion) {
      // Same content; refresh metadata such as validUntil without disturbing playback.
      if (this.pendingPlaylist) this.pendingPlaylist = playlist;
      else if (this.current) this.current = { ...playlist, items: this.current.items };
      return 'ignored';
    }
    if (!this.current || this.current.items.length === 0 || preempts(this.current, playlist)) {
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
    if (!playlist || playlist.items.length === 0) return null;
    this.index = (this.index + 1) % playlist.items.length;
    return { item: playlist.items[this.index]!, index: this.index, playlist };
  }

  /** The items worth keeping in the asset cache: what plays now and what plays next. */
  wantedUrls(): Set<string> {
    const urls = new Set<string>();
    for (const p of [this.current, this.pendingPlaylist]) for (const item of p?.items ?? []) urls.add(item.url);
    return urls;
  }
}
