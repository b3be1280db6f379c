import { queueLineEventV1, type QueueLineEventV1 } from '@phub/contracts';
import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDisplayId, demoStoreId } from '../../demo/demo-data.js';
import { liveCampaign, playlistOf } from '../../testing/campaigns.js';
import { startCampaign, type CampaignHarness } from '../../testing/harness.js';
import { QueueLineProjection, QueueLineTopic } from './queue-line.projection.js';

const SUBSCRIPTION = `subscription($d: ID!) {
  playlistChanged(displayId: $d, current: true) { version playlist { items { campaignId } } }
}`;
interface Change {
  playlistChanged: { version: string; playlist: { items: { campaignId: string | null }[] } };
}

const STORE = demoStoreId(2);
const DISPLAY = demoDisplayId(2, 1);
const OTHER_STORE_DISPLAY = demoDisplayId(4, 1);
const LINE = '00000000-0000-4000-8000-0000000001a1';
let at = Date.parse('2026-06-10T10:00:00Z');

/** Publishes a line state the way the queue does (the contract), a second later than the previous one. */
async function lineState(h: CampaignHarness, state: Partial<QueueLineEventV1> & { waiting: number }) {
  at += 1000;
  const value = queueLineEventV1.schema.parse({
    tenantId: DEMO_TENANT_ID,
    storeId: STORE,
    lineId: LINE,
    open: true,
    estimatedWaitMinutes: state.waiting * 3,
    occurredAt: new Date(at).toISOString(),
    ...state,
  });
  await h.infra.bus.publish(QueueLineTopic, [{ key: LINE, value }]);
}

describe(QueueLineProjection.name, () => {
  let h: CampaignHarness;
  let admin: string;
  let device: string;
  let rush: string;

  beforeAll(async () => {
    h = await startCampaign();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
    device = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.DEVICE], did: DISPLAY, stores: [STORE] });
    rush = await liveCampaign(h, admin, {
      priority: 90,
      targeting: { include: [{ kind: 'STORE', value: STORE }], queue: [{ lineId: LINE, minWaiting: 5 }] },
    });
  });
  afterAll(() => h?.stop());

  const campaignsOn = async (displayId: string) =>
    (await playlistOf(h, admin, displayId)).items.map((i: { campaignId: string | null }) => i.campaignId);

  it('stores and returns the queue condition as part of the targeting', async () => {
    const res = await h.gql<{ campaign: { targeting: { queue: unknown[] } } }>(
      `query($id: ID!) { campaign(id: $id) { targeting { queue { lineId minWaiting minWaitMinutes } } } }`,
      { id: rush },
      admin,
    );
    expect(res.data!.campaign.targeting.queue).toEqual([{ lineId: LINE, minWaiting: 5, minWaitMinutes: null }]);
  });

  it('a long queue switches the store’s displays through playlistChanged, and a short one switches them back', async () => {
    expect(await campaignsOn(DISPLAY)).not.toContain(rush);
    const sub = h.subscribe<Change>(SUBSCRIPTION, { d: DISPLAY }, device);
    try {
      // The current playlist comes first: from here on the subscription is listening.
      const current = await sub.next();
      expect(current.data!.playlistChanged.playlist.items.map((i) => i.campaignId)).not.toContain(rush);
      await lineState(h, { waiting: 3 });
      await lineState(h, { waiting: 6 });
      const long = await sub.next();
      expect(long.errors).toBeUndefined();
      expect(long.data!.playlistChanged.playlist.items.map((i) => i.campaignId)).toEqual([rush]);
      expect(await campaignsOn(DISPLAY)).toEqual([rush]);
      // Another store's displays are not touched by this line.
      expect(await campaignsOn(OTHER_STORE_DISPLAY)).not.toContain(rush);
      await lineState(h, { waiting: 2 });
      const short = await sub.next();
      expect(short.data!.playlistChanged.playlist.items.map((i) => i.campaignId)).not.toContain(rush);
      // The line closing with people still waiting does not count as a long queue.
      await lineState(h, { waiting: 9, open: false, estimatedWaitMinutes: null });
      await h.settled();
      expect(await campaignsOn(DISPLAY)).not.toContain(rush);
    } finally {
      await sub.close();
    }
  });

  it('follows a change of the line’s settings (no ticket as its cause): archived, or closed by new hours', async () => {
    const settings = { name: 'Returns', timezone: 'Europe/London', staffedDesks: 1, parked: 0, called: 0, cause: null };
    await lineState(h, { ...settings, waiting: 8, archived: false, openingHours: [] });
    await h.settled();
    expect(await campaignsOn(DISPLAY)).toEqual([rush]);
    // The manager moves the line's hours to the afternoon: closed now, people still waiting.
    const afternoon = [{ day: 'WED' as const, opens: '14:00', closes: '18:00' }];
    await lineState(h, { ...settings, waiting: 8, open: false, estimatedWaitMinutes: null, openingHours: afternoon });
    await h.settled();
    expect(await campaignsOn(DISPLAY)).not.toContain(rush);
    await lineState(h, { ...settings, waiting: 8, openingHours: [] });
    await h.settled();
    expect(await campaignsOn(DISPLAY)).toEqual([rush]);
    // Archived: never open again, whatever is still waiting.
    await lineState(h, { ...settings, waiting: 8, open: false, archived: true, estimatedWaitMinutes: null });
    await h.settled();
    expect(await campaignsOn(DISPLAY)).not.toContain(rush);
  });

  it('ignores an older state arriving late, and a malformed event', async () => {
    await lineState(h, { waiting: 7 });
    await h.settled();
    expect(await campaignsOn(DISPLAY)).toEqual([rush]);
    const late = queueLineEventV1.schema.parse({
      tenantId: DEMO_TENANT_ID,
      storeId: STORE,
      lineId: LINE,
      open: true,
      waiting: 0,
      estimatedWaitMinutes: 0,
      occurredAt: new Date(at - 60_000).toISOString(),
    });
    await h.infra.bus.publish(QueueLineTopic, [
      { key: LINE, value: late },
      { key: LINE, value: { lineId: 'x' } },
    ]);
    await h.settled();
    expect(await campaignsOn(DISPLAY)).toEqual([rush]);
  });

  it('explains why the campaign does not play while the queue is short', async () => {
    await lineState(h, { waiting: 1 });
    await h.settled();
    const res = await h.gql<{ explainPlaylist: { checks: { check: string; pass: boolean; message: string }[] } }>(
      `query($d: ID!, $c: ID!) { explainPlaylist(displayId: $d, campaignId: $c) { checks { check pass message } } }`,
      { d: DISPLAY, c: rush },
      admin,
    );
    const queue = res.data?.explainPlaylist.checks.find((c) => c.check === 'QUEUE');
    expect(queue).toMatchObject({ pass: false });
    expect(queue?.message).toContain('1 waiting');
  });

  it('rejects a queue condition without a threshold, with the field named', async () => {
    const res = await h.gql(
      `mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }`,
      { i: { name: 'No threshold', creativeIds: [], targeting: { queue: [{ lineId: LINE }] } } },
      admin,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(res.errors?.[0]?.extensions)).toContain('targeting.queue[0]');
  });
});
