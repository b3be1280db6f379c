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
