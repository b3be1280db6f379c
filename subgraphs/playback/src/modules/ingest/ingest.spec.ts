import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAMPAIGN_A,
  CAMPAIGN_B,
  CREATIVE_X,
  CREATIVE_Y,
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

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** A play over [start, start + ms] with a matching duration. */
const window = (start: number, ms = 10_000) => ({ startedAt: iso(start), endedAt: iso(start + ms), durationMs: ms });

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
    // Playback has heard of no campaign in this test, so the play is kept and flagged.
    expect(await res.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [],
      flagged: [{ index: 0, id: p.id, reason: 'UNKNOWN_CAMPAIGN' }],
    });
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

  it('flags accepted plays that name a campaign it never heard of, or a creative that campaign never had', async () => {
    await h.publishCampaign(CAMPAIGN_A, [CREATIVE_X]);
    await waitFor(async () => (await h.count('known_campaign')) === 1, { message: 'the campaign projection' });
    const plays = [
      play({ campaignId: CAMPAIGN_A, creativeId: CREATIVE_X }),
      play({ campaignId: CAMPAIGN_A, creativeId: CREATIVE_Y }),
      play({ campaignId: CAMPAIGN_B, creativeId: CREATIVE_X }),
      play({ campaignId: null, creativeId: CREATIVE_Y }), // a display override: no campaign to check
    ];
    const res = await h.gql<{ recordPlayback: Result & { flagged: { index: number; id: string; reason: string }[] } }>(
      `mutation($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted flagged { index id reason } } }`,
      { i: { plays } },
      await h.token('device'),
    );
    expect(res.errors).toBeUndefined();
    // Flagged, not refused: campaign news may lag behind a player.
    expect(res.data!.recordPlayback.accepted).toBe(4);
    expect(res.data!.recordPlayback.flagged).toEqual([
      { index: 1, id: plays[1]!.id, reason: 'UNKNOWN_CREATIVE' },
      { index: 2, id: plays[2]!.id, reason: 'UNKNOWN_CAMPAIGN' },
    ]);
  });

  it('refuses a batch larger than the limit as a whole', async () => {
    const plays = Array.from({ length: 1001 }, () => play());
    const res = await h.gql(RECORD, { i: { plays } }, await h.token('device'));
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  // Issue 11: each of these was accepted, then failed the writer forever (or stored garbage).
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a NUL in playlistVersion', { playlistVersion: 'v1\u0000' }, /playlistVersion must not contain control/],
    ['a line break in playlistVersion', { playlistVersion: 'v1\n' }, /playlistVersion must not contain control/],
    ['a lone surrogate in playlistVersion', { playlistVersion: 'v\uD800' }, /unpaired surrogates/],
    ['a playlistVersion of 201 characters', { playlistVersion: 'v'.repeat(201) }, /at most 200/],
    [
      'year 0000',
      { startedAt: '0000-01-01T00:00:00Z', endedAt: '0000-01-01T00:00:10Z' },
      /startedAt must be between 2000-01-01/,
    ],
    ['a start before 2000', { ...window(Date.parse('1999-12-31T23:59:50Z')) }, /startedAt must be between/],
    ['30 February', { startedAt: '2030-02-30T00:00:00Z', endedAt: '2030-03-01T00:00:10Z' }, /startedAt/],
    ['24:00', { startedAt: '2030-03-09T24:00:00Z' }, /startedAt/],
    ['an instant without offset', { startedAt: '2030-03-10T09:59:40' }, /startedAt/],
    ['an offset Postgres refuses', { startedAt: '2030-03-10T09:59:40+23:59' }, /offset must be within/],
    ['9999-12-31', { startedAt: '9999-12-31T23:59:50Z', endedAt: '9999-12-31T23:59:59Z' }, /endedAt is in the future/],
    ['a start older than 400 days', { ...window(T0 - 401 * DAY) }, /startedAt is older than 400 days/],
    ['a duration longer than its window', { ...window(T0 - 20_000), durationMs: 11_500 }, /durationMs must not exceed/],
    ['a fractional duration', { durationMs: 1.5 }, /whole number/],
    ['a huge duration', { durationMs: 1e12 }, /durationMs must be at most/],
    ['a NaN-like duration', { durationMs: 'NaN' }, /durationMs/],
    ['a campaignId that is not a UUID', { campaignId: 'campaign-1' }, /campaignId must be a UUID/],
    ['a creativeId with a NUL', { creativeId: '\u0000' }, /creativeId must be a UUID/],
  ])('over POST /ingest, rejects a play with %s, keeps the rest of the batch', async (_what, over, reason) => {
    const good = play();
    const res = await h.http('/ingest', {
      method: 'POST',
      body: { plays: [play(over), good] },
      bearer: await h.token('device'),
    });
    expect(res.status).toBe(200);
    const result = (await res.json()) as Result;
    expect(result.accepted).toBe(1);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]).toMatchObject({ kind: 'PLAY', index: 0, code: 'BAD_USER_INPUT' });
    expect(result.rejected[0]!.reason).toMatch(reason);
    await waitFor(async () => (await h.count('play', `id = '${good.id}'`)) === 1);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['year 0000', { at: '0000-01-01T00:00:00Z' }, /at must be between/],
    ['a NUL in appVersion', { appVersion: '1.0\u0000' }, /appVersion must not contain control/],
    ['an uptime beyond Postgres integer', { uptimeSeconds: 2 ** 31 }, /uptimeSeconds/],
    ['a beat older than 400 days', { at: iso(T0 - 401 * DAY) }, /at is older than 400 days/],
  ])('over POST /ingest, rejects a heartbeat with %s', async (_what, over, reason) => {
    const res = await h.http('/ingest', {
      method: 'POST',
      body: { heartbeats: [heartbeat(T0, over), heartbeat(T0)] },
      bearer: await h.token('device'),
    });
    const result = (await res.json()) as Result;
    expect(result.accepted).toBe(1);
    expect(result.rejected).toEqual([expect.objectContaining({ kind: 'HEARTBEAT', index: 0, code: 'BAD_USER_INPUT' })]);
    expect(result.rejected[0]!.reason).toMatch(reason);
  });

  it('after a NUL playlistVersion and a 0000-01-01 start, later plays of the same display are still written', async () => {
    const device = await h.token('device');
    const nul = play({ playlistVersion: 'v1\u0000' });
    const year0 = play({ startedAt: '0000-01-01T00:00:00Z', endedAt: '0000-01-01T00:00:10Z' });
    const first = (await (
      await h.http('/ingest', { method: 'POST', body: { plays: [nul, year0] }, bearer: device })
    ).json()) as Result;
    expect(first.accepted).toBe(0);
    expect(first.rejected.map((r) => r.id)).toEqual([nul.id, year0.id]);

    // Over the graph the kit's guard refuses the NUL before the resolver: the whole request, with its path.
    const viaGraph = await h.gql(RECORD, { i: { plays: [nul] } }, device);
    expect(viaGraph.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ field: 'recordPlayback.input.plays[0].playlistVersion' })],
    });
    const year0ViaGraph = await h.gql<{ recordPlayback: Result }>(RECORD, { i: { plays: [year0] } }, device);
    expect(year0ViaGraph.data?.recordPlayback.rejected[0]?.reason).toMatch(/startedAt must be between/);

    const later = play(window(T0 - 5_000, 4_000));
    const res = await h.gql<{ recordPlayback: Result }>(RECORD, { i: { plays: [later] } }, device);
    expect(res.data?.recordPlayback.accepted).toBe(1);
    await waitFor(async () => (await h.count('play', `id = '${later.id}'`)) === 1, { message: 'the later play' });
    expect(await h.count('play', `id IN ('${nul.id}', '${year0.id}')`)).toBe(0);
  });

  it('stores instants with an offset as the same instant in UTC', async () => {
    const p = play({ startedAt: '2030-03-10T10:59:40+01:00', endedAt: '2030-03-10T10:59:50.000+01:00' });
    const res = await h.gql<{ recordPlayback: Result }>(RECORD, { i: { plays: [p] } }, await h.token('device'));
    expect(res.data?.recordPlayback.accepted).toBe(1);
    await waitFor(async () => (await h.count('play', `id = '${p.id}'`)) === 1);
    const row = (await h.db.query(`SELECT started_at FROM playback.play WHERE id = $1`, [p.id])).rows[0] as {
      started_at: Date;
    };
    expect(row.started_at.toISOString()).toBe('2030-03-10T09:59:40.000Z');
  });

  it('drops what Postgres would refuse from a batch already on the bus, and the partition moves on', async () => {
    // As an older version published them: the writer must not retry such a batch forever.
    const poison = [
      play({ playlistVersion: 'v1\u0000' }),
      play({ startedAt: '0000-01-01T00:00:00Z', endedAt: '0000-01-01T00:00:10Z' }),
      play({ startedAt: '2030-03-10T09:59:40+23:59' }),
    ];
    const fine = play();
    const header = {
      tenantId: '00000000-0000-4000-8000-00000000d3e0',
      storeId: '00000000-0000-4000-8000-0000000005a1',
      displayId: DISPLAY_1,
      receivedAt: new Date(T0).toISOString(),
      heartbeats: [],
    };
    const after = play();
    await h.infra.bus.publish('playback.events.v1', [
      { key: DISPLAY_1, value: { ...header, plays: [...poison, fine] } },
      { key: DISPLAY_1, value: { ...header, plays: [after] } },
    ]);
    await waitFor(async () => (await h.count('play', `id IN ('${fine.id}', '${after.id}')`)) === 2, {
      message: 'the batch behind the poison',
    });
    expect(await h.count('play', `id IN (${poison.map((p) => `'${p.id}'`).join(',')})`)).toBe(0);
  });
});
