import { randomUUID } from 'node:crypto';
import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { ManualClock } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStoreId } from '../../demo/demo-data.js';
import { act, createCampaign, liveCampaign } from '../../testing/campaigns.js';
import { startCampaign, type CampaignHarness, type GraphQLResponse } from '../../testing/harness.js';
import { LandingService } from './landing.service.js';

const SET = `mutation($i: SetCampaignLandingInput!) { setCampaignLanding(input: $i) { campaignId headline body ctaLabel ctaUrl } }`;
const OFFER = `query($c: ID!) { campaignOffer(campaignId: $c) { campaignId state headline body ctaLabel ctaUrl validUntil } }`;
const SCAN = `mutation($c: ID!) { scanCampaignOffer(campaignId: $c) { state headline } }`;
const SCANS = `query($id: ID!, $from: String!, $to: String!) { campaign(id: $id) {
  landing { headline } landingScanCount landingScans(from: $from, to: $to) { day scans } } }`;

const codeOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.code;

describe(LandingService.name, () => {
  let h: CampaignHarness;
  const clock = new ManualClock(Date.parse('2026-06-01T10:00:00Z'));
  let admin: string;
  let editor: string;
  let manager: string;
  let otherManager: string;
  let staff: string;

  beforeAll(async () => {
    h = await startCampaign({ clock });
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
    editor = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_EDITOR], sub: randomUUID() });
    manager = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.STORE_MANAGER], stores: [demoStoreId(1)] });
    otherManager = await h.issuer.token({
      tid: DEMO_TENANT_ID,
      roles: [Role.STORE_MANAGER],
      stores: [demoStoreId(2)],
    });
    staff = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.STORE_STAFF], stores: [demoStoreId(1)] });
  });
  afterAll(() => h?.stop());

  it('is set on a draft, hidden until approval, then shown and counted as scans per day while the offer stands', async () => {
    const id = (await createCampaign(h, editor, { schedule: { endDate: '2026-06-30' } })).data!.createCampaign.id;
    const set = await h.gql(
      SET,
      {
        i: {
          campaignId: id,
          headline: ' 20% off coats ',
          body: 'Until the end of June.',
          ctaLabel: 'Shop',
          ctaUrl: 'https://example.com/coats',
        },
      },
      editor,
    );
    expect(set.errors).toBeUndefined();
    // A draft's page does not exist for visitors, and is not counted.
    expect(codeOf(await h.gql(OFFER, { c: id }))).toBe('NOT_FOUND');
    expect(codeOf(await h.gql(SCAN, { c: id }))).toBe('NOT_FOUND');

    expect((await act(h, editor, 'submitCampaign', id)).errors).toBeUndefined();
    expect((await act(h, admin, 'approveCampaign', id)).errors).toBeUndefined();
    const status = (
      await h.gql<{ campaign: { status: string } }>(`query($id: ID!) { campaign(id: $id) { status } }`, { id }, admin)
    ).data!.campaign.status;
    const offer = await h.gql<{ campaignOffer: Record<string, unknown> }>(OFFER, { c: id });
    expect(offer.errors).toBeUndefined();
    expect(offer.data!.campaignOffer).toEqual({
      campaignId: id,
      state: status === 'LIVE' ? 'AVAILABLE' : 'UPCOMING',
      headline: '20% off coats',
      body: 'Until the end of June.',
      ctaLabel: 'Shop',
      ctaUrl: 'https://example.com/coats',
      validUntil: '2026-06-30',
    });
    if (status !== 'LIVE') expect((await act(h, admin, 'publishCampaign', id)).errors).toBeUndefined();

    // Two scans today, one tomorrow; reading the page alone counts nothing.
    for (let i = 0; i < 2; i++) expect((await h.gql(SCAN, { c: id })).errors).toBeUndefined();
    await h.gql(OFFER, { c: id });
    clock.advance(24 * 3600_000);
    expect((await h.gql<{ scanCampaignOffer: { state: string } }>(SCAN, { c: id })).data!.scanCampaignOffer.state).toBe(
      'AVAILABLE',
    );
    const report = await h.gql<{ campaign: Record<string, unknown> }>(
      SCANS,
      { id, from: '2026-05-01', to: '2026-06-30' },
      admin,
    );
    expect(report.data!.campaign).toEqual({
      landing: { headline: '20% off coats' },
      landingScanCount: 3,
      landingScans: [
        { day: '2026-06-01', scans: 2 },
        { day: '2026-06-02', scans: 1 },
      ],
    });

    // Approved content stays as reviewed; an ended campaign's page says so and counts no more.
    const late = await h.gql(SET, { i: { campaignId: id, headline: 'Something else' } }, editor);
    expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'LANDING_REVIEWED' });
    expect((await act(h, admin, 'endCampaign', id)).errors).toBeUndefined();
    expect((await h.gql<{ scanCampaignOffer: { state: string } }>(SCAN, { c: id })).data!.scanCampaignOffer.state).toBe(
      'ENDED',
    );
    const after = await h.gql<{ campaign: { landingScanCount: number } }>(
      SCANS,
      { id, from: '2026-06-01', to: '2026-06-02' },
      admin,
    );
    expect(after.data!.campaign.landingScanCount).toBe(3);
  });

  it.each([
    ['an unknown campaign', '7b0a8f7e-1111-4111-8111-111111111111'],
    ['a malformed id', 'not-an-id'],
  ])('answers NOT_FOUND for %s', async (_name, id) => {
    expect(codeOf(await h.gql(OFFER, { c: id }))).toBe('NOT_FOUND');
    expect(codeOf(await h.gql(SCAN, { c: id }))).toBe('NOT_FOUND');
  });

  it('follows who may edit the campaign: HQ for tenant-wide ones, the store’s manager for store-local ones', async () => {
    const tenantWide = (await createCampaign(h, admin)).data!.createCampaign.id;
    const local = (await createCampaign(h, manager, { storeId: demoStoreId(1) })).data!.createCampaign.id;
    const landing = (campaignId: string) => ({ i: { campaignId, headline: 'Offer' } });
    expect(codeOf(await h.gql(SET, landing(tenantWide), manager))).toBe('FORBIDDEN');
    expect(codeOf(await h.gql(SET, landing(local), staff))).toBe('FORBIDDEN');
    expect(codeOf(await h.gql(SET, landing(local), otherManager))).toBe('NOT_FOUND');
    expect(codeOf(await h.gql(SET, landing(local)))).toBe('UNAUTHENTICATED');
    expect((await h.gql(SET, landing(local), manager)).errors).toBeUndefined();
    expect((await h.gql(SET, landing(tenantWide), editor)).errors).toBeUndefined();
    const cleared = await h.gql<{ clearCampaignLanding: boolean }>(
      `mutation($c: ID!) { clearCampaignLanding(campaignId: $c) }`,
      { c: local },
      manager,
    );
    expect(cleared.data!.clearCampaignLanding).toBe(true);
  });

  it.each([
    ['an empty headline', { headline: ' ' }, 'BAD_USER_INPUT'],
    ['an http link', { headline: 'x', ctaLabel: 'Go', ctaUrl: 'http://example.com' }, 'BAD_USER_INPUT'],
    ['a link without words', { headline: 'x', ctaUrl: 'https://example.com' }, 'BAD_USER_INPUT'],
  ])('refuses %s', async (_name, input, code) => {
    const id = (await createCampaign(h, admin)).data!.createCampaign.id;
    expect(codeOf(await h.gql(SET, { i: { campaignId: id, ...input } }, admin))).toBe(code);
    const read = await h.gql<{ campaign: { landing: unknown } }>(
      SCANS,
      { id, from: '2026-06-01', to: '2026-06-01' },
      admin,
    );
    expect(read.data!.campaign.landing).toBeNull();
  });

  it('refuses a backwards or too long scan range', async () => {
    const id = await liveCampaign(h, admin);
    for (const [from, to] of [
      ['2026-06-02', '2026-06-01'],
      ['2024-01-01', '2026-06-01'],
      ['June', '2026-06-01'],
    ]) {
      expect(codeOf(await h.gql(SCANS, { id, from, to }, admin))).toBe('BAD_USER_INPUT');
    }
  });
});
