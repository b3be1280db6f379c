import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDisplayId, demoStoreId } from '../../demo/demo-data.js';
import { act, createCampaign, PLAYLIST_QUERY, type PlaylistData } from '../../testing/campaigns.js';
import { startCampaign, type CampaignHarness } from '../../testing/harness.js';
import { PlaylistService } from './playlist.service.js';

const DISPLAY = demoDisplayId(5, 3);

describe(`${PlaylistService.name} on Redis with two replicas`, () => {
  let h: CampaignHarness;
  let admin: string;
  let replica: { url: string };

  beforeAll(async () => {
    h = await startCampaign({ redis: true });
    replica = await h.startReplica();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
  });
  afterAll(() => h?.stop());

  const playlistOn = async (url: string) =>
    (await h.gql<PlaylistData>(PLAYLIST_QUERY, { d: DISPLAY }, admin, url)).data!.displayPlaylist;

  it('serves repeated questions from the shared cache', async () => {
    const lookups = async () =>
      (await h.service.metrics.registry.getSingleMetric('phub_campaign_playlist_cache_lookups_total')!.get()).values;
    const hits = async () => (await lookups()).find((v) => v.labels.result === 'hit')?.value ?? 0;
    const first = await playlistOn(h.service.url);
    const before = await hits();
    const second = await playlistOn(h.service.url);
    expect(second).toEqual(first);
    expect(await hits()).toBe(before + 1);
  });

  it('shows a change made on one replica on the other at once, and tells its subscribers', async () => {
    const device = await h.issuer.token({
      tid: DEMO_TENANT_ID,
      roles: [Role.DEVICE],
      did: DISPLAY,
      stores: [demoStoreId(5)],
    });
    const sub = h.subscribe<{
      playlistChanged: { version: string; playlist: { validUntil: string | null; items: { campaignId: string }[] } };
    }>(
      `subscription($d: ID!) { playlistChanged(displayId: $d, current: true) { version playlist { validUntil items { campaignId } } } }`,
      { d: DISPLAY },
      device,
      replica.url,
    );
    try {
      const initial = await sub.next();
      expect(initial.errors).toBeUndefined();
      // Warm the replica's cache and index, then change the campaigns through the first replica.
      const before = await playlistOn(replica.url);
      const id = (
        await createCampaign(h, admin, {
          priority: 70,
          schedule: { endsAt: '2099-01-01T00:00:00Z' },
          targeting: { include: [{ kind: 'DISPLAY', value: DISPLAY }] },
        })
      ).data!.createCampaign.id;
      await act(h, admin, 'submitCampaign', id);
      await act(h, admin, 'approveCampaign', id);
      const after = await playlistOn(replica.url);
      expect(after.version).not.toBe(before.version);
      expect(after.items.map((i) => i.campaignId)).toEqual([id]);
      const change = await sub.next();
      expect(change.data!.playlistChanged.version).toBe(after.version);
      expect(change.data!.playlistChanged.playlist.items.map((i) => i.campaignId)).toEqual([id]);
      // Instants survive the JSON trip through Redis.
      expect(change.data!.playlistChanged.playlist.validUntil).toBe('2099-01-01T00:00:00.000Z');
    } finally {
      await sub.close();
    }
  });
});
