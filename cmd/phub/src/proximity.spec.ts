import { graphql, login, PlatformProcess } from '@phub/e2e';
import { DEMO_TENANT_ID } from '@phub/kit';
import { DEMO_MIST_SECRET, demoMistSiteId, demoMistZoneId, MIST_WEBHOOK_PATH, signMist } from '@phub/proximity';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { main as simulateMist, morning } from './simulate-mist.js';

// The demo's London Oxford Street (store 1): its "Entrance wall" display (3) stands in the entrance zone (1).
const locationId = (kind: string, n: number) =>
  `00000000-0000-4000-8000-${`${kind}${n.toString(16)}`.padStart(12, '0')}`;
const ENTRANCE_ZONE = locationId('a0', 16 + 1);
const ENTRANCE_DISPLAY = locationId('d1', 16 + 3);
const MOMENT_SECONDS = 3;
const STORE_2 = locationId('5a', 2);

/** Mist, as it would post to the graph's host: a zone event of the demo site, signed with the demo secret. */
async function mist(gateway: string, events: Record<string, unknown>[]) {
  const body = JSON.stringify({ topic: 'zone', events });
  const res = await fetch(`${new URL(gateway).origin}${MIST_WEBHOOK_PATH}/${DEMO_TENANT_ID}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Mist-webhook',
      'X-Mist-Signature-v2': signMist(DEMO_MIST_SECRET, body),
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A zone enter switches the display of that zone within 2 s through the gateway; after the moment it falls back. */
describe('proximity moments on the binary, through the gateway', () => {
  let platform: PlatformProcess;
  let gateway: string;
  let hq: string;

  beforeAll(async () => {
    platform = await PlatformProcess.start('all', { PROXIMITY_MOMENT_SECONDS: String(MOMENT_SECONDS) });
    gateway = platform.urls.gateway!;
    hq = await login(gateway, 'hq@demo.test');
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('refuses a message with a bad signature with 401', async () => {
    const res = await fetch(`${new URL(gateway).origin}${MIST_WEBHOOK_PATH}/${DEMO_TENANT_ID}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Mist-Signature-v2': 'ab'.repeat(32) },
      body: JSON.stringify({ topic: 'zone', events: [] }),
    });
    expect(res.status).toBe(401);
  });

  it('switches the entrance display within 2 s of a zone enter and falls back when the moment ends', async () => {
    const creatives = await graphql<{ creatives: { edges: { node: { id: string; status: string } }[] } }>(
      gateway,
      `
        {
          creatives(first: 20) {
            edges {
              node {
                id
                status
              }
            }
          }
        }
      `,
      {},
      hq,
    );
    const creativeId = creatives.data!.creatives.edges.find((e) => e.node.status === 'READY')!.node.id;
    const created = await graphql<{ createCampaign: { id: string } }>(
      gateway,
      `
        mutation ($i: CreateCampaignInput!) {
          createCampaign(input: $i) {
            id
          }
        }
      `,
      {
        i: {
          name: 'Welcome at the door',
          priority: 99,
          creativeIds: [creativeId],
          targeting: {
            include: [
              { kind: 'PROXIMITY_ZONE', value: ENTRANCE_ZONE },
              { kind: 'ZONE', value: ENTRANCE_ZONE },
            ],
            exclude: [],
          },
        },
      },
      hq,
    );
    expect(created.errors).toBeUndefined();
    const campaignId = created.data!.createCampaign.id;
    for (const step of ['submitCampaign', 'approveCampaign']) {
      const res = await graphql(gateway, `mutation ($id: ID!) { ${step}(id: $id) { status } }`, { id: campaignId }, hq);
      expect(res.errors).toBeUndefined();
    }
    const playing = async () => {
      const res = await graphql<{ displayPlaylist: { items: { campaignId: string | null }[] } }>(
        gateway,
        `
          query ($d: ID!) {
            displayPlaylist(displayId: $d) {
              items {
                campaignId
              }
            }
          }
        `,
        { d: ENTRANCE_DISPLAY },
        hq,
      );
      return res.data!.displayPlaylist.items.map((i) => i.campaignId);
    };
    // LIVE, but nobody is at the door: the display plays what it played before.
    expect(await playing()).not.toContain(campaignId);

    const ws = createClient({
      url: gateway.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${hq}` },
    });
    const changes: { campaigns: (string | null)[]; at: number }[] = [];
    const stop = ws.subscribe<{ playlistChanged: { playlist: { items: { campaignId: string | null }[] } } }>(
      {
        // `current`: the playlist as it is comes first, so the test knows the subscription is open.
        query: `subscription ($d: ID!) { playlistChanged(displayId: $d, current: true) { version playlist { items { campaignId } } } }`,
        variables: { d: ENTRANCE_DISPLAY },
      },
      {
        next: (m) =>
          void changes.push({
            campaigns: m.data!.playlistChanged.playlist.items.map((i) => i.campaignId),
            at: Date.now(),
          }),
        error: () => {},
        complete: () => {},
      },
    );
    try {
      await expect.poll(() => changes.length, { timeout: 15_000 }).toBeGreaterThan(0);
      expect(changes[0]!.campaigns).not.toContain(campaignId);
      const sent = Date.now();
      const res = await mist(gateway, [
        {
          site_id: demoMistSiteId(1),
          map_id: 'map-1',
          zone_id: demoMistZoneId(1, 1),
          trigger: 'enter',
          timestamp: sent / 1000,
          type: 'wifi',
          mac: '5684dae9ac8b',
        },
      ]);
      expect(res).toMatchObject({ status: 200, body: { stored: 1, rejected: 0 } });
      await expect
        .poll(() => changes.find((c) => c.campaigns.includes(campaignId)), { timeout: 5_000, interval: 50 })
        .toBeDefined();
      const on = changes.find((c) => c.campaigns.includes(campaignId))!;
      console.warn(`a Mist zone enter reached playlistChanged through the gateway in ${on.at - sent} ms`);
      expect(on.at - sent).toBeLessThan(2_000);
      expect(on.campaigns).toEqual([campaignId]);

      // Nobody leaves: the moment expires on its own after PROXIMITY_MOMENT_SECONDS and the display falls back.
      await expect
        .poll(() => changes.find((c) => c.at > on.at && !c.campaigns.includes(campaignId)), {
          timeout: (MOMENT_SECONDS + 5) * 1000,
          interval: 50,
        })
        .toBeDefined();
      const off = changes.find((c) => c.at > on.at && !c.campaigns.includes(campaignId))!;
      expect(off.at - sent).toBeGreaterThanOrEqual(MOMENT_SECONDS * 1000 - 500);
      expect(off.at - sent).toBeLessThan(MOMENT_SECONDS * 1000 + 2_000);
      expect(await playing()).not.toContain(campaignId);

      // Footfall reached the report (HQ, through the gateway).
      const report = await graphql<{ proximityReport: { zoneId: string; footfall: number }[] }>(
        gateway,
        `
          query ($f: ProximityReportFilter!) {
            proximityReport(filter: $f) {
              zoneId
              footfall
            }
          }
        `,
        { f: { from: new Date(sent - 3_600_000).toISOString(), to: new Date(sent + 3_600_000).toISOString() } },
        hq,
      );
      expect(report.errors).toBeUndefined();
      expect(report.data!.proximityReport.find((r) => r.zoneId === ENTRANCE_ZONE)?.footfall).toBe(1);
    } finally {
      stop();
      await ws.dispose();
    }
  }, 60_000);

  it('the simulator replays a morning of signed Mist events for the demo stores into the reports', async () => {
    const plan = morning(2);
    const sites = new Set(plan.map((p) => p.event.site_id));
    expect(sites.size).toBe(6);
    await simulateMist([`--url=${gateway}`, '--visitors=2', '--backfill']);
    const day = new Date();
    day.setUTCHours(8, 0, 0, 0);
    const report = await graphql<{ proximityReport: { footfall: number; exits: number }[] }>(
      gateway,
      `
        query ($f: ProximityReportFilter!) {
          proximityReport(filter: $f) {
            footfall
            exits
          }
        }
      `,
      { f: { from: day.toISOString(), to: new Date(day.getTime() + 5 * 3_600_000).toISOString(), storeId: STORE_2 } },
      hq,
    );
    expect(report.errors).toBeUndefined();
    // Store 2 only: the test above stood at store 1's door just now.
    const enters = plan.filter((p) => p.event.trigger === 'enter' && p.event.site_id === demoMistSiteId(2)).length;
    expect(report.data!.proximityReport.reduce((n, r) => n + r.footfall, 0)).toBe(enters);
    // Replaying the same morning again stores nothing twice (Mist's events are idempotent here).
    await simulateMist([`--url=${gateway}`, '--visitors=2', '--backfill']);
    const again = await graphql<{ proximityReport: { footfall: number }[] }>(
      gateway,
      `
        query ($f: ProximityReportFilter!) {
          proximityReport(filter: $f) {
            footfall
          }
        }
      `,
      { f: { from: day.toISOString(), to: new Date(day.getTime() + 5 * 3_600_000).toISOString(), storeId: STORE_2 } },
      hq,
    );
    expect(again.data!.proximityReport.reduce((n, r) => n + r.footfall, 0)).toBe(enters);
  }, 60_000);
});
