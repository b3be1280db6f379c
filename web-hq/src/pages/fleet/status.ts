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
