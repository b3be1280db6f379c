import { playableUrl } from './assets.js';
import { QUEUE_BOARD_MIME, renderBoardHtml } from './board.js';
import type { BoardState, QueueBoardFeed } from './board-feed.js';
import { isTakeoverMessage, showTakeover } from './takeover.js';
import type { FitMode, PlaylistItem } from './types.js';

export type MediaKind = 'image' | 'video' | 'html' | 'queue-board' | 'takeover-message' | 'unknown';

/** How long a new call stays highlighted (banner and flashing tile). */
export const HIGHLIGHT_MS = 8_000;

export function mediaKind(mimeType: string): MediaKind {
  const type = mimeType.toLowerCase().split(';')[0]!.trim();
  if (type === QUEUE_BOARD_MIME) return 'queue-board';
  if (isTakeoverMessage({ mimeType: type })) return 'takeover-message';
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  return 'unknown';
}

/** The CSS object-fit of an item's fit mode; anything unknown or absent fits whole, as before fit modes. */
export function objectFitOf(fit: FitMode | string | null | undefined): 'contain' | 'cover' | 'fill' {
  if (fit === 'COVER') return 'cover';
  if (fit === 'FILL') return 'fill';
  return 'contain';
}

export interface Shown {
  element: HTMLElement;
  cached: boolean;
  /** Resolves when the item should leave the screen (its duration passed, or a video ended). */
  ended: Promise<void>;
  dispose: () => void;
}

const LOAD_TIMEOUT_MS = 8_000;

function loaded(el: HTMLElement, kind: MediaKind): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out loading')), LOAD_TIMEOUT_MS);
    const ok = () => {
      clearTimeout(timer);
      resolve();
    };
    const fail = () => {
      clearTimeout(timer);
      reject(new Error('failed to load'));
    };
    if (kind === 'image') {
      (el as HTMLImageElement)
        .decode()
        .then(ok, () => ((el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth ? ok() : fail()));
    } else if (kind === 'video') {
      el.addEventListener('canplay', ok, { once: true });
      el.addEventListener('error', fail, { once: true });
    } else {
      el.addEventListener('load', ok, { once: true });
    }
  });
}

/**
 * Loads an item off-screen, then swaps it onto the stage (no blank frame between items). Rejects when the
 * asset cannot be loaded (not cached and no network), so the caller can skip it.
 */
export async function show(
  stage: HTMLElement,
  item: PlaylistItem,
  builtIns: { board?: QueueBoardFeed | null } = {},
): Promise<Shown> {
  const kind = mediaKind(item.mimeType);
  if (kind === 'unknown') throw new Error(`cannot play ${item.mimeType}`);
  if (kind === 'queue-board') return showBoard(stage, item, builtIns.board ?? null);
  if (kind === 'takeover-message') return showTakeover(stage, item);
  const { src, cached, release } = await playableUrl(item.url);
  let el: HTMLElement;
  if (kind === 'image') {
    const img = document.createElement('img');
    img.alt = '';
    img.src = src;
    el = img;
  } else if (kind === 'video') {
    const video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    video.setAttribute('muted', '');
    video.setAttribute('playsinline', '');
    video.preload = 'auto';
    video.src = src;
    el = video;
  } else {
    const frame = document.createElement('iframe');
    // Scripts may run, but the creative gets an opaque origin: no access to the player or its storage.
    frame.setAttribute('sandbox', 'allow-scripts');
    frame.setAttribute('referrerpolicy', 'no-referrer');
    frame.src = src;
    el = frame;
  }
  el.className = 'item';
  el.dataset.creativeId = item.creativeId;
  el.dataset.campaignId = item.campaignId ?? '';
  el.dataset.cached = String(cached);
  // Images and videos honour it; an HTML creative lays itself out.
  const fit = objectFitOf(item.fit);
  el.dataset.fit = fit;
  el.style.objectFit = fit;
  el.style.visibility = 'hidden';
  stage.appendChild(el);
  try {
    await loaded(el, kind);
  } catch (err) {
    el.remove();
    release();
    throw err;
  }
  for (const old of [...stage.children]) if (old !== el) old.remove();
  el.style.visibility = 'visible';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ended = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(1000, item.durationMs));
    if (kind === 'video') {
      const video = el as HTMLVideoElement;
      video.addEventListener('ended', () => resolve(), { once: true });
      void video.play().catch(() => {});
    }
  });
  return {
    element: el,
    cached,
    ended,
    dispose: () => {
      clearTimeout(timer);
      release();
    },
  };
}

/**
 * The store's "now serving" board, drawn from its live feed (no file): re-rendered on every queue change while
 * on screen, new calls highlighted for a few seconds, the last board shown (and marked) while offline.
 */
export function showBoard(stage: HTMLElement, item: PlaylistItem, feed: QueueBoardFeed | null): Shown {
  const el = document.createElement('div');
  el.className = 'item queue-board';
  el.dataset.creativeId = item.creativeId;
  el.dataset.campaignId = item.campaignId ?? '';
  el.dataset.cached = 'true';
  let last: BoardState = { board: null, fresh: [], freshAt: 0, live: false };
  let calm: ReturnType<typeof setTimeout> | undefined;
  const render = (state: BoardState) => {
    last = state;
    const recent = state.fresh.length > 0 && Date.now() - state.freshAt < HIGHLIGHT_MS;
    el.innerHTML = renderBoardHtml(state.board, {
      highlight: recent ? state.fresh : [],
      staleSince: state.live || !state.board ? null : state.board.at,
    });
    el.dataset.live = String(state.live);
    el.dataset.at = state.board?.at ?? '';
    el.dataset.called = (state.board?.lines ?? []).flatMap((l) => l.called.map((c) => c.number)).join(' ');
    clearTimeout(calm);
    if (recent) calm = setTimeout(() => render({ ...last, fresh: [] }), HIGHLIGHT_MS - (Date.now() - state.freshAt));
  };
  const unwatch = feed ? feed.watch(render) : (render(last), () => {});
  for (const old of [...stage.children]) old.remove();
  stage.appendChild(el);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ended = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(1000, item.durationMs));
  });
  return {
    element: el,
    cached: true,
    ended,
    dispose: () => {
      clearTimeout(timer);
      clearTimeout(calm);
      unwatch();
    },
  };
}
