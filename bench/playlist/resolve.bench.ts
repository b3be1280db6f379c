// Playlist resolution: 1,000 displays against 2,000 campaigns. The module body is the measurement that
// writes bench/RESULTS.md (p50/p99 per display, resolutions per second, ratios to two baselines measured
// in the same run); the bench() cases below give vitest's own comparison table. See bench/README.md.
import { fileURLToPath } from 'node:url';

import { bench, describe } from 'vitest';

import { compileCampaigns, resolvePlaylist } from '../../subgraphs/campaign/src/engine/index.js';
import { generateFixture } from './fixture.js';
import { type Measurement, machine, measure, writeSection } from './measure.js';
import { naiveResolve } from './naive.js';

const ROUNDS = Number(process.env.PLAYLIST_BENCH_ROUNDS ?? 5);
const fixture = generateFixture();
const { displays, campaigns, overrides, at } = fixture;

const compileStarted = performance.now();
const index = compileCampaigns(campaigns);
const compileMs = performance.now() - compileStarted;

// The three variants must agree before their speed means anything: the naive baseline is checked on every
// 4th display and the unindexed engine on every 50th (they take milliseconds each).
const playlists = displays.map((d) => resolvePlaylist(d, index, overrides, at));
displays.forEach((display, i) => {
  const engine = playlists[i]!;
  const others = [
    ...(i % 4 === 0 ? [naiveResolve(display, campaigns, overrides, at)] : []),
    ...(i % 50 === 0 ? [resolvePlaylist(display, campaigns, overrides, at)] : []),
  ];
  for (const other of others) {
    if (other.version !== engine.version || other.validUntil?.getTime() !== engine.validUntil?.getTime()) {
      throw new Error(`variants disagree on ${display.displayId}: ${JSON.stringify({ engine, other })}`);
    }
  }
});

// Baselines are slow: they run on every 10th display (100 displays), enough for stable percentiles.
const sample = displays.filter((_, i) => i % 10 === 0);
// The index caches each (priority tier, locale) loop; a fresh one shows the cost before the cache is warm.
const fresh = compileCampaigns(campaigns);
const results: Measurement[] = [
  measure('engine, `compileCampaigns` once, index reused', displays, ROUNDS, (d) =>
    resolvePlaylist(d, index, overrides, at),
  ),
  measure(
    'engine, fresh index, first pass (loop cache filling)',
    displays,
    1,
    (d) => resolvePlaylist(d, fresh, overrides, at),
    false,
  ),
  measure('engine without precomputation (campaign list in, index rebuilt per call)', sample, 1, (d) =>
    resolvePlaylist(d, campaigns, overrides, at),
  ),
  measure('naive baseline (scan all, luxon parsing per campaign per display)', sample, 1, (d) =>
    naiveResolve(d, campaigns, overrides, at),
  ),
];

const engine = results[0]!;
const us = (v: number): string => (v >= 1000 ? `${(v / 1000).toFixed(2)} ms` : `${v.toFixed(1)} µs`);
const rows = results.map(
  (r) =>
    `| ${r.name} | ${r.calls.toLocaleString('en-GB')} | ${us(r.p50Us)} | ${us(r.p99Us)} | ${Math.round(r.perSecond).toLocaleString('en-GB')} | ${(engine.perSecond / r.perSecond).toFixed(1)}× |`,
);
const live = campaigns.filter((c) => c.status === 'LIVE').length;
const nonEmpty = playlists.filter((p) => p.items.length > 0).length;
const items = playlists.reduce((s, p) => s + p.items.length, 0) / playlists.length;
const candidates = displays.reduce((s, d) => s + index.candidates(d).length, 0) / displays.length;
const withHorizon = playlists.filter((p) => p.validUntil !== null).length;

const body = `
Resolve the playlist of each of ${displays.length.toLocaleString('en-GB')} displays (50 stores in 7 time zones,
3 tenants) against ${campaigns.length.toLocaleString('en-GB')} campaigns (${live} LIVE; targeting by region, store,
tags, orientation, zone and display, with excludes; date ranges, instants, dayparts incl. past-midnight windows;
5 priority levels; weights; caps; store pauses; 1% of displays with an override) at ${at.toISOString()}. Data
from \`bench/playlist/fixture.ts\` (seeded, deterministic). Before timing, the baselines' versions and validUntil
are checked to equal the engine's (naive: every 4th display; unindexed engine: every 50th).

- Machine: ${machine()}
- Date: ${new Date().toISOString().slice(0, 10)}
- Command: \`npx vitest bench --run bench/playlist\` (from the repository root)
- \`compileCampaigns\` for all ${campaigns.length.toLocaleString('en-GB')} campaigns: ${compileMs.toFixed(1)} ms, once per campaign change
  (${index.playable.length} playable, ${index.rejected.length} rejected); ${candidates.toFixed(1)} index candidates per display on average
- Result: ${nonEmpty} of ${displays.length} displays play something, ${items.toFixed(1)} items per loop on average;
  ${withHorizon} playlists have a validUntil

| Variant | Resolutions timed | p50 per display | p99 per display | Resolutions/s (1 core) | Engine speed-up |
|---|---:|---:|---:|---:|---:|
${rows.join('\n')}

The speed-up column is resolutions per second of the indexed engine divided by the variant's. The first row
reuses one index for ${ROUNDS} passes over the displays (after a warm-up pass), as the subgraph does between campaign
changes; its loops (weighted round-robin, caps, version hash) are cached per priority tier and locale. The second
row is one pass with a freshly compiled index, so every new tier builds its loop. The third is the engine given a
plain campaign list, which compiles all campaigns on every call: the gap to the first rows is what
\`compileCampaigns\` saves. The naive baseline applies the same rules by scanning every campaign and parsing
dates, times and zones with luxon each time.
`;

await writeSection(fileURLToPath(new URL('../RESULTS.md', import.meta.url)), body);
process.stdout.write(`\n${body}\n`);

describe(`playlist resolution: ${displays.length} displays × ${campaigns.length} campaigns (one display per call)`, () => {
  const cursor = { engine: 0, plain: 0, naive: 0 };
  const next = (key: keyof typeof cursor) => displays[cursor[key]++ % displays.length]!;
  bench('engine, compiled index', () => {
    resolvePlaylist(next('engine'), index, overrides, at);
  });
  bench('engine, no precomputation', () => {
    resolvePlaylist(next('plain'), campaigns, overrides, at);
  });
  bench('naive baseline', () => {
    naiveResolve(next('naive'), campaigns, overrides, at);
  });
});
