import { DomainError } from '@phub/kit';
import { describe, expect, it } from 'vitest';
import { CampaignStatus, TransitionAction } from './campaign.entity.js';
import { problemField } from './campaign.errors.js';
import { type CampaignContent, contentChanges } from './campaign.revision.js';
import { nextStatus, WORKFLOW, type WorkflowAction } from './campaign.workflow.js';

const S = CampaignStatus;
const A = TransitionAction;

describe('campaign workflow', () => {
  const all = Object.values(S);
  const expected: Record<WorkflowAction, Partial<Record<CampaignStatus, CampaignStatus>>> = {
    [A.SUBMIT]: { DRAFT: S.IN_REVIEW },
    [A.APPROVE]: { IN_REVIEW: S.APPROVED },
    [A.REJECT]: { IN_REVIEW: S.DRAFT },
    [A.PUBLISH]: { APPROVED: S.LIVE },
    [A.PAUSE]: { LIVE: S.PAUSED },
    [A.RESUME]: { PAUSED: S.LIVE },
    [A.END]: { APPROVED: S.ENDED, LIVE: S.ENDED, PAUSED: S.ENDED },
    [A.ARCHIVE]: { DRAFT: S.ARCHIVED, ENDED: S.ARCHIVED },
  };
  const cases = (Object.keys(WORKFLOW) as WorkflowAction[]).flatMap((action) =>
    all.map((from) => [action, from, expected[action][from] ?? 'CONFLICT'] as const),
  );

  it.each(cases)('%s from %s → %s', (action, from, to) => {
    if (to === 'CONFLICT') {
      expect(() => nextStatus(action, from)).toThrow(DomainError);
      try {
        nextStatus(action, from);
      } catch (err) {
        expect((err as DomainError).code).toBe('CONFLICT');
      }
    } else {
      expect(nextStatus(action, from)).toBe(to);
    }
  });

  const live: CampaignContent = {
    priority: 0,
    weight: 1,
    schedule: { dayparts: [{ days: ['MON'], from: '09:00', to: '17:00' }] },
    targeting: { include: [{ kind: 'DISPLAY_TAG', value: 'window' }], exclude: [] },
    creativeIds: ['c1', 'c2'],
  };
  it.each<[string, Partial<CampaignContent>, string[]]>([
    ['nothing', {}, []],
    [
      'keys meaning none, as an edit writes them',
      { schedule: { ...live.schedule, startDate: null, maxPlaysPerHour: null } },
      [],
    ],
    ['an hour more', { schedule: { dayparts: [{ days: ['MON'], from: '09:00', to: '18:00' }] } }, ['SCHEDULE']],
    ['priority and weight', { priority: 10, weight: 2 }, ['PRIORITY', 'WEIGHT']],
    ['creative order', { creativeIds: ['c2', 'c1'] }, ['CREATIVES']],
    [
      'an exclude rule',
      { targeting: { ...live.targeting, exclude: [{ kind: 'ORIENTATION', value: 'PORTRAIT' }] } },
      ['TARGETING'],
    ],
  ])('a revision changing %s differs from the live version in %j', (_, edit, changes) => {
    expect(contentChanges(live, { ...live, ...edit })).toEqual(changes);
  });

  it.each([
    ['dayparts[0].from "25:00" is not HH:MM (00:00–23:59)', 'schedule.dayparts[0].from'],
    ['endDate 2026-01-01 is before startDate 2026-05-02', 'schedule.endDate'],
    ['endsAt must be after startsAt', 'schedule.endsAt'],
    ['targeting.include[2] orientation "X" is not LANDSCAPE or PORTRAIT', 'targeting.include[2]'],
    ['weight must be a positive integer', 'weight'],
    ['maxPlaysPerHour must be a positive integer', 'schedule.maxPlaysPerHour'],
  ])('reports engine problem "%s" on %s', (problem, field) => {
    expect(problemField(problem)).toBe(field);
  });
});
