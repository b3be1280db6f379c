import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CAMPAIGN_A,
  CAMPAIGN_B,
  CREATIVE_X,
  CREATIVE_Y,
  DISPLAY_2,
  play,
  STORE_1,
  STORE_2,
  startPlayback,
  type PlaybackHarness,
} from '../../testing/harness.js';
import { ReportService } from './report.service.js';

const REPORT = `query($f: PlaybackReportFilter!) {
  playbackReport(filter: $f) { rows { day campaignId creativeId storeId plays playTimeMs displays } totals { plays playTimeMs displays } }
}`;
const at = (day: string, hh: string) => ({
  startedAt: `2030-03-${day}T${hh}:00:00.000Z`,
  endedAt: `2030-03-${day}T${hh}:00:10.000Z`,
});

describe(ReportService.name, () => {
  let h: PlaybackHarness;
  beforeAll(async () => {
    h = await startPlayback();
    const plays = [
      play({ ...at('08', '09'), campaignId: CAMPAIGN_A, creativeId: CREATIVE_X, durationMs: 10_000 }),
      play({ ...at('08', '10'), campaignId: CAMPAIGN_A, creativeId: CREATIVE_Y, durationMs: 5_000 }),
      play({ ...at('09', '09'), campaignId: CAMPAIGN_B, creativeId: CREATIVE_X, durationMs: 7_000 }),
      play({
        ...at('08', '11'),
        displayId: DISPLAY_2,
        campaignId: CAMPAIGN_A,
        creativeId: CREATIVE_X,
        durationMs: 3_000,
      }),
    ];
    const res = await h.gql<{ recordPlayback: { accepted: number } }>(
      `mutation($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted } }`,
      { i: { plays } },
      await h.token('hqAdmin'),
    );
    expect(res.data?.recordPlayback.accepted).toBe(4);
    await waitFor(async () => (await h.count('play')) === 4);
  });
  afterAll(async () => h?.stop());

  it('totals plays, play time and displays reached by campaign', async () => {
    const res = await h.gql<{ playbackReport: { rows: unknown[]; totals: unknown } }>(
      REPORT,
      { f: { from: '2030-03-01', to: '2030-03-31', groupBy: ['CAMPAIGN'] } },
      await h.token('hqViewer'),
    );
    expect(res.data?.playbackReport.rows).toEqual(
      [
        { campaignId: CAMPAIGN_A, plays: 3, playTimeMs: 18_000, displays: 2 },
        { campaignId: CAMPAIGN_B, plays: 1, playTimeMs: 7_000, displays: 1 },
      ].map((r) => ({ day: null, creativeId: null, storeId: null, ...r })),
    );
    expect(res.data?.playbackReport.totals).toEqual({ plays: 4, playTimeMs: 25_000, displays: 2 });
  });

  it('groups by store and day, filters, and limits store managers to their stores', async () => {
    const byStoreDay = await h.gql<{ playbackReport: { rows: { day: string; storeId: string; plays: number }[] } }>(
      REPORT,
      { f: { from: '2030-03-08', to: '2030-03-09', groupBy: ['STORE', 'DAY'] } },
      await h.token('partner'),
    );
    expect(byStoreDay.data?.playbackReport.rows.map((r) => [r.day, r.storeId, r.plays])).toEqual([
      ['2030-03-08', STORE_1, 2],
      ['2030-03-08', STORE_2, 1],
      ['2030-03-09', STORE_1, 1],
    ]);
    const manager = await h.gql<{ playbackReport: { totals: { plays: number } } }>(
      REPORT,
      { f: { from: '2030-03-01', to: '2030-03-31', groupBy: [] } },
      await h.token('manager'),
    );
    expect(manager.data?.playbackReport.totals.plays).toBe(3);
    const filtered = await h.gql<{ playbackReport: { totals: { plays: number } } }>(
      REPORT,
      { f: { from: '2030-03-08', to: '2030-03-08', campaignId: CAMPAIGN_A, storeId: STORE_1, groupBy: [] } },
      await h.token('hqAdmin'),
    );
    expect(filtered.data?.playbackReport.totals.plays).toBe(2);
    const other = await h.gql<{ playbackReport: { totals: { plays: number } } }>(
      REPORT,
      { f: { from: '2030-03-01', to: '2030-03-31', groupBy: [] } },
      await h.token('otherAdmin'),
    );
    expect(other.data?.playbackReport.totals.plays).toBe(0);
    const tooLong = await h.gql(
      REPORT,
      { f: { from: '2020-01-01', to: '2030-03-31', groupBy: [] } },
      await h.token('hqAdmin'),
    );
    expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('exports the same figures as CSV, through the graph and GET /reports/plays.csv', async () => {
    const expected = [
      'day,campaignId,plays,playTimeMs,displays',
      `2030-03-08,${CAMPAIGN_A},3,18000,2`,
      `2030-03-09,${CAMPAIGN_B},1,7000,1`,
      '',
    ].join('\n');
    const gql = await h.gql<{ playbackReportCsv: string }>(
      `query($f: PlaybackReportFilter!) { playbackReportCsv(filter: $f) }`,
      { f: { from: '2030-03-01', to: '2030-03-31', groupBy: ['DAY', 'CAMPAIGN'] } },
      await h.token('hqAdmin'),
    );
    expect(gql.data?.playbackReportCsv).toBe(expected);
    const res = await h.http('/reports/plays.csv?from=2030-03-01&to=2030-03-31&groupBy=CAMPAIGN,DAY', {
      bearer: await h.token('partner'),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await res.text()).toBe(expected);
    const denied = await h.http('/reports/plays.csv?from=2030-03-01&to=2030-03-31', {
      bearer: await h.token('partnerNoScope'),
    });
    expect(denied.status).toBe(403);
  });
});
