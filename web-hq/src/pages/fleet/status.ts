/** Pure helpers of the fleet pages: display statuses, their words, counts and live overlays. */
import type { DisplayStatus } from '../../gql/graphql';

/** Worst first: the order of the summary and of the status filter. */
export const STATUSES: readonly DisplayStatus[] = ['OFFLINE', 'NOT_PLAYING_EXPECTED', 'ONLINE', 'UNKNOWN'];

export const STATUS_LABEL: Record<DisplayStatus, string> = {
  ONLINE: 'Online',
  OFFLINE: 'Offline',
  NOT_PLAYING_EXPECTED: 'Not playing what it should',
  UNKNOWN: 'Not reported yet',
};

export const STATUS_HINT: Record<DisplayStatus, string> = {
  ONLINE: 'Heartbeats arrive',
  OFFLINE: 'No heartbeat for a while',
  NOT_PLAYING_EXPECTED: 'Reports an older playlist beyond the grace period',
  UNKNOWN: 'Never heard from',
};

export function isDisplayStatus(value: string | null | undefined): value is DisplayStatus {
  return !!value && (STATUSES as readonly string[]).includes(value);
}

/** A status as it arrived live, newer than what the last query returned. */
export interface LiveStatus {
  status: DisplayStatus;
  /** When the change happened (ISO instant) */
  at: string;
  lastSeenAt?: string | null;
}

export type Overlay = ReadonlyMap<string, LiveStatus>;

interface HasStatus {
  id: string;
  status: DisplayStatus;
  lastSeenAt?: string | null;
}

/** The display with what arrived live since it was loaded (a live change wins only when it is newer). */
export function withLive<T extends HasStatus>(display: T, overlay: Overlay, loadedAt = 0): T {
  const live = overlay.get(display.id);
  if (!live || Date.parse(live.at) < loadedAt) return display;
  return {
    ...display,
    status: live.status,
    lastSeenAt: live.lastSeenAt !== undefined ? live.lastSeenAt : display.lastSeenAt,
  };
}

export type StatusCounts = Record<DisplayStatus, number> & { total: number };

export function emptyCounts(): StatusCounts {
  return { ONLINE: 0, OFFLINE: 0, NOT_PLAYING_EXPECTED: 0, UNKNOWN: 0, total: 0 };
}

export function countByStatus(displays: Iterable<{ status: DisplayStatus }>): StatusCounts {
  const counts = emptyCounts();
  for (const d of displays) {
    counts[d.status] += 1;
    counts.total += 1;
  }
  return counts;
}

/** Adds a live change to an overlay (a new map, so React sees the change); older news is ignored. */
export function applyChange(overlay: Overlay, displayId: string, live: LiveStatus): Map<string, LiveStatus> {
  const next = new Map(overlay);
  const known = overlay.get(displayId);
  if (!known || Date.parse(known.at) <= Date.parse(live.at)) next.set(displayId, live);
  return next;
}

/** "Window left (London Oxford Street) is now Offline, was Online" — what a screen reader hears. */
export function describeChange(
  name: string,
  storeName: string | undefined,
  status: DisplayStatus,
  previous?: DisplayStatus | null,
): string {
  const where = storeName ? ` (${storeName})` : '';
  const was = previous && previous !== status ? `, was ${STATUS_LABEL[previous].toLowerCase()}` : '';
  return `${name}${where} is now ${STATUS_LABEL[status].toLowerCase()}${was}`;
}

/** Statuses in which a display is on air: what it reported is what it plays now. */
const ON_AIR: ReadonlySet<DisplayStatus> = new Set<DisplayStatus>(['ONLINE', 'NOT_PLAYING_EXPECTED']);

/**
 * What the "Now playing" cell may claim, so that it agrees with the status: an online display plays what it
 * reported; an offline (or never heard from) one only last played it, at its last report.
 */
export function playingState(
  status: DisplayStatus,
  nowPlaying: { creativeId?: string | null; reportedAt: string } | null | undefined,
): { kind: 'playing'; creativeId: string } | { kind: 'last'; creativeId: string; at: string } | { kind: 'nothing' } {
  const creativeId = nowPlaying?.creativeId;
  if (!creativeId || !nowPlaying) return { kind: 'nothing' };
  return ON_AIR.has(status) ? { kind: 'playing', creativeId } : { kind: 'last', creativeId, at: nowPlaying.reportedAt };
}

/** "just now", "5 min ago", "3 h ago", "2 days ago": how long since an instant, for a glance. */
export function ago(instant: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(instant)) / 1000));
  if (s < 60) return 'just now';
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}
