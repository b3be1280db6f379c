import { playlistVersionEventV1 } from '@phub/contracts';
import { DEMO_TENANT_ID, Role, type AccessTokenClaims } from '@phub/kit';
import { PlaylistTopic, type PlaylistVersionEvent } from './playlist.feed.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCampaignId, demoDisplayId, demoStoreId } from '../../demo/demo-data.js';
import { LocationTopic } from '../../events.js';
import { act, createCampaign, demoCreatives, liveCampaign } from '../../testing/campaigns.js';
import { displayEvent } from '../../testing/fleet.js';
import { startCampaign, type CampaignHarness, type GraphQLResponse } from '../../testing/harness.js';
import { PlaylistChangeResolver } from './playlist.resolver.js';

const SUBSCRIPTION = `subscription($d: ID!, $current: Boolean) {
  playlistChanged(displayId: $d, current: $current) {
    displayId version display { id }
    playlist { version validUntil items { campaignId overrideId creativeId url } }
  }
}`;

interface Change {
  playlistChanged: {
    displayId: string;
    version: string;
    display: { id: string };
    playlist: { version: string; items: { campaignId: string | null; overrideId: string | null }[] };
  };
}

const OWN = demoDisplayId(3, 3);
const campaignsOf = (e: GraphQLResponse<Change>) => e.data!.playlistChanged.playlist.items.map((i) => i.campaignId);

describe(PlaylistChangeResolver.name, () => {
  let h: CampaignHarness;
  let admin: string;
  let device: string;

  beforeAll(async () => {
    h = await startCampaign();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
    device = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.DEVICE], did: OWN, stores: [demoStoreId(3)] });
  });
  afterAll(() => h?.stop());

  /** A device's subscription to its own display, after the current playlist arrived (so it is listening). */
  async function listen() {
    const sub = h.subscribe<Change>(SUBSCRIPTION, { d: OWN, current: true }, device);
    const first = await sub.next();
    expect(first.errors).toBeUndefined();
    return { sub, first };
  }

  it('tells the display about an approval, with the new version, the playlist and the display reference', async () => {
    const { sub, first } = await listen();
    try {
      const id = (
        await createCampaign(h, admin, { priority: 40, targeting: { include: [{ kind: 'DISPLAY', value: OWN }] } })
      ).data!.createCampaign.id;
      await act(h, admin, 'submitCampaign', id);
      const started = performance.now();
      await act(h, admin, 'approveCampaign', id);
      const change = await sub.next();
      const elapsed = performance.now() - started;
      expect(change.data!.playlistChanged).toMatchObject({ displayId: OWN, display: { id: OWN } });
      expect(change.data!.playlistChanged.version).not.toBe(first.data!.playlistChanged.version);
      expect(change.data!.playlistChanged.playlist.version).toBe(change.data!.playlistChanged.version);
      expect(campaignsOf(change)).toEqual([id]);
      // Delivery is what is asserted; the latency is for the record (the issue asks for under a second).
      console.warn(`playlistChanged delivered ${elapsed.toFixed(0)} ms after approveCampaign returned`);
      await act(h, admin, 'endCampaign', id);
      expect(campaignsOf(await sub.next())).not.toContain(id);
    } finally {
      await sub.close();
    }
  });

  it('puts each new version on the bus for other domains (playback compares what players report)', async () => {
    const versions: PlaylistVersionEvent[] = [];
    const bus = await h.infra.bus.subscribe({
      groupId: `versions-${Date.now()}`,
      topics: [PlaylistTopic],
      handler: async (m) => void versions.push(m.value as PlaylistVersionEvent),
    });
    const { sub } = await listen();
    try {
      const id = (
        await createCampaign(h, admin, { priority: 41, targeting: { include: [{ kind: 'DISPLAY', value: OWN }] } })
      ).data!.createCampaign.id;
      await act(h, admin, 'submitCampaign', id);
      await act(h, admin, 'approveCampaign', id);
      const change = await sub.next();
      await expect
        .poll(() => versions.filter((v) => v.displayId === OWN).map((v) => v.version))
        .toContain(change.data!.playlistChanged.version);
      expect(versions.find((v) => v.displayId === OWN)).toMatchObject({ tenantId: DEMO_TENANT_ID });
      // What consumers (playback) parse with: the shared contract, items counted.
      for (const v of versions) expect(playlistVersionEventV1.schema.parse(v)).toEqual(v);
      expect(versions.find((v) => v.version === change.data!.playlistChanged.version)!.items).toBeGreaterThan(0);
      await act(h, admin, 'endCampaign', id);
      await sub.next();
    } finally {
      await sub.close();
      await bus.close();
    }
  });

  it('stays quiet about changes that leave the version as it was', async () => {
    const { sub } = await listen();
    try {
      // Elsewhere: another store's display, and a draft edit.
      const elsewhere = await liveCampaign(h, admin, {
        priority: 40,
        targeting: { include: [{ kind: 'STORE', value: demoStoreId(5) }] },
      });
      await createCampaign(h, admin);
      await h.service.idle();
      // Then one that matters: the next event must be about it.
      const pause = await h.gql(
        `mutation($c: ID!, $s: ID!) { pauseCampaignForStore(campaignId: $c, storeId: $s) { id } }`,
        { c: demoCampaignId(1), s: demoStoreId(3) },
        admin,
      );
      expect(pause.errors).toBeUndefined();
      const change = await sub.next();
      expect(campaignsOf(change)).not.toContain(demoCampaignId(1));
      expect(sub.events).toHaveLength(2);
      await act(h, admin, 'endCampaign', elsewhere);
      await h.gql(
        `mutation($c: ID!, $s: ID!) { resumeCampaignForStore(campaignId: $c, storeId: $s) { id } }`,
        { c: demoCampaignId(1), s: demoStoreId(3) },
        admin,
      );
      expect(campaignsOf(await sub.next())).toContain(demoCampaignId(1));
    } finally {
      await sub.close();
    }
  });

  it('publishes overrides as they are set and cleared', async () => {
    const { sub } = await listen();
    try {
      const set = await h.gql<{ setDisplayOverride: { id: string } }>(
        `mutation($i: SetDisplayOverrideInput!) { setDisplayOverride(input: $i) { id } }`,
        { i: { displayId: OWN, creativeId: demoCreatives[5], until: new Date(Date.now() + 600_000).toISOString() } },
        admin,
      );
      const overrideId = set.data!.setDisplayOverride.id;
      const overridden = await sub.next();
      expect(overridden.data!.playlistChanged.playlist.items).toEqual([expect.objectContaining({ overrideId })]);
      await h.gql(`mutation($id: ID!) { clearDisplayOverride(id: $id) { id } }`, { id: overrideId }, admin);
      const back = await sub.next();
      expect(back.data!.playlistChanged.playlist.items.every((i) => i.overrideId === null)).toBe(true);
    } finally {
      await sub.close();
    }
  });

  it('publishes when location changes the display’s tags', async () => {
    const { sub } = await listen();
    try {
      // The entrance screen becomes a window screen: the window showcase takes over.
      await h.infra.bus.publish(LocationTopic.display, [{ key: OWN, value: displayEvent(3, 3, { tags: ['window'] }) }]);
      const change = await sub.next();
      expect(new Set(campaignsOf(change))).toEqual(new Set([demoCampaignId(3)]));
      await h.infra.bus.publish(LocationTopic.display, [{ key: OWN, value: displayEvent(3, 3) }]);
      expect(campaignsOf(await sub.next())).not.toContain(demoCampaignId(3));
    } finally {
      await sub.close();
    }
  });

  it.each([
    [
      'a device, for another display',
      { tid: DEMO_TENANT_ID, roles: [Role.DEVICE], did: demoDisplayId(1, 1) },
      'FORBIDDEN',
    ],
    [
      'a store role, for another store',
      { tid: DEMO_TENANT_ID, roles: [Role.STORE_STAFF], stores: [demoStoreId(1)] },
      'NOT_FOUND',
    ],
    [
      'a partner without campaign:read',
      { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'queue:read' },
      'FORBIDDEN',
    ],
    ['another tenant', { tid: '11111111-1111-4111-8111-111111111111', roles: [Role.HQ_ADMIN] }, 'NOT_FOUND'],
  ] as [string, Partial<AccessTokenClaims> & { tid: string; roles: Role[] }, string][])(
    'refuses %s',
    async (_name, claims, code) => {
      const token = await h.issuer.token(claims);
      const sub = h.subscribe<Change>(SUBSCRIPTION, { d: OWN }, token);
      try {
        const refused = await sub.next();
        expect(refused.errors?.[0]?.extensions?.code).toBe(code);
        expect(refused.data ?? null).toBeNull();
      } finally {
        await sub.close();
      }
    },
  );

  it('admits a store role for its own store and a partner with campaign:read', async () => {
    for (const claims of [
      { tid: DEMO_TENANT_ID, roles: [Role.STORE_STAFF], stores: [demoStoreId(3)] },
      { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'campaign:read' },
    ]) {
      const sub = h.subscribe<Change>(SUBSCRIPTION, { d: OWN, current: true }, await h.issuer.token(claims));
      try {
        expect((await sub.next()).data!.playlistChanged.displayId).toBe(OWN);
      } finally {
        await sub.close();
      }
    }
  });
});
