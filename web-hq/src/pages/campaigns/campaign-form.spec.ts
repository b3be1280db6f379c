import { describe, expect, it } from 'vitest';
import { campaignInput, formFromCampaign, fromLocalInput, newForm, toLocalInput, validateForm } from './campaign-form';
import { paint, emptyGrid } from './daypart-grid';
import { addRule } from './targeting';

describe(validateForm.name, () => {
  it('asks for a name, whole numbers, ordered dates and at least one hour', () => {
    const form = { ...newForm(), priority: '1.5', weight: '0', startDate: '2026-05-02', endDate: '2026-05-01' };
    expect(validateForm({ ...form, allDay: false, grid: emptyGrid() })).toEqual({
      name: 'Enter a name.',
      priority: 'Enter a whole number.',
      weight: 'Enter a whole number of at least 1.',
      endDate: 'The end date is before the start date.',
      grid: 'Select at least one hour, or choose “All day, every day”.',
    });
    expect(validateForm({ ...newForm(), name: 'Spring' })).toEqual({});
    expect(validateForm({ ...newForm(), name: 'Spring' }, { storeRequired: true })).toHaveProperty('storeId');
  });
});

describe(campaignInput.name, () => {
  it('builds the schedule from the grid and the targeting without __typename', () => {
    const form = {
      ...newForm(),
      name: ' Spring ',
      priority: '5',
      allDay: false,
      grid: paint(emptyGrid(), { day: 0, hour: 9 }, { day: 4, hour: 16 }, true),
      targeting: addRule({ include: [], exclude: [] }, 'include', { kind: 'DISPLAY_TAG' as const, value: 'window' }),
      creativeIds: ['c1'],
    };
    expect(campaignInput(form)).toEqual({
      name: 'Spring',
      description: null,
      priority: 5,
      weight: 1,
      schedule: {
        startDate: null,
        endDate: null,
        startsAt: null,
        endsAt: null,
        dayparts: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '09:00', to: '17:00' }],
        maxPlaysPerHour: null,
      },
      targeting: { include: [{ kind: 'DISPLAY_TAG', value: 'window' }], exclude: [], layoutRegion: null },
      creativeIds: ['c1'],
    });
  });

  it('round-trips a campaign from the graph', () => {
    const campaign = {
      name: 'Autumn',
      description: 'Leaves',
      storeId: null,
      priority: 2,
      weight: 3,
      schedule: {
        startDate: '2026-09-01',
        endDate: '2026-11-30',
        startsAt: '2026-09-01T08:30:00.000Z',
        endsAt: '2026-11-30T17:00:00.000Z',
        dayparts: [{ days: ['SAT' as const, 'SUN' as const], from: '10:00', to: '18:00' }],
        maxPlaysPerHour: 6,
      },
      targeting: {
        include: [{ kind: 'REGION' as const, value: 'r1', __typename: 'TargetingRule' }],
        exclude: [],
        layoutRegion: 'side',
      },
      creativeIds: ['c1', 'c2'],
    };
    expect(campaignInput(formFromCampaign(campaign))).toEqual({
      name: 'Autumn',
      description: 'Leaves',
      priority: 2,
      weight: 3,
      schedule: { ...campaign.schedule },
      targeting: { include: [{ kind: 'REGION', value: 'r1' }], exclude: [], layoutRegion: 'side' },
      creativeIds: ['c1', 'c2'],
    });
  });

  it('keeps exact start and end instants, and refuses an end that is not after the start', () => {
    const form = { ...newForm(), name: 'Launch', startsAt: '2026-12-01T09:30', endsAt: '2026-12-01T09:30' };
    expect(validateForm(form).endsAt).toBe('The end is not after the start.');
    const ok = { ...form, endsAt: '2026-12-24T18:00' };
    expect(validateForm(ok).endsAt).toBeUndefined();
    const input = campaignInput(ok).schedule;
    expect(input.startsAt).toBe(new Date('2026-12-01T09:30').toISOString());
    expect(input.endsAt).toBe(new Date('2026-12-24T18:00').toISOString());
    expect(validateForm({ ...form, startsAt: '2026-12-01' }).endsAt).toBe('Enter a date and a time.');
    expect(toLocalInput(fromLocalInput('2026-12-01T09:30'))).toBe('2026-12-01T09:30');
    expect(campaignInput(newForm()).schedule).toMatchObject({ startsAt: null, endsAt: null });
  });
});
