import { DateTime } from 'luxon';
import { AlertKind } from '../alert/alert.entity.js';

export enum DisplayStatus {
  ONLINE = 'ONLINE',
  OFFLINE = 'OFFLINE',
  UNKNOWN = 'UNKNOWN',
  NOT_PLAYING_EXPECTED = 'NOT_PLAYING_EXPECTED',
}

export interface HealthThresholds {
  offlineAfterMs: number;
  versionGraceMs: number;
  staleAfterMs: number;
}

/** One opening window of a store, as location publishes it: store-local weekday and HH:MM times. */
export interface OpeningWindow {
  day: 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';
  opens: string;
  closes: string;
}

export interface HealthFacts {
  lastSeenAt: Date | null;
  firstSeenAt: Date | null;
  lastPlayAt: Date | null;
  reportedVersion: string | null;
  reportedSince: Date | null;
  expectedVersion: string | null;
  expectedAt: Date | null;
  /** Items in the resolved playlist; null when campaign has not told (older events): assumed to have some. */
  expectedItems?: number | null;
  /** When the resolved playlist last went from empty to non-empty. */
  contentSince?: Date | null;
  /** The store's time zone and weekly opening hours; no hours known means always open. */
  timezone?: string | null;
  openingHours?: OpeningWindow[] | null;
}

const WEEKDAYS: OpeningWindow['day'][] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When the store's current opening window began, or null while the store is closed. A store without
 * known hours (or an unknown zone) counts as open since forever (-Infinity): we never silence alerts on a guess.
 */
export function openSince(
  hours: OpeningWindow[] | null | undefined,
  timezone: string | null | undefined,
  now: number,
): number | null {
  if (!hours?.length || !timezone) return -Infinity;
  const local = DateTime.fromMillis(now, { zone: timezone });
  if (!local.isValid) return -Infinity;
  const day = WEEKDAYS[local.weekday - 1];
  const minute = local.hour * 60 + local.minute;
  for (const h of hours) {
    if (h.day !== day) continue;
    const opens = minutesOf(h.opens);
    if (minute >= opens && minute < minutesOf(h.closes)) {
      // The store-local wall time of opening, mapped back to an instant (luxon handles the zone's offset).
      return local.set({ hour: Math.floor(opens / 60), minute: opens % 60, second: 0, millisecond: 0 }).toMillis();
    }
  }
  return null;
}

/** The pure rule: a display's status and the alert conditions that hold at `now`. */
export function assess(
  f: HealthFacts,
  now: number,
  t: HealthThresholds,
): { status: DisplayStatus; conditions: AlertKind[] } {
  if (!f.lastSeenAt) return { status: DisplayStatus.UNKNOWN, conditions: [] };
  if (now - f.lastSeenAt.getTime() > t.offlineAfterMs)
    return { status: DisplayStatus.OFFLINE, conditions: [AlertKind.OFFLINE] };
  const conditions: AlertKind[] = [];
  let status = DisplayStatus.ONLINE;
  if (f.expectedVersion && f.expectedAt && f.reportedVersion !== f.expectedVersion) {
    // Mismatched since the later of: the resolved version changing, the display starting to report what it reports.
    const since = Math.max(f.expectedAt.getTime(), f.reportedSince?.getTime() ?? 0);
    if (now - since > t.versionGraceMs) {
      status = DisplayStatus.NOT_PLAYING_EXPECTED;
      conditions.push(AlertKind.NOT_PLAYING_EXPECTED);
    }
  }
  if (isStale(f, now, t.staleAfterMs)) conditions.push(AlertKind.STALE_CONTENT);
  return { status, conditions };
}

/**
 * Content is stale only when the display owes plays: its store is open and its resolved playlist has items.
 * It then counts from the latest of its last play (or first heartbeat), the store opening, and the playlist
 * getting items — so a shop that opened five minutes ago, after a quiet night, is not stale.
 */
function isStale(f: HealthFacts, now: number, staleAfterMs: number): boolean {
  if (f.expectedItems === 0) return false;
  const opened = openSince(f.openingHours, f.timezone, now);
  if (opened === null) return false;
  const lastContent = f.lastPlayAt ?? f.firstSeenAt;
  if (!lastContent) return false;
  const since = Math.max(lastContent.getTime(), opened, f.contentSince?.getTime() ?? -Infinity);
  return now - since > staleAfterMs;
}
