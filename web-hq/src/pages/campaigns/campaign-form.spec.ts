import { describe, expect, it } from 'vitest';
import {
  campaignInput,
  formErrorsFromFields,
  formFromCampaign,
  fromLocalInput,
  newForm,
  toLocalInput,
  validateForm,
} from './campaign-form';
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
      targeting: { include: [{ kind: 'DISPLAY_TAG', value: 'window' }], exclude: [], queue: [], layoutRegion: null },
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
      targeting: { include: [{ kind: 'REGION', value: 'r1' }], exclude: [], queue: [], layoutRegion: 'side' },
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

describe('queue conditions in the form', () => {
  const LINE = '0b7c5a52-3f1e-4d8a-9c51-2b7e6f3a9d10';
  const campaign = {
    name: 'Busy',
    priority: 1,
    weight: 1,
    schedule: { dayparts: [] },
    targeting: {
      include: [],
      exclude: [],
      queue: [
        { lineId: null, minWaiting: 5, minWaitMinutes: null, __typename: 'QueueCondition' },
        { lineId: LINE, minWaiting: 3, minWaitMinutes: 12, __typename: 'QueueCondition' },
      ],
      layoutRegion: null,
    },
    creativeIds: [],
  };

  it('sends back every condition read with the campaign, a specific line included, without __typename', () => {
    const form = formFromCampaign(campaign);
    expect(form.queue).toEqual([
      { lineId: null, minWaiting: '5', minWaitMinutes: '' },
      { lineId: LINE, minWaiting: '3', minWaitMinutes: '12' },
    ]);
    expect(validateForm(form)).toEqual({});
    expect(campaignInput(form).targeting.queue).toEqual([
      { lineId: null, minWaiting: 5, minWaitMinutes: null },
      { lineId: LINE, minWaiting: 3, minWaitMinutes: 12 },
    ]);
  });

  it('sends a changed threshold, and an empty list when the campaign has none', () => {
    const form = formFromCampaign(campaign);
    const edited = { ...form, name: 'Busier', queue: [{ ...form.queue[0]!, minWaitMinutes: ' 10 ' }, form.queue[1]!] };
    expect(campaignInput(edited).targeting.queue[0]).toEqual({ lineId: null, minWaiting: 5, minWaitMinutes: 10 });
    expect(
      campaignInput(formFromCampaign({ ...campaign, targeting: { include: [], exclude: [] } })).targeting.queue,
    ).toEqual([]);
  });

  it('puts each problem under its field, as the subgraph states the rules', () => {
    const form = formFromCampaign(campaign);
    const queue = [
      { lineId: null, minWaiting: '', minWaitMinutes: '' },
      { lineId: LINE, minWaiting: '0', minWaitMinutes: '2.5' },
      { lineId: null, minWaiting: '100001', minWaitMinutes: '-1' },
    ];
    expect(validateForm({ ...form, queue })).toEqual({
      'queue.0': 'Set people waiting, the wait in minutes, or both.',
      'queue.1.minWaiting': 'Enter a whole number from 1 to 100,000, or leave it empty.',
      'queue.1.minWaitMinutes': 'Enter a whole number from 1 to 100,000, or leave it empty.',
      'queue.2.minWaiting': 'Enter a whole number from 1 to 100,000, or leave it empty.',
      'queue.2.minWaitMinutes': 'Enter a whole number from 1 to 100,000, or leave it empty.',
    });
    const eleven = Array.from({ length: 11 }, () => ({ lineId: null, minWaiting: '1', minWaitMinutes: '' }));
    expect(validateForm({ ...form, queue: eleven })).toEqual({ queue: 'Use at most 10 queue conditions.' });
  });

  it('maps the graph’s field paths for queue conditions onto the form', () => {
    expect(
      formErrorsFromFields({
        'targeting.queue.1.minWaitMinutes': 'minWaitMinutes must not be less than 1',
        'targeting.queue[0]': 'queueConditions[0] sets neither minWaiting nor minWaitMinutes',
        'targeting.queue': 'queue must contain no more than 10 elements',
        'input.name': 'name should not be empty',
        'input.targeting.queue.2.minWaiting': 'minWaiting must be an integer number',
        'schedule.dayparts': 'dayparts overlap',
      }),
    ).toEqual({
      'queue.1.minWaitMinutes': 'minWaitMinutes must not be less than 1',
      'queue.0': 'queueConditions[0] sets neither minWaiting nor minWaitMinutes',
      queue: 'queue must contain no more than 10 elements',
      name: 'name should not be empty',
      'queue.2.minWaiting': 'minWaiting must be an integer number',
      grid: 'dayparts overlap',
    });
  });
});
