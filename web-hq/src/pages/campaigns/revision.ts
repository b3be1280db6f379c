import { describeDayparts, type Daypart } from './daypart-grid';
import type { LineNamer, QueueCondition } from './queue-conditions';
import { describeTargeting, type Rule } from './targeting';
import type { CampaignStatus } from './transitions';

/** Statuses whose content edits go to review as a revision while the approved version keeps playing. */
export const REVISED: readonly CampaignStatus[] = ['APPROVED', 'LIVE', 'PAUSED'];

/** What saving an edit of content does to a campaign in this status (the editor says it before saving). */
export function saveOutcome(status: CampaignStatus, autoApproved: boolean): 'in-place' | 'revision' | 'auto-approved' {
  if (!REVISED.includes(status)) return 'in-place';
  return autoApproved ? 'auto-approved' : 'revision';
}

/** The tenant's auto-approval settings, as `campaignSettings` gives them. */
export function autoApproves(
  settings: { autoApprove: boolean; autoApproveStoreLocal: boolean } | null | undefined,
  campaign: { storeId?: string | null },
): boolean {
  if (!settings) return false;
  return settings.autoApprove || (!!campaign.storeId && settings.autoApproveStoreLocal);
}

export interface Content {
  priority: number;
  weight: number;
  schedule: {
    startDate?: string | null;
    endDate?: string | null;
    startsAt?: string | null;
    endsAt?: string | null;
    dayparts: readonly Daypart[];
    maxPlaysPerHour?: number | null;
  };
  targeting: { include: readonly Rule[]; exclude: readonly Rule[]; queue?: readonly QueueCondition[] | null };
  creativeIds: readonly string[];
}

export interface Change {
  label: string;
  before: string;
  after: string;
}

function period(s: Content['schedule'], format: (iso: string) => string): string {
  const dates = s.startDate || s.endDate ? `${s.startDate ?? 'now'} to ${s.endDate ?? 'open end'}` : null;
  const instants =
    s.startsAt || s.endsAt
      ? `${s.startsAt ? format(s.startsAt) : 'now'} to ${s.endsAt ? format(s.endsAt) : 'open end'}`
      : null;
  return [dates, instants].filter(Boolean).join('; ') || 'No start or end';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * What a revision changes, in words, before → after: the lines a reviewer reads. `names` names creatives
 * (by id) and `format` writes instants; both fall back to the raw value. `lineName` names queue conditions' lines.
 */
export function describeChanges(
  live: Content,
  revision: Content,
  names: (creativeId: string) => string = (id) => id,
  format: (iso: string) => string = (iso) => iso,
  lineName?: LineNamer,
): Change[] {
  const changes: Change[] = [];
  const add = (label: string, before: string, after: string) => {
    if (before !== after) changes.push({ label, before, after });
  };
  add('Priority', String(live.priority), String(revision.priority));
  add('Weight', String(live.weight), String(revision.weight));
  add('Hours', describeDayparts(live.schedule.dayparts), describeDayparts(revision.schedule.dayparts));
  add('Dates', period(live.schedule, format), period(revision.schedule, format));
  const cap = (s: Content['schedule']) => (s.maxPlaysPerHour ? `at most ${s.maxPlaysPerHour} an hour` : 'no cap');
  add('Plays per hour', cap(live.schedule), cap(revision.schedule));
  add(
    'Where',
    describeTargeting(live.targeting, undefined, lineName),
    describeTargeting(revision.targeting, undefined, lineName),
  );
  const before = live.creativeIds.join(',');
  const after = revision.creativeIds.join(',');
  if (before !== after) {
    const added = revision.creativeIds.filter((id) => !live.creativeIds.includes(id));
    const removed = live.creativeIds.filter((id) => !revision.creativeIds.includes(id));
    const parts = [
      added.length ? `adds ${added.map(names).join(', ')}` : '',
      removed.length ? `removes ${removed.map(names).join(', ')}` : '',
      !added.length && !removed.length ? 'new order' : '',
    ].filter(Boolean);
    changes.push({
      label: 'Creatives',
      before: plural(live.creativeIds.length, 'creative'),
      after: `${plural(revision.creativeIds.length, 'creative')} (${parts.join('; ')})`,
    });
  }
  return changes;
}

/** Reach now in one line, the same words in the editor, the list, the fleet and the reports. */
export function describeReach(r: {
  asIfLive: boolean;
  matchingCount: number;
  playingCount: number;
  outrankedCount: number;
}): string {
  if (r.matchingCount === 0) return 'No display matches';
  const plays = r.asIfLive ? 'would play now on' : 'plays now on';
  const out = r.outrankedCount ? `; outranked on ${r.outrankedCount}` : '';
  const match = r.matchingCount === 1 ? '1 display matches' : `${r.matchingCount} displays match`;
  return `${match}; ${plays} ${r.playingCount}${out}`;
}
