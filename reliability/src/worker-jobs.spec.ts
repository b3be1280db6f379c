import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { graphql, login } from '@phub/e2e';
import { dataOf, demoStores, pollUntil, SplitPlatform } from './harness.js';

const CHANGES = `subscription ($d: ID!) { playlistChanged(displayId: $d, current: true) { version playlist { items { campaignId } } } }`;
const ALERTS = `subscription ($s: ID!) { displayAlerts(storeId: $s) { kind state displayId } }`;

/** The `job completed` log lines of one job in a process's logs. */
const completions = (logs: string, job: string) =>
  logs.split('\n').filter((l) => l.includes('"msg":"job completed"') && l.includes(`"job":"${job}"`)).length;

/**
 * Timed work moved from the subgraphs into the worker process: what its jobs publish (a schedule boundary's
 * playlist change, a health sweep's alert) must still reach subscribers of the subgraph processes, through
 * the gateway, across processes (Redis pub/sub).
 */
describe('the worker of a split deployment', () => {
  let platform: SplitPlatform;
  const clients: Client[] = [];

  beforeAll(async () => {
    platform = await SplitPlatform.start({
      // A display without a heartbeat for 3 s is offline; the sweep looks every second.
      env: { PLAYBACK_OFFLINE_AFTER_SECONDS: '3', PLAYBACK_EVALUATE_EVERY_SECONDS: '1' },
      // A busy machine must not turn a slow mutation into a failed scenario: timing here is the worker's.
      envOf: { gateway: { SUBGRAPH_TIMEOUT_MS: '30000' } },
    });
  });
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.dispose()));
    await platform?.stop();
  });

  function subscribe<T>(
    query: string,
    variables: Record<string, unknown>,
    token: string,
    seen: T[],
    failures: unknown[],
  ) {
    const client = createClient({
      url: platform.gateway.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    clients.push(client);
    client.subscribe<T>(
      { query, variables },
      {
        next: (m) => (m.data ? void seen.push(m.data as T) : void failures.push(m.errors)),
        error: (err) => void failures.push(err),
        complete: () => undefined,
      },
    );
  }

  it('delivers a playlist change at a campaign’s start, from the worker’s boundary job, not before', async () => {
    const gateway = platform.gateway;
    const [hq, editor, manager] = await Promise.all(
      ['hq@demo.test', 'editor@demo.test', 'manager@demo.test'].map((email) => login(gateway, email)),
    );
    const store = (await demoStores(gateway, hq!)).find((s) => s.name === 'London Oxford Street')!;
    const display = store.displays[0]!.id;
    const seen: { playlistChanged: { playlist: { items: { campaignId: string | null }[] } } }[] = [];
    const failures: unknown[] = [];
    subscribe(CHANGES, { d: display }, manager!, seen, failures);
    await pollUntil('the subscription to be live', () => seen.length > 0);

    const creatives = dataOf(
      await graphql<{ creatives: { edges: { node: { id: string; status: string } }[] } }>(
        gateway,
        '{ creatives(first: 20) { edges { node { id status } } } }',
        {},
        editor,
      ),
      'creatives',
    );
    const creativeId = creatives.creatives.edges.find((e) => e.node.status === 'READY')!.node.id;
    // Starts 40 s from now (whole seconds): approved before, so only the boundary can bring it.
    const startsAt = Math.ceil((Date.now() + 40_000) / 1000) * 1000;
    const { createCampaign } = dataOf(
      await graphql<{ createCampaign: { id: string } }>(
        gateway,
        'mutation ($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }',
        {
          i: {
            name: 'Reliability: starts in a moment',
            priority: 100,
            creativeIds: [creativeId],
            schedule: { startsAt: new Date(startsAt).toISOString() },
            targeting: { include: [{ kind: 'DISPLAY', value: display }], exclude: [] },
          },
        },
        editor,
      ),
      'createCampaign',
    );
    const id = createCampaign.id;
    dataOf(
      await graphql(gateway, 'mutation ($id: ID!) { submitCampaign(id: $id) { status } }', { id }, editor),
      'submit',
    );
    dataOf(
      await graphql(gateway, 'mutation ($id: ID!) { approveCampaign(id: $id) { status } }', { id }, hq),
      'approve',
    );
    // Otherwise the approval's own refresh would bring it, and this would prove nothing about the worker.
    expect(Date.now(), 'approved before the campaign starts').toBeLessThan(startsAt - 2_000);

    const has = () => seen.some((c) => c.playlistChanged.playlist.items.some((i) => i.campaignId === id));
    await pollUntil('the campaign in the display’s playlist', has, { timeoutMs: 60_000 });
    const arrived = Date.now();
    expect(arrived).toBeGreaterThanOrEqual(startsAt);
    expect(failures).toEqual([]);
    // The job publishes, then queues the store's next boundary, then completes.
    await pollUntil('the boundary job to complete in the worker', () =>
      completions(platform.logsOf('worker'), 'campaign.boundary'),
    );
  }, 120_000);

  it('raises an alert from the worker’s health sweep when a display goes quiet', async () => {
    const gateway = platform.gateway;
    const [hq, manager] = await Promise.all(['hq@demo.test', 'manager@demo.test'].map((e) => login(gateway, e)));
    const store = (await demoStores(gateway, hq!)).find((s) => s.name === 'London Oxford Street')!;
    const display = store.displays[1]!.id;
    const alerts: { displayAlerts: { kind: string; state: string; displayId: string } }[] = [];
    const failures: unknown[] = [];
    subscribe(ALERTS, { s: store.id }, manager!, alerts, failures);
    // Let graphql-ws finish subscribing, then one heartbeat and silence.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const beat = await graphql<{ recordPlayback: { accepted: number } }>(
      gateway,
      'mutation ($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted } }',
      { i: { heartbeats: [{ id: randomUUID(), displayId: display, at: new Date().toISOString() }] } },
      hq,
    );
    expect(dataOf(beat, 'recordPlayback').recordPlayback.accepted).toBe(1);
    await pollUntil(
      'an OFFLINE alert for the quiet display',
      () => alerts.some((a) => a.displayAlerts.displayId === display && a.displayAlerts.kind === 'OFFLINE'),
      { timeoutMs: 60_000 },
    );
    // The playback process evaluates a display only when its batch is written (ONLINE then): OFFLINE is the sweep's.
    expect(failures).toEqual([]);
  }, 120_000);
});
