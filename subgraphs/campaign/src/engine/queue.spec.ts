import { describe, expect, it } from 'vitest';
import { validateCampaign } from './compile.js';
import { explain } from './explain.js';
import { aCampaign, aDisplay, campaignIds } from './fixtures.js';
import { queueConditionsHold } from './queue.js';
import { resolvePlaylist } from './resolve.js';
import type { QueueCondition, QueueLineState } from './types.js';

const AT = new Date('2026-06-10T10:00:00Z');
const L1 = '00000000-0000-4000-8000-0000000000a1';
const L2 = '00000000-0000-4000-8000-0000000000a2';
const line = (
  lineId: string,
  waiting: number,
  estimatedWaitMinutes: number | null = 5,
  open = true,
): QueueLineState => ({
  lineId,
  open,
  waiting,
  estimatedWaitMinutes,
});

describe('queue conditions (context marketing)', () => {
  it.each<[string, QueueCondition[], QueueLineState[], boolean]>([
    ['no condition always holds', [], [], true],
    ['no line reported yet', [{ lineId: L1, minWaiting: 5 }], [], false],
    ['waiting below the threshold', [{ lineId: L1, minWaiting: 5 }], [line(L1, 4)], false],
    ['waiting at the threshold', [{ lineId: L1, minWaiting: 5 }], [line(L1, 5)], true],
    [
      'another line long does not count for a named line',
      [{ lineId: L1, minWaiting: 5 }],
      [line(L1, 1), line(L2, 9)],
      false,
    ],
    ['any line of the store', [{ minWaiting: 5 }], [line(L1, 1), line(L2, 9)], true],
    ['a closed line meets nothing', [{ lineId: L1, minWaiting: 1 }], [line(L1, 9, null, false)], false],
    ['estimated wait at the threshold', [{ lineId: L1, minWaitMinutes: 15 }], [line(L1, 3, 15)], true],
    [
      'unknown estimate does not meet a wait threshold',
      [{ lineId: L1, minWaitMinutes: 1 }],
      [line(L1, 3, null)],
      false,
    ],
    ['both thresholds must hold', [{ lineId: L1, minWaiting: 5, minWaitMinutes: 20 }], [line(L1, 9, 10)], false],
    [
      'one of several conditions is enough',
      [
        { lineId: L1, minWaiting: 50 },
        { lineId: L2, minWaitMinutes: 10 },
      ],
      [line(L1, 3), line(L2, 3, 12)],
      true,
    ],
  ])('%s', (_name, conditions, lines, expected) => {
    expect(queueConditionsHold(conditions, aDisplay({ queueLines: lines }))).toBe(expected);
  });

  it('a campaign with a queue condition joins the playlist only while it holds, and outranks while it does', () => {
    const rush = aCampaign('Q', { priority: 10, queueConditions: [{ lineId: L1, minWaiting: 5 }] });
    const base = aCampaign('B');
    const quiet = resolvePlaylist(aDisplay({ queueLines: [line(L1, 2)] }), [rush, base], [], AT);
    const busy = resolvePlaylist(aDisplay({ queueLines: [line(L1, 7)] }), [rush, base], [], AT);
    expect(campaignIds(quiet)).toEqual(['B']);
    expect(campaignIds(busy)).toEqual(['Q']);
    expect(busy.version).not.toBe(quiet.version);
  });

  it('explain names the condition and the line state', () => {
    const rush = aCampaign('Q', { queueConditions: [{ lineId: L1, minWaiting: 5 }] });
    const no = explain(aDisplay({ queueLines: [line(L1, 2)] }), rush, AT, { campaigns: [rush], overrides: [] });
    const check = no.checks.find((c) => c.check === 'QUEUE');
    expect(check?.pass).toBe(false);
    expect(check?.message).toContain(`line ${L1} 2 waiting`);
    expect(no.playing).toBe(false);
    const yes = explain(aDisplay({ queueLines: [line(L1, 6)] }), rush, AT, { campaigns: [rush], overrides: [] });
    expect(yes.checks.find((c) => c.check === 'QUEUE')?.pass).toBe(true);
    expect(yes.playing).toBe(true);
  });

  it.each<[QueueCondition, string]>([
    [{ lineId: L1 }, 'sets neither'],
    [{ lineId: 'nope', minWaiting: 1 }, 'not a line id'],
    [{ minWaiting: 0 }, 'minWaiting is a whole number'],
    [{ minWaitMinutes: 2.5 }, 'minWaitMinutes is a whole number'],
  ])('rejects %j', (condition, problem) => {
    expect(validateCampaign(aCampaign('Q', { queueConditions: [condition] })).join('; ')).toContain(problem);
  });

  it('rejects more than ten conditions', () => {
    const many = Array.from({ length: 11 }, () => ({ minWaiting: 1 }));
    expect(validateCampaign(aCampaign('Q', { queueConditions: many }))).toContain('at most 10 queue conditions');
  });
});
