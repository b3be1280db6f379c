import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCampaignId, demoDisplayId, demoStoreId } from '../../demo/demo-data.js';
import { liveCampaign } from '../../testing/campaigns.js';
import { startCampaign, type CampaignHarness } from '../../testing/harness.js';
import { ManualClock } from '@phub/kit/testing';
import { BoundaryScheduler } from './boundary.scheduler.js';

const SUBSCRIPTION = `subscription($d: ID!) {
  playlistChanged(displayId: $d, current: true) { version playlist { items { campaignId } } }
}`;
interface Change {
  playlistChanged: { version: string; playlist: { items: { campaignId: string | null }[] } };
}

// A Wednesday in January: London is on UTC, New York five hours behind.
const START = Date.parse('2026-01-14T06:59:00Z');
const LONDON_ENTRANCE = demoDisplayId(1, 3);

describe(BoundaryScheduler.name, () => {
  let h: CampaignHarness;
  let admin: string;
  let device: string;
  const clock = new ManualClock(START);

  beforeAll(async () => {
    h = await startCampaign({ clock });
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
    device = await h.issuer.token({
      tid: DEMO_TENANT_ID,
      roles: [Role.DEVICE],
      did: LONDON_ENTRANCE,
      stores: [demoStoreId(1)],
    });
  });
  afterAll(() => h?.stop());

  it('sleeps until the next boundary of each store, in the store’s own time', () => {
    const pending = clock.pending();
    // Breakfast opens at 07:00 local: London/Dublin at 07:00Z, New York 12:00Z, Chicago 13:00Z, LA 15:00Z.
    expect(pending).toContain(Date.parse('2026-01-14T07:00:00Z'));
    expect(pending).toContain(Date.parse('2026-01-14T12:00:00Z'));
    expect(pending).toContain(Date.parse('2026-01-14T13:00:00Z'));
    expect(pending).toContain(Date.parse('2026-01-14T15:00:00Z'));
    // One timer per store.
    expect(pending).toHaveLength(6);
  });

  it('publishes a change when a daypart starts', async () => {
    const sub = h.subscribe<Change>(SUBSCRIPTION, { d: LONDON_ENTRANCE }, device);
    try {
      const before = await sub.next();
      expect(before.data!.playlistChanged.playlist.items.map((i) => i.campaignId)).not.toContain(demoCampaignId(4));
      clock.set(Date.parse('2026-01-14T07:00:00Z'));
      const after = await sub.next();
      expect(after.data!.playlistChanged.playlist.items.map((i) => i.campaignId)).toContain(demoCampaignId(4));
      expect(after.data!.playlistChanged.version).not.toBe(before.data!.playlistChanged.version);
      await h.service.idle();
      // London's next boundary is the end of breakfast.
      expect(clock.pending()).toContain(Date.parse('2026-01-14T11:00:00Z'));
    } finally {
      await sub.close();
    }
  });

  it('re-plans when a change brings an earlier boundary', async () => {
    const startsAt = START + 2 * 3600_000; // 08:59Z, before the 11:00 boundary
    const id = await liveCampaign(h, admin, {
      priority: 60,
      schedule: { startsAt: new Date(startsAt).toISOString() },
      targeting: { include: [{ kind: 'DISPLAY', value: LONDON_ENTRANCE }] },
    });
    await h.service.idle();
    expect(clock.pending()).toContain(startsAt);
    const sub = h.subscribe<Change>(SUBSCRIPTION, { d: LONDON_ENTRANCE }, device);
    try {
      await sub.next();
      clock.set(startsAt);
      const change = await sub.next();
      expect(change.data!.playlistChanged.playlist.items.map((i) => i.campaignId)).toEqual([id]);
    } finally {
      await sub.close();
    }
  });

  it('clears its timers on stop', async () => {
    await h.stop();
    expect(clock.pending()).toEqual([]);
    h = undefined as unknown as CampaignHarness;
  });
});
