import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DISPLAY_1,
  DISPLAY_2,
  heartbeat,
  OTHER_DISPLAY,
  play,
  startPlayback,
  T0,
  type PlaybackHarness,
} from '../../testing/harness.js';
import { IngestResolver } from './ingest.resolver.js';

const RECORD = `mutation($i: RecordPlaybackInput!) {
  recordPlayback(input: $i) { accepted duplicates rejected { kind index id reason code } }
}`;

interface Result {
  accepted: number;
  duplicates: number;
  rejected: { kind: string; index: number; id: string | null; reason: string; code: string }[];
}

describe(IngestResolver.name, () => {
  let h: PlaybackHarness;
  beforeAll(async () => {
    h = await startPlayback();
  });
  afterAll(async () => h?.stop());

  it('records plays and heartbeats through the graph, once each even when the batch is retried', async () => {
    const device = await h.token('device');
    const batch = { plays: [play(), play()], heartbeats: [heartbeat(T0)] };
    const first = await h.gql<{ recordPlayback: Result }>(RECORD, { i: batch }, device);
    expect(first.data?.recordPlayback).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    const ids = batch.plays.map((p) => `'${p.id}'`).join(',');
    await waitFor(async () => (await h.count('play', `id IN (${ids})`)) === 2, { message: 'plays written' });

    const retried = await h.gql<{ recordPlayback: Result }>(RECORD, { i: batch }, device);
    expect(retried.data?.recordPlayback).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    // Even a batch replayed on the bus (the writer's own idempotency) leaves counts alone.
    await h.infra.bus.publish('playback.events.v1', [
      {
        key: DISPLAY_1,
        value: {
          tenantId: '00000000-0000-4000-8000-00000000d3e0',
          storeId: '00000000-0000-4000-8000-0000000005a1',
          displayId: DISPLAY_1,
          receivedAt: new Date(T0).toISOString(),
          plays: batch.plays,
          heartbeats: [],
        },
      },
    ]);
    const rollup = async () =>
      (await h.db.query(`SELECT sum(plays)::int AS n FROM playback.play_rollup WHERE display_id = $1`, [DISPLAY_1]))
        .rows[0] as { n: number };
    await waitFor(async () => (await rollup()).n === 2);
    expect(await h.count('play', `id IN (${ids})`)).toBe(2);
    expect((await rollup()).n).toBe(2);
  });

  it('takes the same JSON over POST /ingest with a bearer device token', async () => {
    const device = await h.token('device');
    const p = play();
    const res = await h.http('/ingest', { method: 'POST', body: { plays: [p], heartbeats: [] }, bearer: device });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    await waitFor(async () => (await h.count('play', `id = '${p.id}'`)) === 1);

    const anonymous = await h.http('/ingest', { method: 'POST', body: { plays: [play()] } });
    expect(anonymous.status).toBe(401);
    const viewer = await h.http('/ingest', {
      method: 'POST',
      body: { plays: [play()] },
      bearer: await h.token('hqViewer'),
    });
    expect(viewer.status).toBe(403);
  });

  it('rejects malformed events one by one with reasons and keeps the rest', async () => {
    const good = play();
    const res = await h.gql<{ recordPlayback: Result }>(
      RECORD,
      {
        i: {
          plays: [
            play({ id: 'not-a-uuid' }),
            good,
            play({ durationMs: -5 }),
            play({ startedAt: new Date(T0).toISOString(), endedAt: new Date(T0 - 1000).toISOString() }),
            play({ startedAt: 'yesterday' }),
            play({ endedAt: new Date(T0 + 3600_000).toISOString(), startedAt: new Date(T0 + 3500_000).toISOString() }),
          ],
          heartbeats: [heartbeat(T0, { at: 'now' }), heartbeat(T0)],
        },
      },
      await h.token('device'),
    );
    const result = res.data!.recordPlayback;
    expect(result.accepted).toBe(2);
    expect(result.rejected.map((r) => [r.kind, r.index, r.code])).toEqual([
      ['HEARTBEAT', 0, 'BAD_USER_INPUT'],
      ['PLAY', 0, 'BAD_USER_INPUT'],
      ['PLAY', 2, 'BAD_USER_INPUT'],
      ['PLAY', 3, 'BAD_USER_INPUT'],
      ['PLAY', 4, 'BAD_USER_INPUT'],
      ['PLAY', 5, 'BAD_USER_INPUT'],
    ]);
    expect(result.rejected.find((r) => r.kind === 'PLAY' && r.index === 0)?.reason).toMatch(/id must be a UUID/);
    expect(result.rejected.find((r) => r.index === 3 && r.kind === 'PLAY')?.reason).toMatch(
      /endedAt must not be before/,
    );
    expect(result.rejected.find((r) => r.index === 5 && r.kind === 'PLAY')?.reason).toMatch(/future/);
    await waitFor(async () => (await h.count('play', `id = '${good.id}'`)) === 1);
  });

  it('lets a device record only for its own display (FORBIDDEN), and HQ admins backfill any of the tenant', async () => {
    const denied = await h.gql(RECORD, { i: { plays: [play({ displayId: DISPLAY_2 })] } }, await h.token('device'));
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const mixed = await h.gql(
      RECORD,
      { i: { plays: [play(), play({ displayId: DISPLAY_2 })] } },
      await h.token('device'),
    );
    expect(mixed.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const admin = await h.gql<{ recordPlayback: Result }>(
      RECORD,
      { i: { plays: [play({ displayId: DISPLAY_2 })] } },
      await h.token('hqAdmin'),
    );
    expect(admin.data?.recordPlayback.accepted).toBe(1);
  });

  it('keeps tenants apart: a display of another tenant is unknown to this tenant', async () => {
    const res = await h.gql<{ recordPlayback: Result }>(
      RECORD,
      { i: { plays: [play({ displayId: OTHER_DISPLAY })] } },
      await h.token('hqAdmin'),
    );
    expect(res.data?.recordPlayback.accepted).toBe(0);
    expect(res.data?.recordPlayback.rejected[0]?.code).toBe('NOT_FOUND');
  });

  it('refuses a batch larger than the limit as a whole', async () => {
    const plays = Array.from({ length: 1001 }, () => play());
    const res = await h.gql(RECORD, { i: { plays } }, await h.token('device'));
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
