import { z } from 'zod';

/**
 * What a play or heartbeat must look like, in two layers:
 *
 * - `storable*`: what Postgres accepts in the writer's columns (uuid, text without NUL or lone surrogates,
 *   timestamptz, integer). The writer filters with these, so an event already on the bus from an older
 *   version can never stop its partition.
 * - `play` / `heartbeat`: the edge's full rules (sane instants, consistent durations, single-line text).
 *   The ingest service adds the rules that need its clock (not in the future, not too old).
 */

/** Nothing before this is a play of ours; it also keeps year 0000 and friends away from Postgres. */
export const MIN_INSTANT_MS = Date.parse('2000-01-01T00:00:00Z');
/** Players' clocks drift; anything further ahead than this is a broken clock, not a play. */
export const MAX_FUTURE_MS = 5 * 60_000;
export const MAX_DURATION_MS = 24 * 3600_000;
/** durationMs may exceed endedAt − startedAt by this much (rounding, a frame or two). */
export const DURATION_TOLERANCE_MS = 1_000;
/** Postgres `integer`. */
const INT4_MAX = 2_147_483_647;
/** Postgres timestamptz takes years 1…294276 but not year 0; beyond 9999 ISO needs a sign. */
const STORABLE_MIN_MS = Date.parse('0001-01-01T00:00:00Z');
const STORABLE_MAX_MS = Date.parse('9999-12-31T23:59:59.999Z');

// Without the `u` flag a regex sees UTF-16 code units, so unpaired surrogates are matchable.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Text Postgres refuses (NUL) or silently mangles (lone surrogates become U+FFFD).
const UNSTORABLE = new RegExp(`\\u0000|${LONE_SURROGATE.source}`);
// Versions and app versions are one-line labels shown in dashboards and CSVs: no control character at all.
const NOT_A_LABEL = new RegExp(`[\\u0000-\\u001F\\u007F]|${LONE_SURROGATE.source}`);

// Strict ISO 8601 with an offset (zod checks the calendar: no Feb 30, no 24:00, no :60), with a real-world
// offset (Postgres refuses ±16:00 and beyond), read as epoch milliseconds.
const isoInstant = z.iso.datetime({ offset: true }).refine((s) => {
  const offset = /([+-])(\d\d):(\d\d)$/.exec(s);
  return !offset || Number(offset[2]) * 60 + Number(offset[3]) <= 14 * 60;
}, 'offset must be within ±14:00');

const instantBetween = (min: number, max: number, name: string) =>
  isoInstant.transform((s, ctx) => {
    const ms = Date.parse(s);
    if (!(ms >= min && ms <= max)) {
      ctx.addIssue({
        code: 'custom',
        message: `${name} must be between ${new Date(min).toISOString()} and ${new Date(max).toISOString()}`,
      });
      return z.NEVER;
    }
    return ms;
  });

const storableText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !UNSTORABLE.test(s), 'must not contain NUL or unpaired surrogates');
const label = (name: string, max: number) =>
  z
    .string()
    .min(1, `${name} must not be empty`)
    .max(max, `${name} must be at most ${max} characters`)
    .refine((s) => !NOT_A_LABEL.test(s), `${name} must not contain control characters or unpaired surrogates`);
const uuid = (name: string) => z.guid(`${name} must be a UUID`);

/** A play the writer can store (instants normalised to UTC ISO strings). */
export const storablePlay = z.object({
  id: uuid('id'),
  displayId: uuid('displayId'),
  campaignId: uuid('campaignId').nullish(),
  creativeId: uuid('creativeId'),
  playlistVersion: storableText(1000),
  startedAt: instantBetween(STORABLE_MIN_MS, STORABLE_MAX_MS, 'startedAt'),
  endedAt: instantBetween(STORABLE_MIN_MS, STORABLE_MAX_MS, 'endedAt'),
  durationMs: z.number().int().min(-INT4_MAX).max(INT4_MAX),
});

export const storableHeartbeat = z.object({
  id: uuid('id'),
  displayId: uuid('displayId'),
  at: instantBetween(STORABLE_MIN_MS, STORABLE_MAX_MS, 'at'),
  currentCreativeId: uuid('currentCreativeId').nullish(),
  playlistVersion: storableText(1000).nullish(),
  appVersion: storableText(1000).nullish(),
  uptimeSeconds: z.number().int().min(-INT4_MAX).max(INT4_MAX).nullish(),
});

// The edge checks the upper bound against its clock; this one only keeps Postgres' range.
const edgeInstant = (name: string) => instantBetween(MIN_INSTANT_MS, STORABLE_MAX_MS, name);

export const play = z
  .object({
    id: uuid('id'),
    displayId: uuid('displayId'),
    // null: a display override, which plays a creative outside any campaign
    campaignId: uuid('campaignId').nullish(),
    creativeId: uuid('creativeId'),
    playlistVersion: label('playlistVersion', 200),
    startedAt: edgeInstant('startedAt'),
    endedAt: edgeInstant('endedAt'),
    durationMs: z
      .number()
      .int('durationMs must be a whole number')
      .min(0, 'durationMs must not be negative')
      .max(MAX_DURATION_MS, `durationMs must be at most ${MAX_DURATION_MS}`),
  })
  .refine((p) => p.endedAt >= p.startedAt, 'endedAt must not be before startedAt')
  // Shorter is fine (store staff may pause playback within a play's window); longer is a broken player.
  .refine(
    (p) => p.durationMs <= p.endedAt - p.startedAt + DURATION_TOLERANCE_MS,
    `durationMs must not exceed endedAt − startedAt (by more than ${DURATION_TOLERANCE_MS} ms)`,
  );

export const heartbeat = z.object({
  id: uuid('id'),
  displayId: uuid('displayId'),
  at: edgeInstant('at'),
  currentCreativeId: uuid('currentCreativeId').nullish(),
  playlistVersion: label('playlistVersion', 200).nullish(),
  appVersion: label('appVersion', 100).nullish(),
  // Ten years of uptime is already a stretch; it also keeps the value inside Postgres' integer.
  uptimeSeconds: z
    .number()
    .int()
    .min(0)
    .max(10 * 366 * 86_400)
    .nullish(),
});

export const toIso = (ms: number) => new Date(ms).toISOString();
