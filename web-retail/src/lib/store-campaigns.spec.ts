import { describe, expect, it } from 'vitest';
import { actionsFor, draftProblems, editable, type CampaignDraft } from './store-campaigns';

describe(actionsFor.name, () => {
  it.each([
    ['DRAFT', ['submit', 'archive']],
    ['IN_REVIEW', []],
    ['APPROVED', ['publish', 'end']],
    ['LIVE', ['pause', 'end']],
    ['PAUSED', ['resume', 'end']],
    ['ENDED', ['archive']],
    ['ARCHIVED', []],
  ] as const)('%s → %j (never approve or reject)', (status, actions) => {
    expect(actionsFor(status)).toEqual(actions);
    expect(editable(status)).toBe(status === 'DRAFT' || status === 'IN_REVIEW');
  });
});

describe(draftProblems.name, () => {
  const ok: CampaignDraft = {
    name: 'Coats',
    description: '',
    creativeIds: ['c1'],
    startDate: '2026-06-01',
    endDate: '2026-06-30',
    headline: '',
    body: '',
    ctaLabel: '',
    ctaUrl: '',
  };
  it('accepts a named campaign with a creative and no offer page', () => {
    expect(draftProblems(ok)).toEqual({});
  });
  it('names each problem by field', () => {
    expect(
      draftProblems({ ...ok, name: ' ', creativeIds: [], endDate: '2026-05-01', body: 'x', ctaUrl: 'https://a.b' }),
    ).toEqual({
      name: 'Give the campaign a name.',
      creativeIds: 'Choose at least one creative to play.',
      endDate: 'It must end on or after its first day.',
      ctaUrl: 'Give both the button’s words and its link, or neither.',
      headline: 'An offer page needs a headline.',
    });
    expect(draftProblems({ ...ok, headline: 'h', ctaLabel: 'Go', ctaUrl: 'http://a.b' }).ctaUrl).toBe(
      'The link must start with https://',
    );
  });
});
