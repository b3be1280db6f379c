/**
 * `pnpm simulate:mist`: replays a morning (08:00–12:00) of Juniper Mist `zone` webhooks for the demo stores against
 * a running platform, signed with the demo secret as Mist signs them (`X-Mist-Signature-v2`), so `pnpm start` users
 * see footfall, dwell and presence moments without Mist.
 *
 *   node cmd/phub/dist/simulate-mist.js [--url=http://localhost:4000] [--speed=60] [--visitors=40] [--backfill]
 *
 * Live (default): the morning is compressed `--speed` times (60: four hours in four minutes), every event stamped
 * with the time it is sent, so moments switch the demo displays as they happen. `--backfill`: today's 08:00–12:00
 * (UTC) as it would have happened, sent as fast as the platform answers, for the hourly reports.
 */
import { DEMO_TENANT_ID } from '@phub/kit';
import {
  DEMO_MIST_SECRET,
  DEMO_MIST_ZONES,
  DEMO_STORES,
  demoMistSiteId,
  demoMistZoneId,
  MIST_WEBHOOK_PATH,
  signMist,
} from '@phub/proximity';

interface MistEvent {
  site_id: string;
  map_id: string;
  zone_id: string;
  trigger: 'enter' | 'exit';
  timestamp: number;
  type: 'wifi';
  mac: string;
}

/** A small deterministic generator (mulberry32): the same morning every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MORNING_MS = 4 * 3_600_000;

/** Visitors' paths through each demo store: in at the entrance, perhaps the window or the queue, then out. */
export function morning(
  visitorsPerStore: number,
  seed = 7,
): { offsetMs: number; event: Omit<MistEvent, 'timestamp'> }[] {
  const next = random(seed);
  const out: { offsetMs: number; event: Omit<MistEvent, 'timestamp'> }[] = [];
  for (const store of DEMO_STORES) {
    for (let v = 0; v < visitorsPerStore; v++) {
      const mac = Array.from({ length: 6 }, () =>
        Math.floor(next() * 256)
          .toString(16)
          .padStart(2, '0'),
      ).join('');
      // Busier towards noon: arrivals skewed to the end of the morning.
      let t = Math.sqrt(next()) * (MORNING_MS - 30 * 60_000);
      const zones = [1, ...DEMO_MIST_ZONES.filter((z) => z !== 1 && next() < 0.5)];
      for (const zone of zones) {
        const dwell = (30 + next() * (zone === 4 ? 600 : 180)) * 1000;
        const base = {
          site_id: demoMistSiteId(store),
          map_id: `map-${store}`,
          zone_id: demoMistZoneId(store, zone),
          type: 'wifi' as const,
          mac,
        };
        out.push({ offsetMs: t, event: { ...base, trigger: 'enter' } });
        out.push({ offsetMs: t + dwell, event: { ...base, trigger: 'exit' } });
        t += dwell + 5_000;
      }
    }
  }
  return out.sort((a, b) => a.offsetMs - b.offsetMs);
}

async function post(
  url: string,
  events: MistEvent[],
): Promise<{ stored: number; duplicates: number; rejected: number }> {
  const body = JSON.stringify({ topic: 'zone', events });
  const res = await fetch(`${url}${MIST_WEBHOOK_PATH}/${DEMO_TENANT_ID}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Mist-webhook',
      'X-Mist-Signature-v2': signMist(DEMO_MIST_SECRET, body),
    },
    body,
  });
  if (res.status !== 200) throw new Error(`the platform answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { stored: number; duplicates: number; rejected: number };
}

export async function main(argv: string[]): Promise<void> {
  const arg = (name: string, fallback: string) =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
  const url = arg('url', 'http://localhost:4000')
    .replace(/\/graphql$/, '')
    .replace(/\/$/, '');
  const speed = Number(arg('speed', '60'));
  const visitors = Number(arg('visitors', '40'));
  const backfill = argv.includes('--backfill');
  if (!(speed > 0) || !(visitors > 0)) throw new Error('--speed and --visitors must be positive numbers');
  const plan = morning(visitors);
  const totals = { stored: 0, duplicates: 0, rejected: 0 };
  const add = (r: typeof totals) => {
    totals.stored += r.stored;
    totals.duplicates += r.duplicates;
    totals.rejected += r.rejected;
  };
  if (backfill) {
    const day = new Date();
    day.setUTCHours(8, 0, 0, 0);
    for (let i = 0; i < plan.length; i += 200) {
      const batch = plan.slice(i, i + 200).map((p) => ({ ...p.event, timestamp: (day.getTime() + p.offsetMs) / 1000 }));
      add(await post(url, batch));
    }
  } else {
    const start = Date.now();
    process.stdout.write(
      `replaying ${plan.length} Mist events of ${DEMO_STORES.length} stores, ${speed}× faster than real time\n`,
    );
    let i = 0;
    while (i < plan.length) {
      const due = Date.now() - start;
      const batch: MistEvent[] = [];
      // Mist batches what happened in the same moment; one message per second of replay.
      while (i < plan.length && plan[i]!.offsetMs / speed <= due)
        batch.push({ ...plan[i++]!.event, timestamp: Date.now() / 1000 });
      if (batch.length) add(await post(url, batch));
      if (i < plan.length)
        await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(10, plan[i]!.offsetMs / speed - due))));
    }
  }
  process.stdout.write(
    `done: ${plan.length} events sent, ${totals.stored} stored, ${totals.duplicates} duplicates, ${totals.rejected} rejected\n`,
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
