import { statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db.js';
import { createLogger } from './logger.js';
import { EmbeddedPostgres } from './embedded-postgres.js';

describe(EmbeddedPostgres.name, () => {
  let db: EmbeddedPostgres;
  let pool: pg.Pool;

  beforeAll(async () => {
    db = await EmbeddedPostgres.start(null);
    pool = new pg.Pool({ connectionString: db.url, max: 8 });
    await pool.query('CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)');
    await pool.query('INSERT INTO counter VALUES (1, 0)');
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await db?.stop();
  });

  // Anyone on the machine could connect to the loopback port PGlite used to listen on (it asks for
  // no password) and read auth's signing keys; a Unix socket only its owner can open cannot be reached.
  it('listens on a Unix socket only its owner can reach, not on a network port', async () => {
    expect(db.url).not.toMatch(/127\.0\.0\.1|:\d+\//);
    const socket = statSync(db.socketPath);
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(db.socketPath)).mode & 0o777).toBe(0o700);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
    } finally {
      await client.end();
    }
  });

  it('serves TypeORM through the socket, migrations included', async () => {
    const ds = await openDatabase({
      url: db.url,
      schema: 'socket_check',
      entities: [],
      migrations: [],
      logger: createLogger('embedded-postgres-test', 'silent'),
    });
    try {
      const [row] = (await ds.query(`SELECT to_regclass('socket_check.migrations')::text AS t`)) as { t: string }[];
      expect(row!.t).toBe('socket_check.migrations');
    } finally {
      await ds.destroy();
    }
  });

  // The bug this guards against: pglite-socket interleaved connections message by message, so
  // one connection's Parse/Bind/Execute landed between another's ("unnamed prepared statement
  // does not exist") whenever pooled connections ran parameterised queries at once.
  it('runs parameterised queries from many connections at once without mixing them up', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        pool.query<{ v: number; s: string }>('SELECT $1::int AS v, $2::text AS s', [i, `q${i}`]),
      ),
    );
    results.forEach((r, i) => expect(r.rows[0]).toEqual({ v: i, s: `q${i}` }));
  });

  it('keeps a transaction to one connection while others wait, then shows them its commit', async () => {
    const a = await pool.connect();
    try {
      await a.query('BEGIN');
      await a.query('UPDATE counter SET n = n + $1 WHERE id = $2', [5, 1]);
      const other = pool.query<{ n: number }>('SELECT n FROM counter WHERE id = $1', [1]);
      await a.query('UPDATE counter SET n = n + $1 WHERE id = $2', [5, 1]);
      await a.query('COMMIT');
      expect((await other).rows[0]!.n).toBe(10);
    } finally {
      a.release();
    }
  });

  it('rolls back the transaction of a connection that goes away, and serves the rest', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query('UPDATE counter SET n = $1 WHERE id = $2', [999, 1]);
    const waiting = pool.query<{ n: number }>('SELECT n FROM counter WHERE id = $1', [1]);
    await client.end();
    expect((await waiting).rows[0]!.n).toBe(10);
  });
});
