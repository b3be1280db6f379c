import { randomUUID } from 'node:crypto';
import type { Logger } from '@phub/kit';

/**
 * Demo proof-of-play history, so that a first start on embedded defaults shows reports with something in
 * them: for every demo display, the items of its current playlist played in turn every 20 minutes from
 * 08:00 to 20:00 UTC over the last DAYS days. It goes through the public graph (an HQ admin may record
 * playback for any display), exactly as a backfill script would, and only when the tenant has no plays
 * in that window, so a restart never adds a second history.
 */
export const DEMO_HISTORY_DAYS = 14;
const EVERY_MS = 20 * 60_000;
// About 330 bytes a play as JSON: 400 stay well inside the gateway's default 256 KiB body limit.
const BATCH = 400;

interface PlaylistItem {
  campaignId: string | null;
  creativeId: string;
  durationMs: number;
}

export async function seedDemoPlayback(
  gateway: string,
  logger: Logger,
  now = Date.now(),
): Promise<{ plays: number; displays: number } | null> {
  const gql = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> => {
    const res = await fetch(gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
    if (!body.data || body.errors?.length) throw new Error(body.errors?.[0]?.message ?? `HTTP ${res.status}`);
    return body.data;
  };
  const { login } = await gql<{ login: { accessToken: string } }>(
    `mutation { login(email: "hq@demo.test", password: "demo-password") { accessToken } }`,
  );
  const token = login.accessToken;
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const first = today - DEMO_HISTORY_DAYS * 86_400_000;
  const { playbackReport } = await gql<{ playbackReport: { totals: { plays: number } } }>(
    `query ($f: PlaybackReportFilter!) { playbackReport(filter: $f) { totals { plays } } }`,
    { f: { from: day(first - 86_400_000), to: day(today + 86_400_000) } },
    token,
  );
  if (playbackReport.totals.plays > 0) {
    logger.info({ plays: playbackReport.totals.plays }, 'demo playback history present: not recorded again');
    return null;
  }

  const { displays } = await gql<{ displays: { edges: { node: { id: string } }[] } }>(
    `{ displays(first: 100) { edges { node { id } } } }`,
    {},
    token,
  );
  const plays: Record<string, unknown>[] = [];
  let reached = 0;
  for (const { node } of displays.edges) {
    const { displayPlaylist } = await gql<{ displayPlaylist: { version: string; items: PlaylistItem[] } }>(
      `query ($d: ID!) { displayPlaylist(displayId: $d) { version items { campaignId creativeId durationMs } } }`,
      { d: node.id },
      token,
    );
    const items = displayPlaylist.items;
    if (!items.length) continue;
    reached++;
    let n = 0;
    for (let d = first; d <= today; d += 86_400_000) {
      for (let t = d + 8 * 3_600_000; t < d + 20 * 3_600_000 && t + 60_000 < now; t += EVERY_MS) {
        const item = items[n++ % items.length]!;
        plays.push({
          id: randomUUID(),
          displayId: node.id,
          campaignId: item.campaignId,
          creativeId: item.creativeId,
          playlistVersion: displayPlaylist.version,
          startedAt: new Date(t).toISOString(),
          endedAt: new Date(t + item.durationMs).toISOString(),
          durationMs: item.durationMs,
        });
      }
    }
  }
  for (let i = 0; i < plays.length; i += BATCH) {
    await gql(
      `mutation ($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted } }`,
      { i: { plays: plays.slice(i, i + BATCH) } },
      token,
    );
  }
  logger.info({ plays: plays.length, displays: reached, days: DEMO_HISTORY_DAYS }, 'demo playback history recorded');
  return { plays: plays.length, displays: reached };
}
