import { randomUUID } from 'node:crypto';
import { presenceMomentEventV1, type PresenceMomentEventV1 } from '@phub/contracts';
import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDisplayId, demoStoreId } from '../../demo/demo-data.js';
import { liveCampaign, playlistOf } from '../../testing/campaigns.js';
import { startCampaign, type CampaignHarness } from '../../testing/harness.js';
import { PresenceProjection, PresenceTopic } from './presence.projection.js';

// `current`: the playlist as it is comes first, so the test knows the subscription is open.
const SUBSCRIPTION = `subscription($d: ID!) {
  playlistChanged(displayId: $d, current: true) { version playlist { items { campaignId } } }
}`;
interface Change {
  playlistChanged: { version: string; playlist: { items: { campaignId: string | null }[] } };
}

const STORE = demoStoreId(2);
// Store 2's entrance (zone 1) holds display 3; display 1 stands in the window (zone 2).
const ENTRANCE = `00000000-0000-4000-8000-${`a0${(2 * 16 + 1).toString(16)}`.padStart(12, '0')}`;
const ENTRANCE_DISPLAY = demoDisplayId(2, 3);
const WINDOW_DISPLAY = demoDisplayId(2, 1);

/** Publishes a moment the way proximity and the visitor subgraph do (the contract). */
async function moment(h: CampaignHarness, m: Partial<PresenceMomentEventV1> & { seconds: number }) {
  const now = Date.now();
  const { seconds, ...rest } = m;
  const value = presenceMomentEventV1.schema.parse({
    tenantId: DEMO_TENANT_ID,
    storeId: STORE,
    momentId: randomUUID(),
    source: 'PROXIMITY',
    zoneId: ENTRANCE,
    segmentKeys: [],
    occurredAt: new Date(now).toISOString(),
    expiresAt: new Date(now + seconds * 1000).toISOString(),
    ...rest,
  });
  await h.infra.bus.publish(PresenceTopic, [{ key: STORE, value }]);
  return value;
}

describe(PresenceProjection.name, () => {
  let h: CampaignHarness;
  let admin: string;
  let device: string;
  let welcome: string;
  let gold: string;

  beforeAll(async () => {
    h = await startCampaign();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
    device = await h.issuer.token({
      tid: DEMO_TENANT_ID,
      roles: [Role.DEVICE],
      did: ENTRANCE_DISPLAY,
      stores: [STORE],
    });
    welcome = await liveCampaign(h, admin, {
      priority: 90,
      targeting: {
        include: [
          { kind: 'PROXIMITY_ZONE', value: ENTRANCE },
          { kind: 'ZONE', value: ENTRANCE },
        ],
      },
    });
    gold = await liveCampaign(h, admin, {
      priority: 95,
      targeting: { include: [{ kind: 'SEGMENT', value: 'gold-members' }] },
    });
  });
  afterAll(() => h?.stop());

  const campaignsOn = async (displayId: string) =>
    (await playlistOf(h, admin, displayId)).items.map((i: { campaignId: string | null }) => i.campaignId);

  it('a zone enter switches the zone’s display through playlistChanged and it falls back when the moment expires', async () => {
    expect(await campaignsOn(ENTRANCE_DISPLAY)).not.toContain(welcome);
    const sub = h.subscribe<Change>(SUBSCRIPTION, { d: ENTRANCE_DISPLAY }, device);
    const campaigns = (c: Change) => c.playlistChanged.playlist.items.map((i) => i.campaignId);
    /** The next change that `wanted` accepts (changes the fleet's projection still makes come first, or none). */
    const until = async (wanted: (ids: (string | null)[]) => boolean) => {
      for (;;) {
        const change = await sub.next();
        expect(change.errors).toBeUndefined();
        if (wanted(campaigns(change.data!))) return change.data!;
      }
    };
    try {
      expect(campaigns(await until(() => true))).not.toContain(welcome);
      await h.service.idle();
      const started = Date.now();
      await moment(h, { seconds: 2 });
      const on = await until((ids) => ids.includes(welcome));
      expect(campaigns(on)).toEqual([welcome]);
      expect(Date.now() - started).toBeLessThan(2000);
      // Displays of other zones keep their playlist: PROXIMITY_ZONE names where, ZONE which screens.
      expect(await campaignsOn(WINDOW_DISPLAY)).not.toContain(welcome);
      await until((ids) => !ids.includes(welcome));
      expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      await sub.close();
    }
  });

  it('SEGMENT rules play while a store-wide moment holds the key, and the explanation names the moment', async () => {
    const m = await moment(h, { seconds: 30, zoneId: null, source: 'CHECK_IN', segmentKeys: ['gold-members'] });
    await h.settled();
    expect(await campaignsOn(WINDOW_DISPLAY)).toEqual([gold]);
    const res = await h.gql<{ explainPlaylist: { playing: boolean; checks: { check: string; message: string }[] } }>(
      `query($d: ID!, $c: ID!) { explainPlaylist(displayId: $d, campaignId: $c) { playing checks { check message } } }`,
      { d: WINDOW_DISPLAY, c: gold },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.explainPlaylist.playing).toBe(true);
    expect(res.data!.explainPlaylist.checks.find((c) => c.check === 'VISITOR_TARGETING')?.message).toContain(
      `moment ${m.momentId} (CHECK_IN, store-wide, segments gold-members`,
    );
    // An exit (expiresAt ≤ occurredAt, same momentId) ends it at once.
    await moment(h, {
      momentId: m.momentId,
      zoneId: null,
      source: 'CHECK_IN',
      segmentKeys: ['gold-members'],
      seconds: 0,
    });
    await h.settled();
    expect(await campaignsOn(WINDOW_DISPLAY)).not.toContain(gold);
  });

  it('ignores a malformed moment', async () => {
    await h.infra.bus.publish(PresenceTopic, [{ key: STORE, value: { momentId: 'x', visitorId: 'someone' } }]);
    await h.settled();
    expect(await campaignsOn(WINDOW_DISPLAY)).not.toContain(gold);
  });
});
