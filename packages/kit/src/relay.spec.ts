import { Column, Entity, PrimaryColumn, type DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db.js';
import { DomainError, ErrorCode } from './errors.js';
import { createLogger } from './logger.js';
import { MAX_PAGE_SIZE, decodeCursor, encodeCursor, paginate, type Connection } from './relay.js';
import { createTestDatabase } from './testing/index.js';

@Entity({ name: 'stores' })
class Store {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;
}

class CreateStores1764000000400 implements MigrationInterface {
  name = 'CreateStores1764000000400';

  async up(runner: QueryRunner): Promise<void> {
    const schema = runner.connection.driver.schema;
    await runner.query(`CREATE TABLE "${schema}"."stores" ("id" text PRIMARY KEY, "name" text NOT NULL)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${runner.connection.driver.schema}"."stores"`);
  }
}

const base64url = (text: string) => Buffer.from(text).toString('base64url');

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe(decodeCursor.name, () => {
  it.each([
    ['Amsterdam', 'store-1'],
    ['', '0'],
    ['Zürich — Bahnhofstrasse 🎉', 'c0ffee00-0000-4000-8000-000000000000'],
    ['quotes "and" \\ slashes', 'id/with:odd=chars'],
  ])('round-trips sort value %j and id %j', (sortValue, id) => {
    const cursor = encodeCursor(sortValue, id);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ s: sortValue, id });
  });

  it.each([
    ['garbage', '!!not a cursor!!'],
    ['base64 of plain text', base64url('hello')],
    ['JSON null', base64url('null')],
    ['a JSON array', base64url('["a","b"]')],
    ['a number as sort value', base64url('{"s":1,"id":"x"}')],
    ['a missing id', base64url('{"s":"a"}')],
  ])('refuses %s with BAD_USER_INPUT', (_what, cursor) => {
    const error = caught(() => decodeCursor(cursor));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, details: { argument: 'after' } });
  });
});

describe(paginate.name, () => {
  let db: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  const query = () => dataSource.getRepository(Store).createQueryBuilder('store');
  const names = (connection: { edges: { node: Store }[] }) => connection.edges.map((e) => e.node.name);

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await openDatabase({
      url: db.url,
      schema: 'relay_test',
      entities: [Store],
      migrations: [CreateStores1764000000400],
      logger: createLogger('relay-test', 'silent'),
    });
    // Two stores share a name, so ids must break the tie.
    await dataSource.getRepository(Store).insert([
      { id: 's5', name: 'Eindhoven' },
      { id: 's1', name: 'Amsterdam' },
      { id: 's3', name: 'Breda' },
      { id: 's2', name: 'Breda' },
      { id: 's4', name: 'Delft' },
      { id: 's6', name: 'Utrecht' },
      { id: 's7', name: 'Zwolle' },
    ]);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('walks every row once, in order, following endCursor', async () => {
    const seen: string[] = [];
    const pages: boolean[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Connection<Store> = await paginate(query(), { first: 2, after, sortColumn: 'name' });
      expect(page.totalCount).toBe(7);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...page.edges.map((e) => e.node.id));
      pages.push(page.pageInfo.hasNextPage);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(['s1', 's2', 's3', 's4', 's5', 's6', 's7']);
    expect(pages).toEqual([true, true, true, false]);
  });

  it('keeps the next page stable when rows are added before the cursor', async () => {
    const first = await paginate(query(), { first: 3, sortColumn: 'name' });
    expect(names(first)).toEqual(['Amsterdam', 'Breda', 'Breda']);

    await dataSource.getRepository(Store).insert({ id: 's0', name: 'Aalsmeer' });
    try {
      const next = await paginate(query(), { first: 3, after: first.pageInfo.endCursor, sortColumn: 'name' });
      expect(names(next)).toEqual(['Delft', 'Eindhoven', 'Utrecht']);
      expect(next.edges[0]?.cursor).toBe(encodeCursor('Delft', 's4'));
    } finally {
      await dataSource.getRepository(Store).delete({ id: 's0' });
    }
  });

  it('walks newest-first (DESC) just as well, ties broken by id in the same direction', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page: Connection<Store> = await paginate(query(), {
        first: 2,
        after,
        sortColumn: 'name',
        direction: 'DESC',
      });
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(['s7', 's6', 's5', 's4', 's3', 's2', 's1']);
  });

  it('respects the filters of the query it is given', async () => {
    const page = await paginate(query().where('store.name LIKE :prefix', { prefix: 'B%' }), { sortColumn: 'name' });
    expect(page.totalCount).toBe(2);
    expect(page.edges.map((e) => e.node.id)).toEqual(['s2', 's3']);
    expect(page.pageInfo.hasNextPage).toBe(false);
  });

  it.each([
    [undefined, 7, false],
    [null, 7, false],
    [0, 0, true],
    [1, 1, true],
    [MAX_PAGE_SIZE, 7, false],
  ])('accepts first = %j (%i rows, more: %j)', async (first, count, hasNextPage) => {
    const page = await paginate(query(), { first, sortColumn: 'name' });
    expect(page.edges).toHaveLength(count);
    expect(page.pageInfo.hasNextPage).toBe(hasNextPage);
    expect(page.pageInfo.endCursor).toBe(count ? page.edges.at(-1)!.cursor : null);
  });

  it.each([-1, MAX_PAGE_SIZE + 1, 2.5, Number.NaN])('refuses first = %s with BAD_USER_INPUT', async (first) => {
    await expect(paginate(query(), { first, sortColumn: 'name' })).rejects.toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      details: { argument: 'first' },
    });
  });

  it('refuses a cursor it did not issue with BAD_USER_INPUT', async () => {
    await expect(paginate(query(), { after: 'bogus', sortColumn: 'name' })).rejects.toMatchObject({
      code: ErrorCode.BAD_USER_INPUT,
      details: { argument: 'after' },
    });
  });
});
