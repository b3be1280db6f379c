// The queue subgraph in its own process, from its build (`npx tsc -b`: no TypeScript loader in the measured
// process, as in production), on a fresh database of the real Postgres with pub/sub on the real Redis and the
// Postgres bus, as its tests' harness sets it up. It publishes the stores, creates the lines and, on request,
// reports its CPU time, the SQL it sent (every statement on the `pg` client the subgraph, its outbox relay and the
// bus use, grouped by text) and a CPU profile. Driven over IPC by run.ts.
/* global process, URL, fetch, setTimeout */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join as joinPath } from 'node:path';
import { performance } from 'node:perf_hooks';

const kit = await import('../../packages/kit/dist/index.js');
// QUEUE_BENCH_BUILD: another build of the subgraph to measure (e.g. an older commit's, compiled inside subgraphs/queue so
// that its packages resolve), for before/after figures on the same machine.
const build = process.env.QUEUE_BENCH_BUILD
  ? new URL(process.env.QUEUE_BENCH_BUILD, `file://${process.cwd()}/`).href
  : '../../subgraphs/queue/dist/index.js';
const { createQueueService, queueEnvSchema, ConsumedTopic } = await import(build);
const fromKit = createRequire(new URL('../../packages/kit/package.json', import.meta.url));
const fromQueue = createRequire(new URL('../../subgraphs/queue/package.json', import.meta.url));
// The very `pg` TypeORM, the bus and the relay load (one copy in the workspace): every statement passes Client#query.
const pg = fromQueue('pg');
const { Redis } = fromQueue('ioredis');
const { generateKeyPair, exportJWK, SignJWT } = await import(fromKit.resolve('jose'));

const POSTGRES = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const statements = new Map();
// Each text's counter, found by the text itself: normalising a long statement on every call cost the measured
// process about 2% of its CPU.
const byText = new Map();
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function query(...args) {
  const first = args[0];
  const text = typeof first === 'string' ? first : (first?.text ?? '?');
  let s = byText.get(text);
  if (!s) {
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 160);
    s = statements.get(key);
    if (!s) statements.set(key, (s = { calls: 0, ms: 0 }));
    byText.set(text, s);
  }
  s.calls++;
  const started = performance.now();
  const result = original.apply(this, args);
  if (result && typeof result.then === 'function') {
    const done = () => void (s.ms += performance.now() - started);
    void result.then(done, done);
  }
  return result;
};

// QUEUE_BENCH_JOIN: another replica of the subgraph on the first one's database, signing key and master key (as the
// deployment runs two or more behind one Service); run.ts starts them after the first has set up the stores and lines.
const join = process.env.QUEUE_BENCH_JOIN ? JSON.parse(process.env.QUEUE_BENCH_JOIN) : null;
// A database of its own, dropped at stop (the first replica's).
const dbName = join ? null : `phub_bench_${randomBytes(6).toString('hex')}`;
const admin = new pg.Client({ connectionString: POSTGRES });
await admin.connect();
if (dbName) await admin.query(`CREATE DATABASE "${dbName}"`);
const dbUrl = new URL(join?.dbUrl ?? POSTGRES);
if (dbName) dbUrl.pathname = `/${dbName}`;

const logger = kit.createLogger('queue-bench', 'silent');
const env = kit.parseEnv(kit.sharedEnvSchema, {
  DATABASE_URL: dbUrl.toString(),
  LOG_LEVEL: 'silent',
  // The subgraph's pool (10 unless QUEUE_BENCH_POOL says otherwise): each action's transaction holds one connection.
  DATABASE_POOL_SIZE: process.env.QUEUE_BENCH_POOL ?? '10',
});
const base = await kit.createInfra({ env, logger, standalone: false, targets: ['queue'] });
const redis = [new Redis(REDIS), new Redis(REDIS)];
const infra = { ...base, pubsub: kit.createRedisPubSub(redis[0], redis[1], logger) };

// Tokens signed as the auth service signs them, verified by the subgraph (signature, claims, revocation).
const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
const publicJwk = join?.jwk ?? { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'EdDSA', use: 'sig' };
const verifier = new kit.TokenVerifier({
  issuer: kit.DEFAULT_TOKEN_ISSUER,
  audience: kit.DEFAULT_TOKEN_AUDIENCE,
  keys: { keys: [publicJwk] },
  cache: infra.cache,
});
// Access tokens live 10 minutes at most (the verifier refuses longer ones): the driver asks for a fresh one per step.
const newToken = () =>
  new SignJWT({ tid: kit.DEMO_TENANT_ID, roles: [kit.Role.HQ_ADMIN], stores: [], jti: randomUUID() })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'bench', typ: kit.ACCESS_TOKEN_TYPE })
    .setSubject(randomUUID())
    .setIssuer(kit.DEFAULT_TOKEN_ISSUER)
    .setAudience(kit.DEFAULT_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
let adminToken = await newToken();

const keyDir = join?.keyDir ?? mkdtempSync(joinPath(tmpdir(), 'phub-queue-bench-'));
const service = createQueueService(infra, {
  envelope: new kit.Envelope(kit.LocalMasterKey.loadOrCreate(keyDir)),
  port: 0,
  host: '127.0.0.1',
  verifier,
  env: kit.parseEnv(queueEnvSchema, {}),
});
await service.start();
const db = new pg.Client({ connectionString: dbUrl.toString() });
await db.connect();

const gql = async (query, variables) => {
  const res = await fetch(service.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ query, variables }),
  });
  const json = await res.json();
  if (json.errors?.length) throw new Error(JSON.stringify(json.errors));
  return json.data;
};

const hex12 = (n) => n.toString(16).padStart(12, '0');
const storeId = (n) => `be0c0000-0000-4000-8000-${hex12(n)}`;
// Open every day 00:00–23:59 in the store's zone (location's hours end by 23:59): the benchmark runs at any hour but that minute.
const ALWAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].map((day) => ({
  day,
  opens: '00:00',
  closes: '23:59',
}));
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const inspector = new Session();

const handlers = {
  cpu: () => cpuMs(),
  url: () => service.url,
  token: async () => (adminToken = await newToken()),
  /** Publishes the stores (location's events on the bus), waits for the projection, creates the lines. */
  async setup({ stores, lines }) {
    for (let i = 0; i < stores; i += 100) {
      const batch = [];
      for (let k = i; k < Math.min(stores, i + 100); k++) {
        const id = storeId(k);
        batch.push({
          key: id,
          value: {
            type: 'StoreUpserted',
            occurredAt: new Date().toISOString(),
            store: {
              id,
              tenantId: kit.DEMO_TENANT_ID,
              regionId: null,
              name: 'Store',
              code: 'S',
              timezone: 'Europe/London',
              openingHours: ALWAYS,
              tags: [],
              archivedAt: null,
            },
          },
        });
      }
      await infra.bus.publish(ConsumedTopic.store, batch);
    }
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM "queue"."known_store" WHERE "id"::text LIKE 'be0c%'`,
      );
      if (rows[0].n >= stores) break;
      if (Date.now() > deadline) throw new Error(`the store projection has ${rows[0].n} of ${stores} stores`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Over the API as a manager would, eight stores at a time.
    const created = [];
    for (let i = 0; i < stores; i += 8) {
      const batch = Array.from({ length: Math.min(8, stores - i) }, (_, k) => i + k).flatMap((n) =>
        Array.from({ length: lines }, (_, l) =>
          gql(`mutation($i: CreateLineInput!) { createLine(input: $i) { id } }`, {
            i: { storeId: storeId(n), name: `Line ${l + 1}`, prefix: 'ABCDE'[l % 5], capacity: 10_000 },
          }).then((d) => ({ id: d.createLine.id, store: storeId(n) })),
        ),
      );
      created.push(...(await Promise.all(batch)));
    }
    return {
      url: service.url,
      admin: adminToken,
      lines: created,
      join: { dbUrl: dbUrl.toString(), jwk: publicJwk, keyDir },
    };
  },
  /** The statements sent since the last `resetStatements`, slowest in all first. */
  stats: () => ({
    statements: [...statements]
      .filter(([, s]) => s.calls > 0)
      .map(([text, s]) => ({ text, ...s }))
      .sort((a, b) => b.ms - a.ms),
  }),
  // Zeroed, not dropped: the counters stay found by their texts.
  resetStatements: () => {
    for (const s of statements.values()) Object.assign(s, { calls: 0, ms: 0 });
  },
  /** Rows and commits of the bench database, from Postgres's own counters. */
  async tables() {
    const t = await db.query(
      `SELECT relname, seq_scan, idx_scan, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables
       WHERE schemaname = 'queue' AND n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY n_tup_ins + n_tup_upd DESC`,
    );
    const d = await db.query(
      `SELECT xact_commit, xact_rollback, deadlocks FROM pg_stat_database WHERE datname = current_database()`,
    );
    return { tables: t.rows, database: d.rows[0] };
  },
  /** What the bench database's sessions are doing or waiting on right now. */
  async waits() {
    const res = await db.query(
      `SELECT coalesce(wait_event_type || ':' || wait_event, state) AS w, count(*)::int AS n FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1`,
    );
    return res.rows;
  },
  async profileStart() {
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 500 });
    await inspector.post('Profiler.start');
  },
  async profileStop({ path }) {
    const { profile } = await inspector.post('Profiler.stop');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(profile));
    inspector.disconnect();
  },
  async stop() {
    await service.stop();
    await db.end();
    await base.close();
    await Promise.all(redis.map((r) => r.quit()));
    if (dbName) await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
    if (!join) rmSync(keyDir, { recursive: true, force: true });
  },
};

// Request/response over the IPC channel, as bench/subscriptions/ipc.ts's `serve` answers.
process.on('message', (message) => {
  void (async () => {
    try {
      const handler = handlers[message.type];
      if (!handler) throw new Error(`no handler for ${message.type}`);
      process.send({ id: message.id, result: await handler(message.args) });
    } catch (err) {
      process.send({ id: message.id, error: err?.stack ?? String(err) });
    }
  })();
});
process.send({ id: 0, result: 'ready' });
