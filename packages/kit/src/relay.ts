import { Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
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
 */
export async function paginate<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  options: {
    first?: number | null;
    after?: string | null;
    sortColumn: keyof T & string;
    direction?: 'ASC' | 'DESC';
  },
): Promise<Connection<T>> {
  const first = options.first ?? 20;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first: must be between 0 and ${MAX_PAGE_SIZE}`, { argument: 'first' });
  }
  const direction = options.direction ?? 'ASC';
  const alias = qb.alias;
  const totalCount = await qb.clone().getCount();
  const page = qb.clone();
  if (options.after) {
    const cursor = decodeCursor(options.after);
    page.andWhere(
      `(${alias}.${options.sortColumn}, ${alias}.id) ${direction === 'ASC' ? '>' : '<'} (:cursorSort, :cursorId)`,
      { cursorSort: cursor.s, cursorId: cursor.id },
    );
  }
  const rows = await page
    .orderBy(`${alias}.${options.sortColumn}`, direction)
    .addOrderBy(`${alias}.id`, direction)
    .take(first + 1)
    .getMany();
  const nodes = rows.slice(0, first);
  // Timestamps go into cursors as ISO strings: Date's toString() drops the milliseconds.
  const sortValue = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v));
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor(sortValue(node[options.sortColumn]), node.id) }));
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
