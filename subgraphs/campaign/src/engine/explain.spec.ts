import { describe, expect, it } from 'vitest';

import { compileCampaigns } from './compile.js';
import { explain } from './explain.js';
import { aCampaign, aDisplay, anOverride, aTakeover } from './fixtures.js';
import type { Campaign, ExplainCheckName, Interruption } from './types.js';

const AT = new Date('2026-06-10T10:00:00Z'); // WED 11:00 in London (BST)

const explainIn = (campaign: Campaign, others: Campaign[] = [], overrides: Interruption[] = [], at = AT) =>
  explain(aDisplay(), campaign, at, { campaigns: [campaign, ...others], overrides });

const verdicts = (checks: readonly { check: ExplainCheckName; pass: boolean }[]) =>
  Object.fromEntries(checks.map((c) => [c.check, c.pass]));

describe(explain.name, () => {
  it('passes every check of a playing campaign and says so', () => {
    const explanation = explainIn(aCampaign('A'));
    expect(explanation).toMatchObject({ eligible: true, playing: true, displayId: 'd1', campaignId: 'A' });
    expect(explanation.checks.every((c) => c.pass)).toBe(true);
    expect(explanation.checks.map((c) => c.check)).toEqual([
      'VALIDITY',
      'STATUS',
      'TENANT',
      'STORE',
      'TARGETING',
      'STORE_PAUSE',
      'CREATIVES',
      'DATE_RANGE',
      'ACTIVE_WINDOW',
      'DAYPART',
      'OVERRIDE',
      'PRIORITY',
    ]);
    expect(explanation.storeLocalTime).toBe('WED 2026-06-10 11:00 Europe/London (UTC+01:00)');
    expect(explanation.summary).toBe(
      'Campaign "Campaign A" (A) plays on display d1 at 2026-06-10T10:00:00.000Z: 1 of 1 items in the loop.',
    );
  });

  it.each<[string, Campaign, Campaign[], Interruption[], ExplainCheckName, RegExp]>([
    [
      'status',
      aCampaign('A', { status: 'PAUSED' }),
      [],
      [],
      'STATUS',
      /^Status is PAUSED; only LIVE campaigns play\.$/,
    ],
    [
      'tenant',
      aCampaign('A', { tenantId: 't2' }),
      [],
      [],
      'TENANT',
      /belongs to tenant t2, the display to tenant t1; tenants never mix/,
    ],
    [
      'store-local elsewhere',
      aCampaign('A', { storeId: 's2' }),
      [],
      [],
      'STORE',
      /store s2; the display is in store s1/,
    ],
    [
      'include rules',
      aCampaign('A', {
        targeting: {
          include: [
            { kind: 'REGION', value: 'r2' },
            { kind: 'REGION', value: 'r3' },
          ],
          exclude: [],
        },
      }),
      [],
      [],
      'TARGETING',
      /no REGION rule \(r2, r3\) matches the display's REGION \(r1\)/,
    ],
    [
      'exclude rules',
      aCampaign('A', {
        targeting: { include: [{ kind: 'REGION', value: 'r1' }], exclude: [{ kind: 'DISPLAY_TAG', value: 'window' }] },
      }),
      [],
      [],
      'TARGETING',
      /^Excluded by rule DISPLAY_TAG = window although included; exclude beats include\.$/,
    ],
    ['store pause', aCampaign('A', { pausedStoreIds: ['s1'] }), [], [], 'STORE_PAUSE', /Paused locally by store s1/],
    ['creatives', aCampaign('A', { creatives: [] }), [], [], 'CREATIVES', /no creatives/],
    [
      'date range ended',
      aCampaign('A', { schedule: { startDate: '2026-05-01', endDate: '2026-06-09' } }),
      [],
      [],
      'DATE_RANGE',
      /from 2026-05-01 through 2026-06-09 .*store-local date is 2026-06-10, it has ended/,
    ],
    [
      'date range not started',
      aCampaign('A', { schedule: { startDate: '2026-06-11' } }),
      [],
      [],
      'DATE_RANGE',
      /from 2026-06-11 .*it has not started/,
    ],
    [
      'absolute end',
      aCampaign('A', { schedule: { endsAt: new Date('2026-06-10T10:00:00Z') } }),
      [],
      [],
      'ACTIVE_WINDOW',
      /until 2026-06-10T10:00:00.000Z \(exclusive\); .* it has ended/,
    ],
    [
      'daypart',
      aCampaign('A', {
        schedule: {
          dayparts: [
            { days: ['MON', 'TUE'], from: '09:00', to: '17:00' },
            { days: ['FRI'], from: '22:00', to: '02:00' },
          ],
        },
      }),
      [],
      [],
      'DAYPART',
      /^Store-local time WED 2026-06-10 11:00 Europe\/London \(UTC\+01:00\) is outside every daypart \(MON,TUE 09:00–17:00; FRI 22:00–02:00 \(into the next day\)\)\.$/,
    ],
    [
      'override',
      aCampaign('A'),
      [],
      [anOverride('o1', '2026-06-10T09:00:00Z', '2026-06-10T13:00:00Z', '2026-06-10T08:00:00Z')],
      'OVERRIDE',
      /Emergency override o1 owns the display until WED 2026-06-10 14:00 Europe\/London \(UTC\+01:00\) \(2026-06-10T13:00:00.000Z\)/,
    ],
    [
      'store takeover',
      aCampaign('A'),
      [],
      [
        anOverride('o1', '2026-06-10T09:00:00Z', '2026-06-10T13:00:00Z', '2026-06-10T09:30:00Z'),
        aTakeover('t1', '2026-06-10T09:00:00Z'),
      ],
      'OVERRIDE',
      /^Emergency takeover t1 of the store owns every display until it is lifted/,
    ],
    [
      'priority',
      aCampaign('A', { priority: 1 }),
      [aCampaign('H', { priority: 7, name: 'Summer sale' })],
      [],
      'PRIORITY',
      /^Outranked by priority 7 campaign "Summer sale" \(H\); its priority is 1/,
    ],
    [
      'cap',
      aCampaign('A', { maxPlaysPerHour: 10 }),
      [],
      [],
      'CAP',
      /maxPlaysPerHour 10 cannot be met: .* 360\.0 plays per hour/,
    ],
    [
      'validity',
      aCampaign('A', { weight: 0 }),
      [],
      [],
      'VALIDITY',
      /invalid, so it never plays: weight must be a positive integer/,
    ],
  ])('reports a failing %s check', (_name, campaign, others, overrides, failing, message) => {
    const explanation = explainIn(campaign, others, overrides);
    const check = explanation.checks.find((c) => c.check === failing);
    expect(check?.pass).toBe(false);
    expect(check?.message).toMatch(message);
    expect(explanation.checks.filter((c) => !c.pass).map((c) => c.check)).toEqual(
      failing === 'CAP' ? ['CAP'] : [failing],
    );
    expect(explanation.playing).toBe(failing === 'CAP');
    if (failing !== 'CAP')
      expect(explanation.summary).toContain(
        `does not play on display d1 at 2026-06-10T10:00:00.000Z: ${check?.message}`,
      );
  });

  it('names the excluding rule and the outranking campaign in structured form', () => {
    const excluded = explainIn(
      aCampaign('A', { targeting: { include: [], exclude: [{ kind: 'STORE_TAG', value: 'flagship' }] } }),
    );
    expect(excluded.checks.find((c) => c.check === 'TARGETING')?.rule).toEqual({
      kind: 'STORE_TAG',
      value: 'flagship',
    });
    const outranked = explainIn(aCampaign('A'), [aCampaign('H', { priority: 3 })]);
    expect(outranked.checks.find((c) => c.check === 'PRIORITY')?.outrankedBy).toEqual({
      campaignId: 'H',
      name: 'Campaign H',
      priority: 3,
    });
  });

  it('reports every failing check at once', () => {
    const campaign = aCampaign('A', {
      status: 'PAUSED',
      pausedStoreIds: ['s1'],
      schedule: { dayparts: [{ days: ['SAT'], from: '09:00', to: '17:00' }] },
    });
    expect(verdicts(explainIn(campaign).checks)).toMatchObject({
      STATUS: false,
      STORE_PAUSE: false,
      DAYPART: false,
      OVERRIDE: true,
    });
    expect(explainIn(campaign).checks.some((c) => c.check === 'PRIORITY')).toBe(false);
  });

  it('says when a cap dropped turns while the campaign still plays', () => {
    const explanation = explainIn(aCampaign('A', { weight: 3, maxPlaysPerHour: 200 }), [aCampaign('B')]);
    expect(explanation.playing).toBe(true);
    expect(explanation.checks.find((c) => c.check === 'CAP')).toEqual({
      check: 'CAP',
      pass: true,
      message:
        'Capped by maxPlaysPerHour 200: keeps 1 of 3 turns per cycle, 180.0 plays per hour (1 item plays in a 20.0 s loop).',
    });
  });

  it('names the moment that made a visitor-targeted campaign play, and what it waits for otherwise', () => {
    const campaign = aCampaign('A', {
      targeting: {
        include: [{ kind: 'SEGMENT', value: 'vip' }],
        exclude: [{ kind: 'PROXIMITY_ZONE', value: 'mist-7' }],
      },
    });
    const none = explainIn(campaign);
    expect(none.playing).toBe(false);
    expect(none.checks.find((c) => c.check === 'VISITOR_TARGETING')).toEqual({
      check: 'VISITOR_TARGETING',
      pass: false,
      message:
        "Visitor rules (SEGMENT vip, PROXIMITY_ZONE mist-7) wait for a visitor of segment vip in the display's zone (z1) or store-wide; the store has no live presence moment.",
      rule: { kind: 'SEGMENT', value: 'vip' },
    });
    const expiresAt = new Date(AT.getTime() + 60_000);
    const display = aDisplay({
      moments: [{ momentId: 'mo-1', source: 'CHECK_IN', zoneId: null, segmentKeys: ['vip'], expiresAt }],
    });
    const live = explain(display, campaign, AT, { campaigns: [], overrides: [] });
    expect(live.playing).toBe(true);
    expect(live.checks.find((c) => c.check === 'VISITOR_TARGETING')).toEqual({
      check: 'VISITOR_TARGETING',
      pass: true,
      message:
        'Visitor rules (SEGMENT vip, PROXIMITY_ZONE mist-7) hold thanks to moment mo-1 (CHECK_IN, store-wide, segments vip, until 2026-06-10T10:01:00.000Z).',
    });
    const excluded = explain(
      aDisplay({
        moments: [
          { momentId: 'mo-1', source: 'CHECK_IN', zoneId: null, segmentKeys: ['vip'], expiresAt },
          { momentId: 'mo-2', source: 'PROXIMITY', zoneId: 'mist-7', segmentKeys: [], expiresAt },
        ],
      }),
      campaign,
      AT,
      { campaigns: [], overrides: [] },
    );
    expect(excluded.playing).toBe(false);
    expect(excluded.checks.find((c) => c.check === 'VISITOR_TARGETING')?.message).toBe(
      'Excluded by rule PROXIMITY_ZONE = mist-7 while moment mo-2 (PROXIMITY, zone mist-7, until 2026-06-10T10:01:00.000Z) lasts.',
    );
  });

  it.each([
    ['2026-10-25T00:30:00Z', true, 'SUN 2026-10-25 01:30 Europe/London (UTC+01:00)'],
    ['2026-10-25T01:10:00Z', true, 'SUN 2026-10-25 01:10 Europe/London (UTC+00:00)'],
    ['2026-10-25T03:00:00Z', false, 'SUN 2026-10-25 03:00 Europe/London (UTC+00:00)'],
  ])('shows the store-local time with its offset around a DST change (%s)', (at, pass, local) => {
    const campaign = aCampaign('A', { schedule: { dayparts: [{ days: ['SUN'], from: '01:30', to: '03:00' }] } });
    const explanation = explainIn(campaign, [], [], new Date(at));
    expect(explanation.storeLocalTime).toBe(local);
    const daypart = explanation.checks.find((c) => c.check === 'DAYPART');
    expect(daypart?.pass).toBe(pass);
    expect(daypart?.message).toContain(
      `Store-local time ${local} is ${pass ? 'inside daypart SUN 01:30–03:00' : 'outside'}`,
    );
  });

  it('explains an edited campaign against a compiled index holding its older version', () => {
    const index = compileCampaigns([aCampaign('A'), aCampaign('B', { priority: 2 })]);
    const edited = aCampaign('A', { priority: 5 });
    const explanation = explain(aDisplay(), edited, AT, { campaigns: index, overrides: [] });
    expect(explanation.playing).toBe(true);
    expect(explanation.checks.find((c) => c.check === 'PRIORITY')?.message).toBe(
      'Highest eligible priority (5), alone in its tier.',
    );
  });
});
