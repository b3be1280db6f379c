import { QUEUE_BOARD_MIME } from './board.js';
import type { QueueBoardFeed } from './board-feed.js';
import { show, showBoard, type Shown } from './renderer.js';
import { Scheduler } from './scheduler.js';
import { isTakeover } from './takeover.js';
import type { Playlist, PlaylistItem, PlaylistLayout, PlaylistRegion } from './types.js';

// ── pure parts (tested in node) ───────────────────────────────────────────────────────────────────

/** The layout to draw for a playlist: none without one, and none while a store takeover fills the screen. */
export function activeLayout(playlist: Playlist | null): PlaylistLayout | null {
  if (!playlist?.layout || isTakeover(playlist)) return null;
  return playlist.layout;
}

/** What the regions look like (names, kinds, places, ticker text): a layout is rebuilt only when this changes. */
export function layoutKey(layout: PlaylistLayout | null): string {
  if (!layout) return '';
  return JSON.stringify([layout.id, layout.regions.map((r) => [r.name, r.kind, r.x, r.y, r.width, r.height, r.text])]);
}

/** A region's box on the stage, in percent. */
export function regionBox(region: Pick<PlaylistRegion, 'x' | 'y' | 'width' | 'height'>): Record<string, string> {
  return { left: `${region.x}%`, top: `${region.y}%`, width: `${region.width}%`, height: `${region.height}%` };
}

/** A CONTENT region's loop as a playlist of its own (its version is its content hash). */
export function regionPlaylist(region: PlaylistRegion, validUntil: string | null): Playlist {
  return { version: region.version, validUntil, items: region.items };
}

/** Seconds for one pass of the ticker: a steady reading speed whatever the text's length. */
export function tickerSeconds(text: string): number {
  return Math.max(8, Math.round(text.length * 0.25));
}

// ── the DOM ───────────────────────────────────────────────────────────────────────────────────────

const BOARD_ITEM_MS = 24 * 3600_000;

export interface LayoutHost {
  /** The store's live queue board, when one runs. */
  board(): QueueBoardFeed | null;
  /** Proof of play of a region's item (the main region's are the player's own). */
  played(item: PlaylistItem, playlistVersion: string, startedAt: Date, endedAt: Date): void;
}

interface Region {
  region: PlaylistRegion;
  el: HTMLElement;
  offer(region: PlaylistRegion, validUntil: string | null): void;
  boardChanged(): void;
  stop(): void;
}

/**
 * A layout drawn on the stage: one absolutely placed box per region. The main region is left to the player's own
 * loop (`main`); every other CONTENT region runs a loop of its own (the same scheduler and renderer), a TICKER
 * scrolls its text, a QUEUE_BOARD shows the store's board.
 */
export class LayoutStage {
  readonly root: HTMLElement;
  readonly main: HTMLElement;
  readonly key: string;
  private readonly regions: Region[] = [];
  private version: string;

  constructor(
    stage: HTMLElement,
    layout: PlaylistLayout,
    playlist: Playlist,
    private readonly host: LayoutHost,
  ) {
    this.key = layoutKey(layout);
    this.version = playlist.version;
    for (const old of [...stage.children]) old.remove();
    this.root = document.createElement('div');
    this.root.className = 'layout';
    this.root.dataset.layoutId = layout.id;
    this.root.dataset.layoutName = layout.name;
    stage.appendChild(this.root);
    let main: HTMLElement | null = null;
    for (const region of layout.regions) {
      const el = document.createElement('div');
      el.className = `region region-${region.kind.toLowerCase()}`;
      el.dataset.region = region.name;
      el.dataset.kind = region.kind;
      Object.assign(el.style, regionBox(region));
      this.root.appendChild(el);
      if (region.main) {
        el.dataset.main = 'true';
        main = el;
        continue;
      }
      const runner =
        region.kind === 'TICKER'
          ? ticker(el, region)
          : region.kind === 'QUEUE_BOARD'
            ? board(el, region, host)
            : content(el, region, playlist.validUntil, host, () => this.version);
      this.regions.push(runner);
    }
    // The server always names a main CONTENT region; a stored layout without one still plays full size.
    this.main = main ?? this.root;
  }

  /** A newer playlist with the same regions: each region takes its own items (as the player's loop would). */
  update(layout: PlaylistLayout, playlist: Playlist): void {
    this.version = playlist.version;
    for (const r of this.regions) {
      const next = layout.regions.find((n) => n.name === r.region.name);
      if (next) r.offer(next, playlist.validUntil);
    }
  }

  boardChanged(): void {
    for (const r of this.regions) r.boardChanged();
  }

  dispose(): void {
    for (const r of this.regions) r.stop();
    this.root.remove();
  }
}

function ticker(el: HTMLElement, region: PlaylistRegion): Region {
  const text = region.text ?? '';
  el.setAttribute('aria-label', text);
  const track = document.createElement('div');
  track.className = 'ticker-track';
  track.style.animationDuration = `${tickerSeconds(text)}s`;
  // Two copies side by side scroll seamlessly: when the first has gone by, the second stands where it began.
  for (let i = 0; i < 2; i++) {
    const span = document.createElement('span');
    span.className = 'ticker-text';
    span.textContent = text;
    if (i) span.setAttribute('aria-hidden', 'true');
    track.appendChild(span);
  }
  el.appendChild(track);
  return { region, el, offer: () => {}, boardChanged: () => {}, stop: () => track.remove() };
}

function board(el: HTMLElement, region: PlaylistRegion, host: LayoutHost): Region {
  const item: PlaylistItem = {
    campaignId: null,
    creativeId: `region:${region.name}`,
    url: 'phub:builtin/queue-board',
    mimeType: QUEUE_BOARD_MIME,
    durationMs: BOARD_ITEM_MS,
    checksum: '',
  };
  let feed = host.board();
  let shown: Shown = showBoard(el, item, feed);
  return {
    region,
    el,
    offer: () => {},
    boardChanged: () => {
      if (host.board() === feed) return;
      feed = host.board();
      shown.dispose();
      shown = showBoard(el, item, feed);
    },
    stop: () => shown.dispose(),
  };
}

/** A CONTENT region's own loop: the player's loop in small (no withdraw grace, no idle screen: it stays dark). */
function content(
  el: HTMLElement,
  first: PlaylistRegion,
  validUntil: string | null,
  host: LayoutHost,
  version: () => string,
): Region {
  const scheduler = new Scheduler();
  let stopped = false;
  let wake: (() => void) | null = null;
  let interrupt: (() => void) | null = null;
  let onScreen: Shown | null = null;
  const clear = () => {
    onScreen?.dispose();
    onScreen = null;
    for (const old of [...el.children]) old.remove();
  };
  const runner: Region = {
    region: first,
    el,
    offer: (region, until) => {
      runner.region = region;
      if (scheduler.offer(regionPlaylist(region, until)) === 'immediate') {
        wake?.();
        interrupt?.();
      }
    },
    boardChanged: () => {},
    stop: () => {
      stopped = true;
      wake?.();
      interrupt?.();
      clear();
    },
  };
  scheduler.offer(regionPlaylist(first, validUntil));
  void (async () => {
    while (!stopped) {
      const slot = scheduler.next();
      if (!slot) {
        clear();
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 5000);
        });
        wake = null;
        continue;
      }
      let shown: Shown;
      try {
        shown = await show(el, slot.item, { board: host.board() });
      } catch (err) {
        console.warn(`region ${first.name}: skipping item`, slot.item.creativeId, (err as Error).message);
        if (onScreen && !scheduler.plays(slot.item)) clear();
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (stopped) {
        shown.dispose();
        return;
      }
      onScreen?.dispose();
      onScreen = shown;
      const startedAt = new Date();
      shown.element.dataset.startedAt = String(startedAt.getTime());
      el.dataset.version = slot.playlist.version;
      if (!scheduler.plays(slot.item)) continue;
      await Promise.race([shown.ended, new Promise<void>((resolve) => (interrupt = resolve))]);
      interrupt = null;
      if (!stopped) host.played(slot.item, version(), startedAt, new Date());
    }
  })();
  return runner;
}
