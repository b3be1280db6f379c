import { mkdtemp, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import {
  Column,
  Entity,
  PrimaryGeneratedColumn,
  type DataSource,
  type EntityManager,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, preparedQuery, settledByCommit, transaction } from './db.js';
import { EmbeddedPostgres } from './embedded-postgres.js';
import type { Logger } from './logger.js';
import { createTestDatabase } from './testing/index.js';

@Entity({ name: 'widgets' })
class Widget {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'text' })
  name: string;
}

let migrationRuns = 0;

class CreateWidgets1764000000100 implements MigrationInterface {
  name = 'CreateWidgets1764000000100';

  async up(runner: QueryRunner): Promise<void> {
    migrationRuns++;
    const schema = runner.connection.driver.schema;
    await runner.query(`CREATE TABLE "${schema}"."widgets" ("id" serial PRIMARY KEY, "name" text NOT NULL)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${runner.connection.driver.schema}"."widgets"`);
  }
}

class AddWidgetColour1764000000200 implements MigrationInterface {
  name = 'AddWidgetColour1764000000200';

  async up(runner: QueryRunner): Promise<void> {
    migrationRuns++;
    const schema = runner.connection.driver.schema;
    await runner.query(`ALTER TABLE "${schema}"."widgets" ADD "colour" text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "${runner.connection.driver.schema}"."widgets" DROP COLUMN "colour"`);
  }
}

class Broken1764000000300 implements MigrationInterface {
  name = 'Broken1764000000300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('SELECT * FROM "no_such_table"');
  }

  async down(): Promise<void> {}
}

const migrations = [CreateWidgets1764000000100, AddWidgetColour1764000000200];

/** A logger whose lines the test can read. */
function capturingLogger(): { logger: Logger; lines: { msg: string }[] } {
  const lines: { msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** How many writes `work` made to sockets of Postgres's port (statements sent together leave in one). */
async function writesTo5432(work: () => Promise<unknown>): Promise<number> {
  let writes = 0;
  const proto = Socket.prototype as unknown as Record<'_write' | '_writev', (...a: unknown[]) => void>;
  const { _write, _writev } = proto;
  proto._write = function (this: Socket, ...args: unknown[]) {
    if (this.remotePort === 5432) writes++;
    return _write.apply(this, args);
  };
  proto._writev = function (this: Socket, ...args: unknown[]) {
    if (this.remotePort === 5432) writes++;
    return _writev.apply(this, args);
  };
  try {
    await work();
    return writes;
  } finally {
    Object.assign(proto, { _write, _writev });
  }
}

describe(openDatabase.name, () => {
  const open: DataSource[] = [];
  const openAll = async (url: string, schema: string, count: number, logger: Logger) => {
    const sources = await Promise.all(
      Array.from({ length: count }, () => openDatabase({ url, schema, entities: [Widget], migrations, logger })),
    );
    open.push(...sources);
    return sources;
  };

  afterEach(async () => {
    await Promise.all(open.splice(0).map((ds) => ds.destroy()));
    migrationRuns = 0;
  });

  async function expectMigratedOnce(url: string, schema: string) {
    const { logger, lines } = capturingLogger();
    const [first, second, third] = await openAll(url, schema, 3, logger);

    expect(migrationRuns).toBe(2);
    expect(lines.filter((l) => l.msg === 'migrations applied')).toHaveLength(1);
    const applied = (await first!.query(`SELECT name FROM "${schema}"."migrations" ORDER BY id`)) as { name: string }[];
    expect(applied.map((m) => m.name)).toEqual(['CreateWidgets1764000000100', 'AddWidgetColour1764000000200']);

    // Every data source works in the schema it was given.
    await first!.getRepository(Widget).insert({ name: 'from first' });
    expect(await second!.getRepository(Widget).findOneByOrFail({ name: 'from first' })).toMatchObject({
      name: 'from first',
    });
    expect(await third!.query(`SELECT name FROM "${schema}"."widgets"`)).toEqual([{ name: 'from first' }]);
  }

  describe('on a real Postgres', () => {
    let db: { url: string; drop: () => Promise<void> };
    beforeAll(async () => {
      db = await createTestDatabase();
    });
    afterAll(async () => {
      await db?.drop();
    });

    // Several rounds, because a race between concurrent starts need not show on the first.
    it.each([1, 2, 3, 4, 5])(
      'creates the schema and migrates once when data sources start together (round %i)',
      async (round) => {
        await expectMigratedOnce(db.url, `concurrent_${round}`);
      },
    );

    it('applies only the new migrations on a later start', async () => {
      const { logger, lines } = capturingLogger();
      const first = await openDatabase({
        url: db.url,
        schema: 'later',
        entities: [Widget],
        migrations: [CreateWidgets1764000000100],
        logger,
      });
      open.push(first);
      const [second] = await openAll(db.url, 'later', 1, logger);

      expect(migrationRuns).toBe(2);
      expect(lines.filter((l) => l.msg === 'migrations applied')).toEqual([
        expect.objectContaining({ migrations: ['CreateWidgets1764000000100'] }),
        expect.objectContaining({ migrations: ['AddWidgetColour1764000000200'] }),
      ]);
      await second!.query(`INSERT INTO "later"."widgets" (name, colour) VALUES ('w', 'red')`);
    });

    it('rejects when a migration fails, keeps the ones before it, and lets the next start proceed', async () => {
      const { logger } = capturingLogger();
      await expect(
        openDatabase({
          url: db.url,
          schema: 'broken',
          entities: [Widget],
          migrations: [CreateWidgets1764000000100, Broken1764000000300],
          logger,
        }),
      ).rejects.toThrow('no_such_table');

      // The lock was released: a start without the broken migration completes.
      const [fixed] = await openAll(db.url, 'broken', 1, logger);
      const applied = (await fixed!.query(`SELECT name FROM "broken"."migrations" ORDER BY id`)) as { name: string }[];
      expect(applied.map((m) => m.name)).toEqual(['CreateWidgets1764000000100', 'AddWidgetColour1764000000200']);
    });
    it('prepares a hot statement once per connection under a name, and answers as manager.query does', async () => {
      const [ds] = await openAll(db.url, 'prepared', 1, capturingLogger().logger);
      await ds!.getRepository(Widget).insert([{ name: 'a' }, { name: 'b' }]);
      const text = `SELECT "name" FROM "prepared"."widgets" WHERE "name" = $1`;
      const seen = await ds!.transaction(async (m) => {
        const first = await preparedQuery<{ name: string }>(m, text, ['a']);
        const again = await preparedQuery<{ name: string }>(m, text, ['b']);
        const prepared = (await m.query(
          `SELECT "name", "statement" FROM pg_prepared_statements WHERE "statement" = $1`,
          [text],
        )) as { name: string }[];
        return { first, again, prepared, plain: await m.query(text, ['a']) };
      });
      expect(seen.first).toEqual([{ name: 'a' }]);
      expect(seen.again).toEqual([{ name: 'b' }]);
      expect(seen.first).toEqual(seen.plain);
      // One named statement for both calls: parsed and planned once on this connection.
      expect(seen.prepared).toHaveLength(1);
      expect(seen.prepared[0]!.name).toMatch(/^phub_/);

      // DATABASE_PREPARED_STATEMENTS=false (a transaction pooler in front): the same call, unnamed.
      const unnamed = await openDatabase({
        url: db.url,
        schema: 'prepared',
        entities: [Widget],
        migrations,
        logger: capturingLogger().logger,
        preparedStatements: false,
      });
      open.push(unnamed);
      const left = await unnamed.transaction(async (m) => {
        expect(await preparedQuery(m, text, ['a'])).toEqual([{ name: 'a' }]);
        return m.query(`SELECT count(*)::int AS "n" FROM pg_prepared_statements`);
      });
      expect(left).toEqual([{ n: 0 }]);
    });
    it('sends BEGIN with the first statement of a transaction, which still holds its locks to commit', async () => {
      const [ds] = await openAll(db.url, 'pipelined', 1, capturingLogger().logger);
      await ds!.getRepository(Widget).insert({ name: 'locked' });
      const lock = `SELECT "id" FROM "pipelined"."widgets" WHERE "name" = $1 FOR UPDATE`;

      // BEGIN and the first statement leave in one write, COMMIT in another.
      expect(await writesTo5432(() => transaction(ds!, (m) => preparedQuery(m, lock, ['locked'])))).toBe(2);
      expect(await writesTo5432(() => ds!.transaction((m) => preparedQuery(m, lock, ['locked'])))).toBe(3);

      // The first statement ran inside the transaction: its row lock holds until the commit.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const taken = new Promise<void>((resolve) => (locked = resolve));
      const first = transaction(ds!, async (m) => {
        await preparedQuery(m, lock, ['locked']);
        locked();
        await held;
        await m.query(`UPDATE "pipelined"."widgets" SET "name" = 'renamed' WHERE "name" = 'locked'`);
        return 'committed';
      });
      await taken;
      await expect(ds!.transaction((m) => m.query(`${lock} NOWAIT`, ['locked']))).rejects.toThrow(
        /could not obtain lock/,
      );
      release();
      expect(await first).toBe('committed');
      expect((await ds!.getRepository(Widget).find()).map((w) => w.name)).toEqual(['renamed']);

      // A throw rolls back everything the transaction wrote, and the connection goes back clean.
      await expect(
        transaction(ds!, async (m) => {
          await m.insert(Widget, { name: 'rolled back' });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      // A failed statement too (the transaction is aborted on the server; ROLLBACK ends it).
      await expect(transaction(ds!, (m) => m.query('SELECT * FROM "pipelined"."no_such_table"'))).rejects.toThrow(
        /no_such_table/,
      );
      expect((await ds!.getRepository(Widget).find()).map((w) => w.name)).toEqual(['renamed']);
      expect(await transaction(ds!, (m) => m.query(`SELECT 1 AS "one"`))).toEqual([{ one: 1 }]);
    });

    it("sends COMMIT with the statement settled by it, and fails the transaction with that statement's error", async () => {
      const [ds] = await openAll(db.url, 'committed_with', 1, capturingLogger().logger);
      await ds!.getRepository(Widget).insert({ id: 1, name: 'first' });
      const table = `"committed_with"."widgets"`;
      const rename = (m: EntityManager, name: string) =>
        preparedQuery(m, `UPDATE ${table} SET "name" = $1 WHERE "id" = 1`, [name]);

      // [BEGIN, read] and [update, COMMIT]: two writes, two round trips.
      const writes = await writesTo5432(() =>
        transaction(ds!, async (m) => {
          await preparedQuery(m, `SELECT "id" FROM ${table} WHERE "id" = 1 FOR UPDATE`, []);
          await settledByCommit(m, () => rename(m, 'second'));
        }),
      );
      expect(writes).toBe(2);
      expect((await ds!.getRepository(Widget).findOneByOrFail({ id: 1 })).name).toBe('second');

      // A write `followed` by a read leaves with it; the read, run after it, sees it: [BEGIN, lock], [write, read],
      // [COMMIT].
      let seen: unknown;
      const followed = await writesTo5432(() =>
        transaction(ds!, async (m) => {
          await preparedQuery(m, `SELECT "id" FROM ${table} WHERE "id" = 1 FOR UPDATE`, []);
          const written = preparedQuery(m, `UPDATE ${table} SET "name" = 'third' WHERE "id" = 1`, [], {
            followed: true,
          });
          const read = preparedQuery(m, `SELECT "name" FROM ${table} WHERE "id" = 1`, []);
          await written;
          seen = await read;
        }),
      );
      expect({ followed, seen }).toEqual({ followed: 3, seen: [{ name: 'third' }] });
      await ds!.getRepository(Widget).update({ id: 1 }, { name: 'second' });

      // The statement fails: Postgres answers the COMMIT behind it with ROLLBACK; its error is the transaction's.
      await expect(
        transaction(ds!, async (m) => {
          await rename(m, 'rolled back');
          await settledByCommit(m, () => preparedQuery(m, `INSERT INTO ${table} ("id", "name") VALUES (1, 'dup')`, []));
        }),
      ).rejects.toThrow(/duplicate key/);
      expect((await ds!.getRepository(Widget).findOneByOrFail({ id: 1 })).name).toBe('second');

      // Outside `transaction` (TypeORM's own), the statement is awaited where it is handed over.
      await expect(
        ds!.transaction((m) =>
          settledByCommit(m, () => preparedQuery(m, `INSERT INTO ${table} ("id", "name") VALUES (1, 'dup')`, [])),
        ),
      ).rejects.toThrow(/duplicate key/);
      // The connections went back clean: every one of the pool answers in a new transaction.
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          transaction(ds!, (m) => preparedQuery(m, `SELECT count(*)::int AS "n" FROM ${table}`, [])),
        ),
      );
      expect(answers).toEqual(Array.from({ length: 10 }, () => [{ n: 1 }]));
    });
  });

  describe('on EmbeddedPostgres in memory', () => {
    let embedded: EmbeddedPostgres;
    beforeAll(async () => {
      embedded = await EmbeddedPostgres.start(null);
    });
    afterAll(async () => {
      await embedded?.stop();
    });

    it('creates the schema and migrates once when data sources start together', async () => {
      await expectMigratedOnce(embedded.url, 'embedded');
    });

    it('runs hot statements unnamed on it: its connections share one session, where a second prepare would fail', async () => {
      const [a, b] = await openAll(embedded.url, 'embedded_prepared', 2, capturingLogger().logger);
      await a!.getRepository(Widget).insert({ name: 'shared' });
      const text = `SELECT "name" FROM "embedded_prepared"."widgets" WHERE "name" = $1`;
      const read = (ds: DataSource) => ds.transaction((m) => preparedQuery<{ name: string }>(m, text, ['shared']));
      expect(await Promise.all([read(a!), read(b!), read(a!)])).toEqual([
        [{ name: 'shared' }],
        [{ name: 'shared' }],
        [{ name: 'shared' }],
      ]);
      expect(await a!.query(`SELECT count(*)::int AS "n" FROM pg_prepared_statements`)).toEqual([{ n: 0 }]);
    });

    it('keeps concurrent transactions on two connections apart', async () => {
      const [a, b] = await openAll(embedded.url, 'embedded_tx', 2, capturingLogger().logger);
      const repo = a!.getRepository(Widget);
      const failing = a!.transaction(async (manager) => {
        await manager.insert(Widget, { name: 'rolled back' });
        await manager.insert(Widget, { name: 'rolled back too' });
        throw new Error('abort');
      });
      const committing = b!.transaction(async (manager) => {
        await manager.insert(Widget, { name: 'committed' });
        const seen = await manager.count(Widget);
        await manager.insert(Widget, { name: `saw ${seen}` });
      });
      const [failed, committed] = await Promise.allSettled([failing, committing]);

      expect(failed.status).toBe('rejected');
      expect(committed.status).toBe('fulfilled');
      const names = (await repo.find({ order: { id: 'ASC' } })).map((w) => w.name);
      expect(names).toEqual(['committed', 'saw 1']);
    });
  });
});

describe(EmbeddedPostgres.name, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'phub-pglite-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps its data in the data dir across a restart', async () => {
    const { logger, lines } = capturingLogger();
    const options = { schema: 'persisted', entities: [Widget], migrations, logger };

    const first = await EmbeddedPostgres.start(dir);
    const before = await openDatabase({ ...options, url: first.url });
    await before.getRepository(Widget).insert({ name: 'survivor' });
    await before.destroy();
    await first.stop();

    const second = await EmbeddedPostgres.start(dir);
    try {
      const after = await openDatabase({ ...options, url: second.url });
      expect((await after.getRepository(Widget).find()).map((w) => w.name)).toEqual(['survivor']);
      await after.destroy();
    } finally {
      await second.stop();
    }
    expect(lines.filter((l) => l.msg === 'migrations applied')).toHaveLength(1);
  });
});
