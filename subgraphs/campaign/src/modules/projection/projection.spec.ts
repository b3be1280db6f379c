import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCampaignId, demoDisplayId, demoStoreId } from '../../demo/demo-data.js';
import { LocationTopic } from '../../events.js';
import { playlistOf } from '../../testing/campaigns.js';
import { displayEvent, storeEvent } from '../../testing/fleet.js';
import { startCampaign, type CampaignHarness } from '../../testing/harness.js';
import { LocationProjection } from './projection.service.js';

const NEW_DISPLAY = '00000000-0000-4000-8000-0000000d1f01';

describe(LocationProjection.name, () => {
  let h: CampaignHarness;
  let admin: string;

  beforeAll(async () => {
    h = await startCampaign();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
  });
  afterAll(() => h?.stop());

  const publishDisplay = (value: unknown, key = NEW_DISPLAY) =>
    h.infra.bus.publish(LocationTopic.display, [{ key, value }]);
  const publishStore = (value: unknown, key: string) => h.infra.bus.publish(LocationTopic.store, [{ key, value }]);
  const campaignsOn = async (displayId: string) =>
    (await playlistOf(h, admin, displayId)).items.map((i) => i.campaignId);

  it('learns a new display and resolves it with its store’s facts', async () => {
    await publishDisplay(displayEvent(4, 3, { id: NEW_DISPLAY }));
    await h.waitForFleet(25);
    // Store 4 is a flagship: the flagship campaign plays on its new entrance screen.
    expect(await campaignsOn(NEW_DISPLAY)).toContain(demoCampaignId(2));
  });

  it('follows a display to another store', async () => {
    await publishDisplay(displayEvent(2, 3, { id: NEW_DISPLAY }));
    await waitFor(async () => !(await campaignsOn(NEW_DISPLAY)).includes(demoCampaignId(2)), {
      message: 'the flagship campaign to leave the moved display',
    });
  });

  it('applies store tag changes to every display of the store', async () => {
    await publishStore(storeEvent(3, { tags: ['flagship'] }), demoStoreId(3));
    await waitFor(async () => (await campaignsOn(demoDisplayId(3, 3))).includes(demoCampaignId(2)), {
      message: 'store 3 to become a flagship',
    });
    expect(await campaignsOn(demoDisplayId(3, 4))).toContain(demoCampaignId(2));
    await publishStore(storeEvent(3), demoStoreId(3));
    await waitFor(async () => !(await campaignsOn(demoDisplayId(3, 3))).includes(demoCampaignId(2)));
  });

  it('ignores an event older than what it has applied', async () => {
    const stale = displayEvent(2, 3, { id: NEW_DISPLAY, tags: ['window'] });
    stale.occurredAt = '2020-01-01T00:00:00.000Z';
    await publishDisplay(stale);
    // A later, newer event proves the stale one was processed (per-key order) and not applied.
    await publishDisplay(displayEvent(2, 3, { id: NEW_DISPLAY, tags: ['entrance', 'promo'] }));
    await waitFor(async () => (await campaignsOn(NEW_DISPLAY)).length > 0);
    expect(await campaignsOn(NEW_DISPLAY)).not.toContain(demoCampaignId(3));
  });

  it('skips malformed events without stopping', async () => {
    await publishDisplay({ type: 'DisplayUpserted', display: { id: 'nope' } });
    await publishDisplay(displayEvent(2, 3, { id: NEW_DISPLAY, archivedAt: new Date().toISOString() }));
    await h.waitForFleet(24);
    const res = await h.gql(`query($d: ID!) { displayPlaylist(displayId: $d) { version } }`, { d: NEW_DISPLAY }, admin);
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('drops the displays of an archived store', async () => {
    await publishStore(storeEvent(6, { archivedAt: new Date().toISOString() }), demoStoreId(6));
    await h.waitForFleet(20);
    const res = await h.gql(
      `query($d: ID!) { displayPlaylist(displayId: $d) { version } }`,
      { d: demoDisplayId(6, 3) },
      admin,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
