import { createHash } from 'node:crypto';
import { defineJob, type JobSource, type Logger } from '@phub/kit';
import { DateTime } from 'luxon';

/**
 * Demo proof-of-play and heartbeat history, so that a first start on embedded defaults shows reports with
 * something in them, and a fleet whose displays were last seen when their stores last played: for every demo display, the items of its current playlist played in turn every 20 minutes while
 * its store is open (its own opening hours, in its time zone) over the last DAYS days, up to now. It goes through the public graph (an HQ admin may record
 * playback for any display), exactly as a backfill script would, and only when the tenant has no plays
 * in that window; play ids are derived from display and time, so even a second sending adds nothing.
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

interface DemoStore {
  timezone: string;
  openingHours: { day: string; opens: string; closes: string }[];
}

const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/**
 * A demo play's id follows from its display and start, so sending the history twice (a restart that looked
 * before the writer had caught up) stores every play once: ingestion and the writer ignore known ids.
 */
export function demoPlayId(displayId: string, startedAt: number): string {
  const h = createHash('sha256').update(`phub-demo-play:${displayId}:${startedAt}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Instants every EVERY_MS within the store's opening windows, over the store-local days that end by `now`. */
export function openInstants(store: DemoStore, now: number, days: number): number[] {
  const out: number[] = [];
  const today = DateTime.fromMillis(now, { zone: store.timezone }).startOf('day');
  for (let d = days; d >= 0; d--) {
    const date = today.minus({ days: d });
    for (const w of store.openingHours) {
      if (w.day !== WEEKDAYS[date.weekday - 1]) continue;
      const at = (hhmm: string) =>
        date.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3, 5)) }).toMillis();
      for (let t = at(w.opens); t < at(w.closes) && t + 60_000 < now; t += EVERY_MS) out.push(t);
    }
  }
  return out.sort((a, b) => a - b);
}

/**
 * One display's demo history: the items of its playlist played in turn at every open instant, and a heartbeat
 * at the end of each (what a player sends), so the fleet shows when each screen was last seen and what it last
 * played — a screen with nothing to play still sends heartbeats. Ids follow from display and time.
 */
export function demoHistory(
  displayId: string,
  store: DemoStore,
  playlist: { version: string; items: PlaylistItem[] },
  now: number,
): { plays: Record<string, unknown>[]; heartbeats: Record<string, unknown>[] } {
  const plays: Record<string, unknown>[] = [];
  const heartbeats: Record<string, unknown>[] = [];
  let n = 0;
  for (const t of openInstants(store, now, DEMO_HISTORY_DAYS)) {
    const item = playlist.items.length ? playlist.items[n++ % playlist.items.length]! : null;
    const end = Math.min(t + (item?.durationMs ?? 10_000), now);
    if (item) {
      plays.push({
        id: demoPlayId(displayId, t),
        displayId,
        campaignId: item.campaignId,
        creativeId: item.creativeId,
        playlistVersion: playlist.version,
        startedAt: new Date(t).toISOString(),
        endedAt: new Date(t + item.durationMs).toISOString(),
        durationMs: item.durationMs,
      });
    }
    heartbeats.push({
      id: demoPlayId(`heartbeat:${displayId}`, end),
      displayId,
      at: new Date(end).toISOString(),
      currentCreativeId: item?.creativeId ?? null,
      playlistVersion: playlist.version,
      appVersion: 'demo',
      uptimeSeconds: Math.round((end - t) / 1000) + 3600,
    });
  }
  return { plays, heartbeats };
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

  const { displays } = await gql<{ displays: { edges: { node: { id: string; store: DemoStore } }[] } }>(
    `{ displays(first: 100) { edges { node { id store { timezone openingHours { day opens closes } } } } } }`,
    {},
    token,
  );
  const plays: Record<string, unknown>[] = [];
  const heartbeats: Record<string, unknown>[] = [];
  let reached = 0;
  for (const { node } of displays.edges) {
    const { displayPlaylist } = await gql<{ displayPlaylist: { version: string; items: PlaylistItem[] } }>(
      `query ($d: ID!) { displayPlaylist(displayId: $d) { version items { campaignId creativeId durationMs } } }`,
      { d: node.id },
      token,
    );
    const history = demoHistory(node.id, node.store, displayPlaylist, now);
    plays.push(...history.plays);
    heartbeats.push(...history.heartbeats);
    if (history.plays.length) reached++;
  }
  for (const [kind, events] of [
    ['plays', plays],
    ['heartbeats', heartbeats],
  ] as const) {
    for (let i = 0; i < events.length; i += BATCH) {
      await gql(
        `mutation ($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted } }`,
        { i: { [kind]: events.slice(i, i + BATCH) } },
        token,
      );
    }
  }
  logger.info(
    { plays: plays.length, heartbeats: heartbeats.length, displays: reached, days: DEMO_HISTORY_DAYS },
    'demo playback history recorded',
  );
  return { plays: plays.length, displays: reached };
}

export const DEMO_HISTORY_JOB = 'demo.playback-history';

/**
 * The demo history as a once-only job of the worker: enqueued once for the database's lifetime, retried with
 * backoff while the platform warms up, visible (and retryable) in the graph like every job. Only with the
 * gateway in the same process (`--target=all` on demo data): it records through the public graph.
 */
export function demoHistoryJobs(gatewayUrl: () => string | undefined, now: () => number = Date.now): JobSource {
  return {
    name: 'demo',
    open: async () => ({
      jobs: [
        defineJob({
          name: DEMO_HISTORY_JOB,
          once: true,
          retry: { limit: 5, delaySeconds: 10, backoff: true },
          timeoutSeconds: 600,
          run: async ({ logger }) => {
            const gateway = gatewayUrl();
            if (!gateway) throw new Error('no gateway in this process to record the demo history through');
            await seedDemoPlayback(gateway, logger, now());
          },
        }),
      ],
      close: async () => undefined,
    }),
  };
}
