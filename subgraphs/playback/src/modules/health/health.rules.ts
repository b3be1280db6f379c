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

export interface HealthFacts {
  lastSeenAt: Date | null;
  firstSeenAt: Date | null;
  lastPlayAt: Date | null;
  reportedVersion: string | null;
  reportedSince: Date | null;
  expectedVersion: string | null;
  expectedAt: Date | null;
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
  const lastContent = f.lastPlayAt ?? f.firstSeenAt;
  if (lastContent && now - lastContent.getTime() > t.staleAfterMs) conditions.push(AlertKind.STALE_CONTENT);
  return { status, conditions };
}
