/**
 * A store's emergency takeover as the player shows it. A message takeover is a built-in content kind (like the
 * queue board): its URL carries the text (`phub:builtin/takeover-message/v1?text=…`), so it needs no fetch and
 * keeps showing from the stored playlist while offline; the player draws it large on a high-contrast background,
 * the text and nothing else. A creative takeover plays like any item. Either way a takeover does not wait for the
 * item on screen to end, and neither does its lifting: it is an emergency.
 */
import './takeover.css';
import type { Playlist, PlaylistItem } from './types.js';

/** The MIME type campaign gives message takeover items. */
export const TAKEOVER_MESSAGE_MIME = 'application/vnd.phub.takeover-message';

export const isTakeoverMessage = (item: { mimeType: string }): boolean =>
  item.mimeType.toLowerCase().split(';')[0]!.trim() === TAKEOVER_MESSAGE_MIME;

const isTakeoverItem = (item: PlaylistItem): boolean => !!item.takeoverId || isTakeoverMessage(item);

/** Whether a playlist is a takeover's (the store's emergency owns the display). */
export const isTakeover = (playlist: Playlist | null): boolean => !!playlist?.items.some(isTakeoverItem);

/**
 * Whether `next` must replace `current` at once instead of after the item on screen: a takeover starts, another
 * takeover replaces it, or one is lifted.
 */
export function preempts(current: Playlist | null, next: Playlist): boolean {
  if (!current || current.version === next.version) return false;
  return isTakeover(next) || isTakeover(current);
}

/** The message of a takeover item's URL ('' when it has none). */
export function takeoverText(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return '';
  return new URLSearchParams(url.slice(query + 1)).get('text') ?? '';
}

/** Font size for the message: as large as fits, smaller for longer text (viewport units of the stage). */
export function takeoverFontSize(text: string): string {
  const longestLine = Math.max(1, ...text.split('\n').map((l) => [...l].length));
  const lines = text.split('\n').length;
  // Roughly: a line's width and the lines' height both fit; between 4 and 12 vmin.
  const byWidth = 150 / longestLine;
  const byHeight = 60 / lines;
  return `${Math.max(4, Math.min(12, byWidth, byHeight)).toFixed(1)}vmin`;
}

/** Draws a message takeover on the stage (no load step: nothing to fetch). */
export function showTakeover(
  stage: HTMLElement,
  item: PlaylistItem,
): { element: HTMLElement; cached: boolean; ended: Promise<void>; dispose: () => void } {
  const text = takeoverText(item.url);
  const el = document.createElement('div');
  el.className = 'item takeover-message';
  el.setAttribute('role', 'alert');
  el.dataset.creativeId = item.creativeId;
  el.dataset.campaignId = '';
  el.dataset.takeoverId = item.takeoverId ?? item.creativeId;
  el.dataset.cached = 'true';
  const p = document.createElement('p');
  p.className = 'takeover-text';
  // textContent, never HTML: the text comes from a person's phone.
  p.textContent = text;
  p.style.fontSize = takeoverFontSize(text);
  el.appendChild(p);
  for (const old of [...stage.children]) old.remove();
  stage.appendChild(el);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ended = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(1000, item.durationMs));
  });
  return { element: el, cached: true, ended, dispose: () => clearTimeout(timer) };
}
