import { createLogger, DEMO_TENANT_ID, Role } from '@phub/kit';
import { ManualClock, openJobSource, waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCampaignId, demoDisplayId, demoStoreId } from '../../demo/demo-data.js';
import { campaign } from '../../index.js';
import { liveCampaign } from '../../testing/campaigns.js';
import { startCampaign, type CampaignHarness } from '../../testing/harness.js';
import {
  BoundaryJobs,
  CAMPAIGN_BOUNDARY_JOB,
  CAMPAIGN_BOUNDARY_PLAN_JOB,
  type BoundaryJobData,
} from './boundary.jobs.js';

const SUBSCRIPTION = `subscription($d: ID!) {
  playlistChanged(displayId: $d, current: true) { version playlist { items { campaignId } } }
}`;
interface Change {
  playlistChanged: { version: string; playlist: { items: { campaignId: string | null }[] } };
}

// A Wednesday in January: London is on UTC, New York five hours behind.
const START = Date.parse('2026-01-14T06:59:00Z');
const LONDON_ENTRANCE = demoDisplayId(1, 3);
const LONDON = demoStoreId(1);

// The worker's campaign jobs beside the subgraph, on its database, cache and pub/sub, as `--target=all` runs them.
describe(BoundaryJobs.name, () => {
  let h: CampaignHarness;
  let jobs: Awaited<ReturnType<typeof openJobSource>>;
  let admin: string;
  let device: string;
  const clock = new ManualClock(START);
  const boundaries = () =>
    jobs.take(CAMPAIGN_BOUNDARY_JOB).map((s) => ({ ...(s.data as BoundaryJobData), ...s.options }));

  beforeAll(async () => {
    h = await startCampaign({ clock });
    jobs = await openJobSource(campaign.jobSource({ clock, env: h.env }), {
      infra: h.infra,
      logger: createLogger('campaign-jobs-test', 'silent'),
    });
    await jobs.started();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
    device = await h.issuer.token({
      tid: DEMO_TENANT_ID,
      roles: [Role.DEVICE],
      did: LONDON_ENTRANCE,
      stores: [LONDON],
    });
  });
  afterAll(async () => {
    await jobs?.close();
    await h?.stop();
  });

  it('plans every store on start: a job delayed to its next boundary, in the store’s own time', async () => {
    const plans = jobs.take(CAMPAIGN_BOUNDARY_PLAN_JOB);
    expect(plans).toEqual([{ name: CAMPAIGN_BOUNDARY_PLAN_JOB, data: {}, options: { singletonKey: '*:*' } }]);
    await jobs.run(CAMPAIGN_BOUNDARY_PLAN_JOB, plans[0]!.data);
    const due = boundaries();
    // Breakfast opens at 07:00 local: London/Dublin at 07:00Z, New York 12:00Z, Chicago 13:00Z, LA 15:00Z.
    const at = due.map((d) => d.at);
    expect(at).toContain(Date.parse('2026-01-14T07:00:00Z'));
    expect(at).toContain(Date.parse('2026-01-14T12:00:00Z'));
    expect(at).toContain(Date.parse('2026-01-14T13:00:00Z'));
    expect(at).toContain(Date.parse('2026-01-14T15:00:00Z'));
    // One job per store, due at its boundary, never queued twice for the same store and instant.
    expect(due).toHaveLength(6);
    for (const d of due) {
      expect(d.startAfter).toEqual(new Date(d.at));
      expect(d.singletonKey).toBe(`${d.tenantId}/${d.storeId}@${d.at}`);
    }
  });

  it('publishes a change when a daypart starts, then queues the store’s next boundary', async () => {
    const sub = h.subscribe<Change>(SUBSCRIPTION, { d: LONDON_ENTRANCE }, device);
    try {
      const before = await sub.next();
      expect(before.data!.playlistChanged.playlist.items.map((i) => i.campaignId)).not.toContain(demoCampaignId(4));
      const at = Date.parse('2026-01-14T07:00:00Z');
      clock.set(at);
      await jobs.run(CAMPAIGN_BOUNDARY_JOB, { tenantId: DEMO_TENANT_ID, storeId: LONDON, at });
      const after = await sub.next();
      expect(after.data!.playlistChanged.playlist.items.map((i) => i.campaignId)).toContain(demoCampaignId(4));
      expect(after.data!.playlistChanged.version).not.toBe(before.data!.playlistChanged.version);
      // London's next boundary is the end of breakfast.
      expect(boundaries()).toMatchObject([{ storeId: LONDON, at: Date.parse('2026-01-14T11:00:00Z') }]);
    } finally {
      await sub.close();
    }
  });

  it('waits again when it runs before its boundary (this clock behind the database’s)', async () => {
    const at = clock.now() + 30_000;
    await jobs.run(CAMPAIGN_BOUNDARY_JOB, { tenantId: DEMO_TENANT_ID, storeId: LONDON, at });
    expect(boundaries()).toEqual([
      expect.objectContaining({
        storeId: LONDON,
        at,
        startAfter: new Date(at),
        singletonKey: `${DEMO_TENANT_ID}/${LONDON}@${at}`,
      }),
    ]);
  });

  it('re-plans when a change in the subgraph brings an earlier boundary', async () => {
    const startsAt = START + 2 * 3600_000; // 08:59Z, before the 11:00 boundary
    const id = await liveCampaign(h, admin, {
      priority: 60,
      schedule: { startsAt: new Date(startsAt).toISOString() },
      targeting: { include: [{ kind: 'DISPLAY', value: LONDON_ENTRANCE }] },
    });
    // The subgraph broadcast the change; the worker asked for a plan of the tenant.
    await waitFor(() => jobs.sent.some((s) => s.name === CAMPAIGN_BOUNDARY_PLAN_JOB), { message: 'a plan request' });
    const [plan] = jobs.take(CAMPAIGN_BOUNDARY_PLAN_JOB);
    expect(plan!.data).toMatchObject({ tenantId: DEMO_TENANT_ID });
    await jobs.run(CAMPAIGN_BOUNDARY_PLAN_JOB, plan!.data);
    expect(boundaries()).toContainEqual(expect.objectContaining({ storeId: LONDON, at: startsAt }));
    const sub = h.subscribe<Change>(SUBSCRIPTION, { d: LONDON_ENTRANCE }, device);
    try {
      await sub.next();
      clock.set(startsAt);
      await jobs.run(CAMPAIGN_BOUNDARY_JOB, { tenantId: DEMO_TENANT_ID, storeId: LONDON, at: startsAt });
      const change = await sub.next();
      expect(change.data!.playlistChanged.playlist.items.map((i) => i.campaignId)).toEqual([id]);
    } finally {
      await sub.close();
    }
  });
});
