import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, login, PlatformProcess, ROOT, type GraphQLResult } from '@phub/e2e';
import { createTestDatabase } from '@phub/kit/testing';

/**
 * Issue 11: bad input gets a clear error with a stable code, loses nothing, crashes nothing. Every mutation of
 * the committed supergraph (new ones are covered as they appear) gets generated bad values through the gateway
 * of the built binary, as HQ admin so that authorisation does not hide the validation path.
 */

const SEED = 11_2026;
/** Samples per mutation and phase; about 60 mutations × 2 phases keep the test well under a minute. */
const RUNS = 6;

// Codes a client can act on. INTERNAL_SERVER_ERROR (a bug) and SUBGRAPH_BAD_RESPONSE (a subgraph that answered
// something that is not GraphQL) are what this test hunts.
const STABLE = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CONFLICT',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
]);

// Refused credentials are audited on purpose (auth's security log): the one write a failed call may make.
const AUDITED_REFUSALS: Record<string, string[]> = {
  login: ['auth.audit_event'],
  issueClientToken: ['auth.audit_event'],
};

// What the kit's guard must refuse anywhere: NUL, C0 controls other than tab/LF/CR, unpaired surrogates.
const FORBIDDEN_CHARS = ['\u0000', '\u0001', '\u0007', '\u000B', '\u001B', '\u001F', '\uD800', '\uDFFF'];
const HAS_FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- detecting control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const oddString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'NaN',
    'Infinity',
    '-Infinity',
    'null',
    'undefined',
    '-0',
    '1e309',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '2024-02-30',
    '2024-02-30T00:00:00Z',
    '24:61',
    'not-a-uuid',
    '00000000-0000-0000-0000-000000000000',
    'x'.repeat(10_000),
    '9'.repeat(400),
    "'; DROP TABLE x; --",
    'café 🎉',
    'tab\tand\r\nbreaks',
  ),
  fc.uuid(),
  fc.string({ maxLength: 40 }),
);
const forbiddenString = fc
  .tuple(oddString, fc.constantFrom(...FORBIDDEN_CHARS), fc.nat())
  .map(([s, c, at]) => s.slice(0, at % (s.length + 1)) + c + s.slice(at % (s.length + 1)));

const oddInt = fc.oneof(
  fc.constantFrom(0, -1, 1, 2_147_483_647, -2_147_483_648, 2 ** 31, -(2 ** 53), 1e21, 1.5),
  fc.integer(),
);
const oddFloat = fc.constantFrom(0, -0, 1.5, 1e308, -1e308, 5e-324, 2 ** 53 + 1);

type Phase = 'guard' | 'odd';

/** Ids of real demo rows, filled in before the run: odd values next to a real id reach deeper validation. */
const realIds: string[] = [];

function valueOf(type: GraphQLInputType, phase: Phase, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return valueOf(type.ofType, phase, depth);
  if (depth > 6) return fc.constant(null);
  if (isListType(type)) return fc.array(valueOf(type.ofType, phase, depth + 1), { maxLength: 3 });
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    return fc.record(
      Object.fromEntries(
        fields.map((f) => [
          f.name,
          isNonNullType(f.type)
            ? valueOf(f.type, phase, depth + 1)
            : fc.oneof({ weight: 4, arbitrary: valueOf(f.type, phase, depth + 1) }, fc.constant(null)),
        ]),
      ),
    );
  }
  if (isEnumType(type)) {
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.name)) },
      fc.constant('NOT_A_VALUE'),
    );
  }
  switch (type.name) {
    case 'Int':
      return oddInt;
    case 'Float':
      return oddFloat;
    case 'Boolean':
      return fc.boolean();
    case 'ID':
      return fc.oneof(
        { weight: 2, arbitrary: phase === 'guard' ? fc.oneof(forbiddenString, oddString) : oddString },
        fc.constantFrom(...realIds),
      );
    default:
      // String and every custom scalar (dates, JSON, URLs) get text.
      return phase === 'guard' ? fc.oneof(forbiddenString, oddString) : oddString;
  }
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Mutations of the composed supergraph, and the operation that calls each with variables for every argument. */
function mutations() {
  const schema = buildSchema(readFileSync(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8'));
  const fields = Object.values(schema.getMutationType()?.getFields() ?? {}) as GraphQLField<unknown, unknown>[];
  return (
    fields
      .filter((f) => !f.astNode?.directives?.some((d) => d.name.value === 'inaccessible'))
      // Without a text or number argument there is no bad value to send (e.g. logout(everywhere), rotateSigningKey).
      .filter((f) => f.args.some((a) => !['Boolean'].includes(getNamedType(a.type).name)))
      .map((f) => {
        const vars = f.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
        const args = f.args.map((a) => `${a.name}: $${a.name}`).join(', ');
        const selection = isLeafType(getNamedType(f.type)) ? '' : ' { __typename }';
        return {
          name: f.name,
          query: `mutation Fuzz(${vars}) { ${f.name}(${args})${selection} }`,
          variables: (phase: Phase) =>
            fc.record(Object.fromEntries(f.args.map((a) => [a.name, valueOf(a.type, phase)]))) as fc.Arbitrary<
              Record<string, unknown>
            >,
        };
      })
  );
}

interface Offence {
  mutation: string;
  variables: string;
  problem: string;
}

/** A bounded, readable copy of the variables for the report. */
const show = (v: unknown) => {
  const text = JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'string' && x.length > 60 ? `${x.slice(0, 60)}…(${x.length})` : x,
  );
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
};

describe('fuzzing every mutation through the gateway', () => {
  let platform: PlatformProcess;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: pg.Client;
  let gateway: string;
  let token: string;
  let countsSql = '';
  let relayTables = new Set<string>();
  let hashesSql = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    // The health evaluator's timer would change display states and alerts mid-run; writes still trigger it.
    platform = await PlatformProcess.start('all', {
      DATABASE_URL: database.url,
      PLAYBACK_EVALUATE_EVERY_SECONDS: '3600',
    });
    gateway = platform.urls.gateway!;
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    token = await login(gateway, 'hq@demo.test');
    // The demo playback history is written in the background after start-up; the snapshots wait for it.
    await waitForDemoHistory(gateway, token);
    realIds.push(...(await demoIds(gateway, token)));
    const tables = (
      await db.query(
        `SELECT format('%I.%I', table_schema, table_name) AS t FROM information_schema.tables
         WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
      )
    ).rows as { t: string }[];
    // The outbox relay moves earlier successes' events onto the bus whenever it runs, so during phase 2 these
    // tables change under any call; a failed write would show in its domain table all the same.
    // Content's search index is the same kind of table: a projection of earlier successes' events (campaign.*);
    // so is auth's audit log for approvals, pauses, overrides and takeovers (audit.action.v1).
    const projections = new Set(['content.search_document', 'auth.audit_event']);
    relayTables = new Set(
      tables.map(({ t }) => t).filter((t) => t.endsWith('.outbox') || t.startsWith('bus.') || projections.has(t)),
    );
    countsSql = tables.map(({ t }) => `SELECT '${t}' AS t, count(*)::bigint AS v FROM ${t}`).join(' UNION ALL ');
    hashesSql = tables
      .map(
        ({ t }) => `SELECT '${t}' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS v FROM ${t} x`,
      )
      .join(' UNION ALL ');
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await platform?.stop();
    await database?.drop();
  }, 60_000);

  const snapshot = async (sql: string) =>
    new Map(((await db.query(sql)).rows as { t: string; v: string }[]).map((r) => [r.t, String(r.v)]));
  const changed = (a: Map<string, string>, b: Map<string, string>, ignore: Set<string>) =>
    [...a.keys()].filter((t) => !ignore.has(t) && a.get(t) !== b.get(t));

  it('answers every mutation with a stable code and changes nothing', async () => {
    const all = mutations();
    expect(all.length).toBeGreaterThan(40);
    expect(all.map((m) => m.name)).toContain('recordPlayback');

    // Tables the platform changes on its own (health evaluation, relays) are told apart by watching a quiet spell.
    const before = { counts: await snapshot(countsSql), hashes: await snapshot(hashesSql) };
    await new Promise((r) => setTimeout(r, 2_000));
    const quiet = { counts: await snapshot(countsSql), hashes: await snapshot(hashesSql) };
    const busy = new Set([
      ...changed(before.counts, quiet.counts, new Set()),
      ...changed(before.hashes, quiet.hashes, new Set()),
    ]);
    // The bus's own tables move whenever anything is relayed, and pg-boss's on its own clock; the bound is for
    // domain tables (the demo's heartbeats and the health sweep's alerts, say) moving by themselves.
    const busyDomain = [...busy].filter((t) => !relayTables.has(t) && !t.startsWith('jobs.'));
    expect(busyDomain.length, `tables changing by themselves: ${busyDomain.join(', ')}`).toBeLessThan(5);
    // pg-boss's tables move on its own clock (maintenance stamps, and every minute's cron runs in jobs.job); a
    // refused call that did enqueue work would still show in the domain tables it meant to change.
    for (const t of quiet.counts.keys()) if (t.startsWith('jobs.')) busy.add(t);
    const logsBefore = platform.logs.length;

    const offences: Offence[] = [];
    const send = async (m: (typeof all)[number], variables: Record<string, unknown>) => {
      let res: GraphQLResult;
      try {
        res = await graphql(gateway, m.query, variables, token);
      } catch (err) {
        offences.push({ mutation: m.name, variables: show(variables), problem: `no JSON answer: ${String(err)}` });
        return undefined;
      }
      for (const e of res.errors ?? []) {
        const code = e.extensions?.code;
        if (typeof code !== 'string' || !STABLE.has(code)) {
          offences.push({
            mutation: m.name,
            variables: show(variables),
            problem: `${code ?? 'no code'}: ${e.message}`,
          });
        }
      }
      return res;
    };

    // Phase 1: a NUL, control character or lone surrogate somewhere: the guard refuses it before any resolver.
    for (const [i, m] of all.entries()) {
      const samples = fc
        .sample(m.variables('guard'), { seed: SEED + i, numRuns: RUNS * 4 })
        .filter((v) => strings(v).some((s) => HAS_FORBIDDEN.test(s)))
        .slice(0, RUNS);
      for (const variables of samples) {
        const res = await send(m, variables);
        if (!res) continue;
        if (!res.errors?.length) {
          offences.push({ mutation: m.name, variables: show(variables), problem: 'accepted a forbidden character' });
        } else if (res.errors.some((e) => e.extensions?.code !== 'BAD_USER_INPUT')) {
          const codes = res.errors.map((e) => e.extensions?.code).join(', ');
          offences.push({
            mutation: m.name,
            variables: show(variables),
            problem: `guard did not answer first: ${codes}`,
          });
        }
      }
    }
    const afterGuard = { counts: await snapshot(countsSql), hashes: await snapshot(hashesSql) };
    expect(changed(quiet.counts, afterGuard.counts, busy), 'row counts changed by refused input').toEqual([]);
    expect(changed(quiet.hashes, afterGuard.hashes, busy), 'rows changed by refused input').toEqual([]);

    // Phase 2: odd values the guard lets through (dates, numbers, long text, wrong ids): domain validation's turn.
    // An answer with errors must not have written anything; a success is the mutation accepting the value.
    for (const [i, m] of all.entries()) {
      for (const variables of fc.sample(m.variables('odd'), { seed: SEED * 7 + i, numRuns: RUNS })) {
        const counts = await snapshot(countsSql);
        const res = await send(m, variables);
        if (!res?.errors?.length) continue;
        const ignore = new Set([...busy, ...relayTables, ...(AUDITED_REFUSALS[m.name] ?? [])]);
        const wrote = changed(counts, await snapshot(countsSql), ignore);
        if (wrote.length) {
          offences.push({
            mutation: m.name,
            variables: show(variables),
            problem: `failed but wrote ${wrote.join(', ')}`,
          });
        }
      }
    }

    expect(platform.child.exitCode).toBeNull();
    const unexpected = platform.logs
      .slice(logsBefore)
      .split('\n')
      .filter((l) => l.includes('unexpected error'));
    expect(offences, JSON.stringify(offences, null, 2)).toEqual([]);
    expect(unexpected).toEqual([]);
    // Every mutation of the graph, sampled: the time grows with the schema (about 130 of them now).
  }, 360_000);
});

async function waitForDemoHistory(gateway: string, token: string): Promise<void> {
  const query = `query($f: PlaybackReportFilter!) { playbackReport(filter: $f) { totals { plays } } }`;
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  let last = -1;
  for (let i = 0; i < 120; i++) {
    const res = await graphql<{ playbackReport: { totals: { plays: number } } }>(
      gateway,
      query,
      { f: { from: day(-20), to: day(1) } },
      token,
    );
    const plays = res.data?.playbackReport.totals.plays ?? 0;
    // Written in batches: done when the count is above zero and holds still for a second.
    if (plays > 0 && plays === last) return;
    last = plays;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error('the demo playback history was not written');
}

async function demoIds(gateway: string, token: string): Promise<string[]> {
  const res = await graphql<{
    stores: { edges: { node: { id: string; displays: { id: string }[] } }[] };
    campaigns: { edges: { node: { id: string } }[] };
    creatives: { edges: { node: { id: string } }[] };
  }>(
    gateway,
    `
      {
        stores(first: 3) {
          edges {
            node {
              id
              displays {
                id
              }
            }
          }
        }
        campaigns(first: 5) {
          edges {
            node {
              id
            }
          }
        }
        creatives(first: 5) {
          edges {
            node {
              id
            }
          }
        }
      }
    `,
    {},
    token,
  );
  if (!res.data) throw new Error(`demo ids: ${JSON.stringify(res.errors)}`);
  const { stores, campaigns, creatives } = res.data;
  return [
    ...stores.edges.flatMap((e) => [e.node.id, ...e.node.displays.map((d) => d.id)]),
    ...campaigns.edges.map((e) => e.node.id),
    ...creatives.edges.map((e) => e.node.id),
  ];
}
