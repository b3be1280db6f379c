import { Directive, Field, Int, ObjectType, registerEnumType, type ClassType } from 'type-graphql';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badInput } from './errors.js';

// Every subgraph defines the same PageInfo, so federation must be told it may.
@ObjectType({ description: 'Relay pagination state' })
@Directive('@shareable')
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => Boolean)
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Builds `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String)
    cursor: string;

    @Field(() => node)
    node: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass implements Connection<T> {
    @Field(() => [EdgeType])
    edges: EdgeType[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'Matches across all pages' })
    totalCount: number;
  }
  return ConnectionClass;
}

export const MAX_PAGE_SIZE = 100;

/** The direction of a list's `orderBy`; one enum for every subgraph, so the composed graph has one. */
export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection', description: 'ASC: A–Z, lowest or oldest first' });

interface Cursor {
  s: string;
  id: string;
}

export function encodeCursor(sortValue: string, id: string): string {
  return Buffer.from(JSON.stringify({ s: sortValue, id } satisfies Cursor)).toString('base64url');
}

export function decodeCursor(cursor: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof parsed.s === 'string' && typeof parsed.id === 'string') return { s: parsed.s, id: parsed.id };
  } catch {
    // fall through to the error below
  }
  throw badInput('after: not a cursor this API issued', { argument: 'after' });
}

/**
 * Keyset pagination over (sortColumn, id), so pages stay stable while rows are added.
 * `sortColumn` is a text or timestamp column; ids break ties. `direction: 'DESC'` gives newest first.
 * Instead of a column, `sortExpression` sorts by any SQL expression over the row (a status rank, a value from
 * another table of the same schema); it must never be NULL and should be text (a cursor of another order then
 * cannot break the query). Its value as Postgres returns it goes into the cursor, so that the next page compares
 * exactly what this one sorted by.
 */
export async function paginate<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  options: {
    first?: number | null;
    after?: string | null;
    direction?: 'ASC' | 'DESC';
  } & ({ sortColumn: keyof T & string; sortExpression?: never } | { sortExpression: string; sortColumn?: never }),
): Promise<Connection<T>> {
  const first = options.first ?? 20;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first: must be between 0 and ${MAX_PAGE_SIZE}`, { argument: 'first' });
  }
  const direction = options.direction ?? 'ASC';
  const alias = qb.alias;
  const sortSql = options.sortExpression ?? `${alias}.${options.sortColumn}`;
  const totalCount = await qb.clone().getCount();
  const page = qb.clone();
  if (options.after) {
    const cursor = decodeCursor(options.after);
    page.andWhere(`(${sortSql}, ${alias}.id) ${direction === 'ASC' ? '>' : '<'} (:cursorSort, :cursorId)`, {
      cursorSort: cursor.s,
      cursorId: cursor.id,
    });
  }
  page
    .orderBy(sortSql, direction)
    .addOrderBy(`${alias}.id`, direction)
    .take(first + 1);
  let rows: T[];
  let sortValue: (node: T) => string;
  if (options.sortExpression) {
    const { entities, raw } = await page.addSelect(sortSql, '__sort').getRawAndEntities<Record<string, unknown>>();
    const idColumn = `${alias}_${qb.expressionMap.mainAlias!.metadata.primaryColumns[0]!.databaseName}`;
    const sorts = new Map(raw.map((r) => [String(r[idColumn]), String(r.__sort)]));
    rows = entities;
    sortValue = (node) => sorts.get(node.id) ?? '';
  } else {
    rows = await page.getMany();
    // Timestamps go into cursors as ISO strings: Date's toString() drops the milliseconds.
    sortValue = (node) => {
      const v: unknown = node[options.sortColumn!];
      return v instanceof Date ? v.toISOString() : String(v);
    };
  }
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor(sortValue(node), node.id) }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(options.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
