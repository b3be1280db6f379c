import { CampaignContentField, type StoredSchedule, type StoredTargeting } from './campaign.entity.js';

/** What review approves: the parts of a campaign that decide where, when and what it plays. */
export interface CampaignContent {
  priority: number;
  weight: number;
  schedule: StoredSchedule;
  targeting: StoredTargeting;
  creativeIds: string[];
}

// Rows saved by older code (or the demo seed) omit keys that mean "none": compare them as written by an edit.
function canonicalSchedule(s: StoredSchedule): StoredSchedule {
  return {
    startDate: s.startDate ?? null,
    endDate: s.endDate ?? null,
    startsAt: s.startsAt ?? null,
    endsAt: s.endsAt ?? null,
    dayparts: (s.dayparts ?? []).map((d) => ({ days: [...d.days], from: d.from, to: d.to })),
    maxPlaysPerHour: s.maxPlaysPerHour ?? null,
  };
}

function canonicalTargeting(t: StoredTargeting): StoredTargeting {
  return {
    include: t.include.map((r) => ({ kind: r.kind, value: r.value })),
    exclude: t.exclude.map((r) => ({ kind: r.kind, value: r.value })),
    queue: (t.queue ?? []).map((q) => ({
      lineId: q.lineId ?? null,
      minWaiting: q.minWaiting ?? null,
      minWaitMinutes: q.minWaitMinutes ?? null,
    })),
    ...(t.layoutRegion ? { layoutRegion: t.layoutRegion } : {}),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The content fields in which `next` differs from `live`, in a fixed order (empty = nothing to review). */
export function contentChanges(live: CampaignContent, next: CampaignContent): CampaignContentField[] {
  const changes: CampaignContentField[] = [];
  if (live.priority !== next.priority) changes.push(CampaignContentField.PRIORITY);
  if (live.weight !== next.weight) changes.push(CampaignContentField.WEIGHT);
  if (!same(canonicalSchedule(live.schedule), canonicalSchedule(next.schedule))) {
    changes.push(CampaignContentField.SCHEDULE);
  }
  if (!same(canonicalTargeting(live.targeting), canonicalTargeting(next.targeting))) {
    changes.push(CampaignContentField.TARGETING);
  }
  if (!same(live.creativeIds, next.creativeIds)) changes.push(CampaignContentField.CREATIVES);
  return changes;
}
