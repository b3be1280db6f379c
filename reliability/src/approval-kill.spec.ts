import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { graphql, login } from '@phub/e2e';
import { dataOf, demoStores, DISPLAY_PLAYLIST, pollUntil, SplitPlatform, type PlaylistView } from './harness.js';

interface Change {
  version: string;
  campaigns: (string | null)[];
  at: number;
}

const CHANGES = `subscription ($d: ID!) { playlistChanged(displayId: $d, current: true) { version playlist { items { campaignId } } } }`;

/**
 * kill -9 of the campaign process right after a campaign approval was answered (its playlist refresh may not
 * have run): after the restart, every subscribed display of the targeted store receives its latest playlist
 * through the gateway, the one `displayPlaylist` answers, with the approved campaign in it.
 */
describe('kill -9 of campaign right after an approval', () => {
  let platform: SplitPlatform;
  const clients: Client[] = [];

  beforeAll(async () => {
    platform = await SplitPlatform.start({
      // Reconnect to the restarted subgraph within a couple of seconds rather than up to ten.
      envOf: { gateway: { SUBSCRIPTION_UPSTREAM_RETRY_MAX_MS: '2000' } },
    });
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.dispose()));
    await platform?.stop();
  });

  it('delivers the latest playlist to every display subscription after the restart', async () => {
    const gateway = platform.gateway;
    const [hq, editor, manager] = await Promise.all(
      ['hq@demo.test', 'editor@demo.test', 'manager@demo.test'].map((email) => login(gateway, email)),
    );
    const store = (await demoStores(gateway, hq!)).find((s) => s.name === 'London Oxford Street')!;
    expect(store.displays.length).toBeGreaterThan(1);

    // The store manager's screens, each subscribed as a player catching up would (current playlist first).
    const changes = new Map<string, Change[]>(store.displays.map((d) => [d.id, []]));
    const failures: unknown[] = [];
    for (const { id } of store.displays) {
      const client = createClient({
        url: gateway.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${manager}` },
      });
      clients.push(client);
      client.subscribe<{ playlistChanged: { version: string; playlist: { items: { campaignId: string | null }[] } } }>(
        { query: CHANGES, variables: { d: id } },
        {
          next: (m) => {
            if (!m.data) return void failures.push(m.errors);
            const { version, playlist } = m.data.playlistChanged;
            changes.get(id)!.push({ version, campaigns: playlist.items.map((i) => i.campaignId), at: Date.now() });
          },
          error: (err) => void failures.push(err),
          complete: () => void failures.push(`subscription of ${id} completed`),
        },
      );
    }
    await pollUntil('every subscription to be live', () => [...changes.values()].every((c) => c.length > 0), {
      timeoutMs: 30_000,
    });

    const creatives = dataOf(
      await graphql<{ creatives: { edges: { node: { id: string; status: string } }[] } }>(
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
        editor,
      ),
      'creatives',
    );
    const creativeId = creatives.creatives.edges.find((e) => e.node.status === 'READY')!.node.id;
    const created = dataOf(
      await graphql<{ createCampaign: { id: string } }>(
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
            name: 'Reliability: approved, then the process dies',
            priority: 100,
            creativeIds: [creativeId],
            targeting: { include: [{ kind: 'STORE', value: store.id }], exclude: [] },
          },
        },
        editor,
      ),
      'createCampaign',
    );
    const campaignId = created.createCampaign.id;
    dataOf(
      await graphql(
        gateway,
        `
          mutation ($id: ID!) {
            submitCampaign(id: $id) {
              status
            }
          }
        `,
        { id: campaignId },
        editor,
      ),
      'submitCampaign',
    );
    const approved = dataOf(
      await graphql<{ approveCampaign: { status: string } }>(
        gateway,
        `
          mutation ($id: ID!) {
            approveCampaign(id: $id) {
              status
            }
          }
        `,
        { id: campaignId },
        hq,
      ),
      'approveCampaign',
    );
    // The client was told: approved. Now the process dies before (or while) it tells the displays.
    await platform.kill('campaign');
    const killedAt = Date.now();
    expect(approved.approveCampaign.status).toBe('LIVE');
    await platform.startProcess('campaign');
    console.warn(`campaign killed after the approval; back in ${Date.now() - killedAt} ms`);

    // Each display's latest event, received after the restart, is the playlist the graph now resolves.
    for (const { id } of store.displays) {
      const latest = await pollUntil(
        `display ${id}'s subscription to receive its latest playlist`,
        async () => {
          const res = await graphql<{ displayPlaylist: PlaylistView }>(gateway, DISPLAY_PLAYLIST, { d: id }, manager);
          const now = res.data?.displayPlaylist;
          const last = changes.get(id)!.at(-1);
          return now && last && last.at > killedAt && last.version === now.version ? { now, last } : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      expect(latest.now.items.map((i) => i.campaignId)).toContain(campaignId);
      expect(latest.last.campaigns).toContain(campaignId);
    }
    expect(failures).toEqual([]);
  }, 240_000);
});
