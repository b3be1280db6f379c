import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, login } from '@phub/e2e';
import {
  codeOf,
  dataOf,
  demoStores,
  DISPLAY_PLAYLIST,
  pollUntil,
  reportedPlays,
  SplitPlatform,
  type PlaylistView,
} from './harness.js';

const RECORD = `mutation ($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted duplicates rejected { index code reason } } }`;

interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; code: string; reason: string }[];
}

interface Play {
  id: string;
  displayId: string;
  campaignId: string | null;
  creativeId: string;
  playlistVersion: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
}

const BATCH = 100;
const CLIENTS = 4;

/**
 * kill -9 of the playback process (the ingest edge and the writer) while players stream proof-of-play through
 * the gateway: every play a client was told was accepted is in the report exactly once, and nothing else is.
 */
describe('kill -9 of playback during ingestion', () => {
  let platform: SplitPlatform;
  let hq: string;

  beforeAll(async () => {
    platform = await SplitPlatform.start({ envOf: { playback: { PLAYBACK_MAX_BATCH: String(BATCH) } } });
    hq = await login(platform.gateway, 'hq@demo.test');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('counts every accepted play exactly once after the restart', async () => {
    const gateway = platform.gateway;
    const displays = (await demoStores(gateway, hq)).flatMap((s) => s.displays.map((d) => d.id));
    expect(displays.length).toBeGreaterThanOrEqual(8);
    // Plays of what each display really plays (campaign and creative ids the platform knows).
    const playlists = new Map<string, PlaylistView>();
    for (const d of displays) {
      playlists.set(
        d,
        dataOf(
          await graphql<{ displayPlaylist: PlaylistView }>(gateway, DISPLAY_PLAYLIST, { d }, hq),
          'displayPlaylist',
        ).displayPlaylist,
      );
    }
    const playOf = (displayId: string, n: number): Play => {
      const playlist = playlists.get(displayId)!;
      const item = playlist.items[n % Math.max(1, playlist.items.length)];
      const started = Date.now() - 60_000;
      return {
        id: randomUUID(),
        displayId,
        campaignId: item?.campaignId ?? null,
        creativeId: item?.creativeId ?? randomUUID(),
        playlistVersion: playlist.version,
        startedAt: new Date(started).toISOString(),
        endedAt: new Date(started + 10_000).toISOString(),
        durationMs: 10_000,
      };
    };

    /** Ids the platform answered for (accepted now, or already recorded by an earlier try of the same batch). */
    const answered = new Set<string>();
    let acceptedTotal = 0;
    let failedCalls = 0;
    /** Sends one batch as a player does: the same batch again, until the platform answers it. */
    const send = async (plays: Play[]): Promise<IngestResult> => {
      const deadline = Date.now() + 90_000;
      for (;;) {
        try {
          const res = await graphql<{ recordPlayback: IngestResult }>(gateway, RECORD, { i: { plays } }, hq);
          if (res.data?.recordPlayback) return res.data.recordPlayback;
          if (codeOf(res) !== 'SUBGRAPH_UNAVAILABLE' && codeOf(res) !== 'UNAVAILABLE') {
            // Anything but "playback is down" is a failure of the scenario, not a crash to ride out.
            throw new Error(`recordPlayback failed: ${JSON.stringify(res.errors)}`);
          }
        } catch (err) {
          if (err instanceof Error && err.message.startsWith('recordPlayback failed')) throw err;
          // The connection to the gateway broke mid-request: the player does not know, so it sends again.
        }
        failedCalls++;
        if (Date.now() > deadline) throw new Error('recordPlayback was not answered within 90 s');
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const record = async (plays: Play[]) => {
      const result = await send(plays);
      expect(result.rejected).toEqual([]);
      expect(result.accepted + result.duplicates).toBe(plays.length);
      acceptedTotal += result.accepted;
      for (const p of plays) answered.add(p.id);
    };

    // Playback learns the displays from location's events: wait until a first play is accepted.
    const first = playOf(displays[0]!, 0);
    await pollUntil('playback to know the demo displays', async () => {
      const res = await graphql<{ recordPlayback: IngestResult }>(gateway, RECORD, { i: { plays: [first] } }, hq);
      return res.data?.recordPlayback.accepted === 1 || undefined;
    });
    answered.add(first.id);
    acceptedTotal += 1;
    // Every display known (a NOT_FOUND rejection mid-stream would fail the run).
    await pollUntil('playback to know every demo display', async () => {
      const probe = displays.map((d, i) => playOf(d, i));
      const res = await graphql<{ recordPlayback: IngestResult }>(gateway, RECORD, { i: { plays: probe } }, hq);
      const result = res.data?.recordPlayback;
      if (!result) return undefined;
      const rejected = new Set(result.rejected.map((r) => r.index));
      // Plays that were accepted count like any other; the rejected ones were never accepted.
      probe.forEach((p, i) => !rejected.has(i) && answered.add(p.id));
      acceptedTotal += result.accepted;
      return result.rejected.length === 0 || undefined;
    });

    // Clients stream until 3,000 more plays were accepted after the kill (by the restarted process, then): a
    // bounded volume keeps the writer's backlog, and the run, short.
    let stop = false;
    let killedAt: number | undefined;
    let sentBatches = 0;
    const client = async (c: number) => {
      let n = 0;
      while (!stop && !(killedAt !== undefined && acceptedTotal >= killedAt + 3_000)) {
        const plays = Array.from({ length: BATCH }, (_, i) => playOf(displays[(c + i) % displays.length]!, n++));
        await record(plays);
        sentBatches++;
      }
    };
    const streaming = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    streaming.catch(() => (stop = true));

    try {
      // Let the stream and the writer get going, then crash playback in the middle of both.
      await pollUntil('a first stretch of accepted plays', () => acceptedTotal >= 3_000 || undefined, {
        timeoutMs: 90_000,
        intervalMs: 20,
      });
      killedAt = acceptedTotal;
      await platform.kill('playback');
      const restartedAt = Date.now();
      await platform.startProcess('playback');
      console.warn(`playback killed after ${killedAt} accepted plays; back in ${Date.now() - restartedAt} ms`);
    } finally {
      // Clients done or failed: either way none keeps sending after this point.
      await streaming.finally(() => (stop = true));
    }
    console.warn(
      `${answered.size} plays answered in ${sentBatches} batches (${acceptedTotal} answered accepted, ${failedCalls} calls failed while playback was down)`,
    );
    expect(failedCalls).toBeGreaterThan(0); // the kill happened under load, or this scenario proved nothing

    // The report (rollups) and the raw plays converge on exactly the answered plays.
    const t0 = Date.now();
    let lastLog = 0;
    await pollUntil(
      'the report to count every accepted play',
      async () => {
        const reported = await reportedPlays(gateway, hq);
        if (Date.now() - lastLog > 10_000) {
          lastLog = Date.now();
          console.warn(`report ${reported}/${answered.size}; ${await busLag(platform.databaseUrl)}`);
        }
        return reported >= answered.size || undefined;
      },
      {
        timeoutMs: 90_000,
        intervalMs: 500,
      },
    );
    console.warn(`report caught up in ${Date.now() - t0} ms`);
    expect(await reportedPlays(gateway, hq)).toBe(answered.size);
    const db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ id: string }>(`SELECT "id"::text FROM "playback"."play"`);
      const stored = rows.map((r) => r.id);
      expect(new Set(stored).size).toBe(stored.length);
      expect(stored.filter((id) => !answered.has(id))).toEqual([]);
      expect(stored.length).toBe(answered.size);
      // Nothing was given up on, by any consumer group, on the way.
      const { rows: dead } = await db.query<{ group_id: string; topic: string; attempts: number; error: string }>(
        `SELECT "group_id", "topic", "partition", "offset", "attempts", "error", left("value", 300) AS value FROM "bus"."dead_letters"`,
      );
      expect(dead).toEqual([]);
    } finally {
      await db.end();
    }
  }, 300_000);
});

/** What the writer group has left to do, per partition (a diagnostic for a report that does not catch up). */
async function busLag(url: string): Promise<string> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{
      partition: number;
      head: string;
      next: string;
      owner: string | null;
      lease: string;
    }>(
      `SELECT o."partition", p."next_offset"::text AS head, o."next_offset"::text AS next, o."owner"::text AS owner,
              (o."lease_until" - now())::text AS lease
       FROM "bus"."consumer_offsets" o JOIN "bus"."partitions" p USING ("topic", "partition")
       WHERE o."group_id" = 'playback-writer' ORDER BY 1`,
    );
    return rows
      .map((r) => `p${r.partition} ${r.next}/${r.head} owner ${r.owner?.slice(0, 8)} lease ${r.lease}`)
      .join('; ');
  } finally {
    await db.end();
  }
}
