import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import {
  Column,
  Entity,
  PrimaryGeneratedColumn,
  type DataSource,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, preparedQuery } from './db.js';
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
