import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, login } from '@phub/e2e';
import { createLogger, partitionFor, PostgresBus } from '@phub/kit';
import {
  claimsOf,
  dataOf,
  demoStores,
  DISPLAY_PLAYLIST,
  pollUntil,
  reportedPlays,
  SplitPlatform,
  type PlaylistView,
} from './harness.js';

const TOPIC = 'playback.events.v1';
const WRITER_GROUP = 'playback-writer';
const MAX_ATTEMPTS = 3;
const RECORD = `mutation ($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted duplicates rejected { index reason } } }`;

/**
 * A poison event on the playback bus (one the writer's transaction can never store) does not stop its
 * partition: after BUS_MAX_ATTEMPTS it is in `bus.dead_letters`, and the plays recorded after it for the same
 * display (same key, same partition) are written and reported.
 */
describe('a poison event on playback.events.v1', () => {
  let platform: SplitPlatform;
  let bus: PostgresBus | undefined;

  beforeAll(async () => {
    platform = await SplitPlatform.start({
      env: { BUS_MAX_ATTEMPTS: String(MAX_ATTEMPTS), BUS_RETRY_DELAY_MS: '50' },
    });
  });
  afterAll(async () => {
    await bus?.close();
    await platform?.stop();
  });

  it('goes to the dead letters, and later plays of its partition are written', async () => {
    const gateway = platform.gateway;
    const hq = await login(gateway, 'hq@demo.test');
    const store = (await demoStores(gateway, hq)).find((s) => s.name === 'London Oxford Street')!;
    const displayId = store.displays[0]!.id;
    const playlist = dataOf(
      await graphql<{ displayPlaylist: PlaylistView }>(gateway, DISPLAY_PLAYLIST, { d: displayId }, hq),
      'displayPlaylist',
    ).displayPlaylist;
    const playOf = () => {
      const item = playlist.items[0];
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
    const written = new Set<string>();
    const record = async (plays: ReturnType<typeof playOf>[]) => {
      const res = await graphql<{ recordPlayback: { accepted: number; rejected: unknown[] } }>(
        gateway,
        RECORD,
        { i: { plays } },
        hq,
      );
      const result = res.data?.recordPlayback;
      if (result?.accepted === plays.length) plays.forEach((p) => written.add(p.id));
      return result;
    };
    // Playback learns the display from location's events first.
    await pollUntil(
      'playback to know the display',
      async () => (await record([playOf()]))?.accepted === 1 || undefined,
    );

    // The poison: a well-formed batch whose receivedAt (year 0) Postgres refuses, so its transaction fails every time.
    bus = await PostgresBus.open({ url: platform.databaseUrl, logger: createLogger('reliability', 'silent') });
    const poisonPlay = playOf();
    await bus.publish(TOPIC, [
      {
        key: displayId,
        value: {
          tenantId: claimsOf(hq).tid,
          storeId: store.id,
          displayId,
          receivedAt: '0000-01-01T00:00:00Z',
          plays: [poisonPlay],
          heartbeats: [],
        },
      },
    ]);

    // Later plays of the same display: same key, so the same partition, behind the poison.
    for (let i = 0; i < 5; i++) {
      const result = await record(Array.from({ length: 20 }, playOf));
      expect(result).toEqual({ accepted: 20, duplicates: 0, rejected: [] });
    }

    const [dead] = await pollUntil('the poison event in the dead letters', async () => {
      const letters = await bus!.deadLetters({ topic: TOPIC });
      return letters.length ? letters : undefined;
    });
    await pollUntil(
      'every later play in the report',
      async () => (await reportedPlays(gateway, hq)) >= written.size || undefined,
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(await reportedPlays(gateway, hq)).toBe(written.size);

    expect(dead).toMatchObject({
      groupId: WRITER_GROUP,
      topic: TOPIC,
      key: displayId,
      partition: partitionFor(displayId, await bus.partitionsOf(TOPIC)),
      attempts: MAX_ATTEMPTS,
      value: { receivedAt: '0000-01-01T00:00:00Z', plays: [{ id: poisonPlay.id }] },
    });
    expect(dead!.error).toMatch(/out of range/);
    expect(await bus.deadLetters({ topic: TOPIC })).toHaveLength(1);

    const db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ id: string }>(`SELECT "id"::text FROM "playback"."play"`);
      expect(new Set(rows.map((r) => r.id))).toEqual(written);
      // The writer's group moved past the poison on its partition.
      const { rows: offsets } = await db.query<{ next: string }>(
        `SELECT "next_offset"::text AS next FROM "bus"."consumer_offsets"
         WHERE "group_id" = $1 AND "topic" = $2 AND "partition" = $3`,
        [WRITER_GROUP, TOPIC, dead!.partition],
      );
      expect(Number(offsets[0]!.next)).toBeGreaterThan(Number(dead!.offset) + 1);
    } finally {
      await db.end();
    }
  }, 180_000);
});
