import { describe, expect, it } from 'vitest';
import { addRule, describeTargeting, emptyTargeting, removeRule, campaignWhere } from './targeting';

describe(addRule.name, () => {
  it('adds a rule once, trimmed, and moves it out of the other side', () => {
    let t = addRule(emptyTargeting(), 'exclude', { kind: 'DISPLAY_TAG', value: 'window' });
    t = addRule(t, 'include', { kind: 'DISPLAY_TAG', value: ' window ' });
    t = addRule(t, 'include', { kind: 'DISPLAY_TAG', value: 'window' });
    expect(t).toEqual({ include: [{ kind: 'DISPLAY_TAG', value: 'window' }], exclude: [] });
    expect(addRule(t, 'include', { kind: 'STORE_TAG', value: '  ' })).toBe(t);
    expect(removeRule(t, 'include', { kind: 'DISPLAY_TAG', value: 'window' })).toEqual(emptyTargeting());
  });

  it('describes targeting for lists', () => {
    expect(describeTargeting(emptyTargeting())).toBe('Every display');
    expect(
      describeTargeting({
        include: [{ kind: 'DISPLAY_TAG', value: 'window' }],
        exclude: [{ kind: 'ORIENTATION', value: 'LANDSCAPE' }],
      }),
    ).toBe('Display tag window; not Orientation LANDSCAPE');
  });

  it('says when queue conditions hold it back', () => {
    expect(
      describeTargeting({
        include: [{ kind: 'DISPLAY_TAG', value: 'queue' }],
        exclude: [],
        queue: [
          { lineId: null, minWaiting: 5, minWaitMinutes: null },
          { lineId: 'l1', minWaiting: 1, minWaitMinutes: 10 },
        ],
      }),
    ).toBe(
      'Display tag queue; only while the queue is long (any line of the store with at least 5 people waiting, ' +
        'or a specific line with at least 1 person waiting and a wait of at least 10 minutes)',
    );
    expect(describeTargeting({ include: [], exclude: [], queue: [] })).toBe('Every display');
    expect(describeTargeting({ include: [], exclude: [], queue: [{ minWaitMinutes: 1 }] })).toBe(
      'Every display; only while the queue is long (any line of the store with a wait of at least 1 minute)',
    );
  });
});

describe(campaignWhere.name, () => {
  it.each([
    ['a store-local campaign', { store: { name: 'Oxford Street' } }, 'Store-local: Oxford Street'],
    ['no rules at all', { targeting: { include: [], exclude: [] } }, 'Tenant-wide'],
    ['no targeting known', {}, 'Tenant-wide'],
    [
      'regions and a display tag',
      {
        targeting: {
          include: [
            { kind: 'REGION', value: 'r1' },
            { kind: 'REGION', value: 'r2' },
            { kind: 'DISPLAY_TAG', value: 'window' },
          ],
          exclude: [],
        },
      },
      'Targeted: 2 regions, 1 display tag',
    ],
    [
      'an orientation, with an exception',
      {
        targeting: {
          include: [{ kind: 'ORIENTATION', value: 'PORTRAIT' }],
          exclude: [{ kind: 'STORE', value: 's1' }],
        },
      },
      'Targeted: portrait displays; except 1 store',
    ],
    [
      'only exceptions',
      { targeting: { include: [], exclude: [{ kind: 'STORE_TAG', value: 'outlet' }] } },
      'Tenant-wide, except 1 store tag',
    ],
  ] as const)('%s: %s', (_, campaign, expected) => {
    expect(campaignWhere(campaign as Parameters<typeof campaignWhere>[0])).toBe(expected);
  });
});
