// The baseline: the same rules written the obvious way. Every campaign is checked for every display, and
// dates, times and zones are parsed again with luxon each time. Only the loop building and hashing are
// shared with the engine, so the two produce the same playlists and differ in eligibility work alone.
import { createRequire } from 'node:module';

import type { DateTime as LuxonDateTime } from 'luxon';

import { compileCreative, pickContent } from '../../subgraphs/campaign/src/engine/creative.js';
import { buildLoop, loopItems } from '../../subgraphs/campaign/src/engine/loop.js';
import { playlistVersion } from '../../subgraphs/campaign/src/engine/version.js';
import type {
  Campaign,
  DisplayFacts,
  Override,
  Playlist,
  PlaylistItem,
  Schedule,
  Targeting,
} from '../../subgraphs/campaign/src/engine/index.js';

// luxon is a dependency of @phub/campaign, not of the repository root: load it from there.
const { DateTime } = createRequire(new URL('../../subgraphs/campaign/package.json', import.meta.url))(
  'luxon',
) as typeof import('luxon');
type DateTime = LuxonDateTime;

const WEEK = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

function values(display: DisplayFacts, kind: string): string[] {
  if (kind === 'REGION') return display.regionId ? [display.regionId] : [];
  if (kind === 'STORE') return [display.storeId];
  if (kind === 'STORE_TAG') return [...display.storeTags];
  if (kind === 'DISPLAY') return [display.displayId];
  if (kind === 'DISPLAY_TAG') return [...display.displayTags];
  if (kind === 'ORIENTATION') return [display.orientation];
  if (kind === 'ZONE') return display.zoneId ? [display.zoneId] : [];
  return [];
}

function targets(targeting: Targeting, display: DisplayFacts): boolean {
  const place = (kind: string) => kind !== 'SEGMENT' && kind !== 'PROXIMITY_ZONE';
  const kinds = new Set(targeting.include.map((r) => r.kind).filter(place));
  for (const kind of kinds) {
    const wanted = targeting.include.filter((r) => r.kind === kind).map((r) => r.value);
    if (!values(display, kind).some((v) => wanted.includes(v))) return false;
  }
  return !targeting.exclude.some((r) => place(r.kind) && values(display, r.kind).includes(r.value));
}

const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

function range(schedule: Schedule, zone: string): { start: number; end: number } {
  let start = schedule.startsAt ? schedule.startsAt.getTime() : -Infinity;
  let end = schedule.endsAt ? schedule.endsAt.getTime() : Infinity;
  if (schedule.startDate)
    start = Math.max(start, DateTime.fromISO(schedule.startDate, { zone }).startOf('day').toMillis());
  if (schedule.endDate) {
    end = Math.min(end, DateTime.fromISO(schedule.endDate, { zone }).plus({ days: 1 }).startOf('day').toMillis());
  }
  return { start, end };
}

function active(schedule: Schedule, now: DateTime): boolean {
  const { start, end } = range(schedule, now.zoneName!);
  if (now.toMillis() < start || now.toMillis() >= end) return false;
  const dayparts = schedule.dayparts ?? [];
  if (dayparts.length === 0) return true;
  const today = WEEK[now.weekday - 1]!;
  const yesterday = WEEK[(now.weekday + 5) % 7]!;
  const ms = ((now.hour * 60 + now.minute) * 60 + now.second) * 1000 + now.millisecond;
  return dayparts.some((d) => {
    const from = minutes(d.from) * 60_000;
    const to = minutes(d.to) * 60_000;
    const wraps = to <= from;
    const on = (day: string) => d.days.length === 0 || d.days.includes(day as never);
    return (on(today) && ms >= from && (wraps || ms < to)) || (wraps && on(yesterday) && ms < to);
  });
}

function nextBoundary(schedule: Schedule, now: DateTime): number | null {
  const t = now.toMillis();
  const { start, end } = range(schedule, now.zoneName!);
  if (t >= end) return null;
  if (t < start) return start;
  let best = end === Infinity ? null : end;
  const midnight = now.startOf('day');
  for (let k = -1; k <= 8; k++) {
    const day = midnight.plus({ days: k });
    for (const d of schedule.dayparts ?? []) {
      if (d.days.length > 0 && !d.days.includes(WEEK[day.weekday - 1] as never)) continue;
      const from = minutes(d.from);
      const to = minutes(d.to);
      const s = day.set({ hour: Math.floor(from / 60), minute: from % 60 }).toMillis();
      const e = day
        .plus({ days: to <= from ? 1 : 0 })
        .set({ hour: 0, minute: 0 })
        .plus({ minutes: to })
        .toMillis();
      for (const edge of [s, e]) if (edge > t && (best === null || edge < best)) best = edge;
    }
  }
  return best;
}

/** Resolves one display by scanning every campaign with luxon: the baseline the engine is measured against. */
export function naiveResolve(
  display: DisplayFacts,
  campaigns: readonly Campaign[],
  overrides: readonly Override[],
  at: Date,
): Playlist {
  const t = at.getTime();
  const mine = overrides.filter((o) => o.displayId === display.displayId);
  const edges = mine.flatMap((o) => [o.startsAt.getTime(), o.until.getTime()]).filter((e) => e > t);
  let validUntil: number | null = edges.length ? Math.min(...edges) : null;
  const live = mine
    .filter((o) => o.startsAt.getTime() <= t && t < o.until.getTime())
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  if (live[0]) {
    const o = live[0];
    const items: PlaylistItem[] = [
      {
        campaignId: o.campaignId ?? null,
        overrideId: o.id,
        ...pickContent(compileCreative(o.creative, 'o', []), display.locale),
        validUntil: o.until,
      },
    ];
    const until = validUntil === null ? null : new Date(validUntil);
    return { displayId: display.displayId, version: playlistVersion(items), items, validUntil: until };
  }

  const now = DateTime.fromMillis(t, { zone: display.timezone });
  const matching = campaigns.filter(
    (c) =>
      c.status === 'LIVE' &&
      c.tenantId === display.tenantId &&
      c.creatives.length > 0 &&
      (!c.storeId || c.storeId === display.storeId) &&
      !c.pausedStoreIds.includes(display.storeId) &&
      targets(c.targeting, display),
  );
  const eligible = matching.filter((c) => active(c.schedule, now));
  const top = eligible.length ? Math.max(...eligible.map((c) => c.priority)) : -Infinity;
  const tier = eligible.filter((c) => c.priority === top).sort((a, b) => (a.id < b.id ? -1 : 1));
  const ownEdge = new Map<string, number | null>();
  for (const c of matching.filter((c) => c.priority >= top)) {
    const edge = nextBoundary(c.schedule, now);
    ownEdge.set(c.id, edge);
    if (edge !== null && (validUntil === null || edge < validUntil)) validUntil = edge;
  }
  const members = tier.map((c) => ({
    campaignId: c.id,
    weight: c.weight,
    maxPlaysPerHour: c.maxPlaysPerHour ?? null,
    items: c.creatives.map((k) => pickContent(compileCreative(k, 'k', []), display.locale)),
  }));
  const loop = buildLoop(members);
  const until = tier.map((c) => {
    const edge = ownEdge.get(c.id) ?? null;
    return edge === null ? null : new Date(edge);
  });
  return {
    displayId: display.displayId,
    version: loop.version,
    items: loopItems(
      loop,
      members.map((m) => m.campaignId),
      until,
    ),
    validUntil: validUntil === null ? null : new Date(validUntil),
  };
}
