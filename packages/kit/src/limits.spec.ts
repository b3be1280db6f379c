import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from './errors.js';
import { estimateCost, shapeLimitRules } from './limits.js';

const schema = buildSchema(`
  scalar _Any
  type Query {
    stores(first: Int, after: String): StoreConnection!
    regions: [Region!]!
    _entities(representations: [_Any!]!): [Entity]!
  }
  union Entity = Store | Display
  type Region { id: ID! stores: [Store!]! }
  type StoreConnection { edges: [StoreEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type StoreEdge { node: Store! cursor: String! }
  type PageInfo { hasNextPage: Boolean! }
  type Store { id: ID! name: String! displays: [Display!]! region: Region! }
  type Display { id: ID! name: String! store: Store! }
`);

const cost = (query: string, variables: Record<string, unknown> = {}) =>
  estimateCost(schema, parse(query), undefined, variables, 10);

describe(estimateCost.name, () => {
  it.each([
    // Leaves are free; one object is 1.
    {
      case: 'a connection page of 100',
      query: '{ stores(first: 100) { totalCount edges { node { id } } } }',
      cost: 1 + 100 * (1 + 1),
    },
    {
      case: 'pageInfo counts once, not per edge',
      query: '{ stores(first: 100) { pageInfo { hasNextPage } } }',
      cost: 2,
    },
    { case: 'a list without first uses the default', query: '{ regions { id } }', cost: 10 },
    {
      case: 'nested lists multiply',
      query: '{ stores(first: 100) { edges { node { displays { id } } } } }',
      cost: 1 + 100 * (1 + 1 + 10),
    },
    {
      case: 'first from a variable',
      query: 'query Q($n: Int) { stores(first: $n) { edges { node { id } } } }',
      variables: { n: 5 },
      cost: 1 + 5 * 2,
    },
    {
      case: 'entity fetches are sized by their representations',
      query: 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on Store { displays { id } } } }',
      variables: { r: Array.from({ length: 40 }, (_, i) => ({ __typename: 'Store', id: String(i) })) },
      cost: 40 * (1 + 10),
    },
    {
      case: 'fragments count where they are spread',
      query: '{ a: regions { ...R } b: regions { ...R } } fragment R on Region { stores { id } }',
      cost: 2 * 10 * (1 + 10),
    },
  ])('$case: $cost', ({ query, variables, cost: expected }) => {
    expect(cost(query, variables)).toBe(expected);
  });

  it('stays linear on fragments that spread the next one twice', () => {
    const names = Array.from({ length: 40 }, (_, i) => `F${i}`);
    const fragments = names
      .map(
        (f, i) =>
          `fragment ${f} on Region { id ${i + 1 < names.length ? `a: stores { region { ...${names[i + 1]} } } b: stores { region { ...${names[i + 1]} } }` : ''} }`,
      )
      .join(' ');
    const started = performance.now();
    const estimate = cost(`{ regions { ...F0 } } ${fragments}`);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(estimate).toBeGreaterThan(1e40);
  });
});

describe(shapeLimitRules.name, () => {
  const rules = shapeLimitRules({ maxDepth: 3, maxAliases: 2, maxDirectives: 2 });
  const codes = (query: string) => validate(schema, parse(query), rules).map((e) => e.extensions.code);

  it.each([
    { query: '{ regions { stores { id } } }', codes: [] },
    { query: '{ regions { stores { region { id } } } }', codes: [ErrorCode.QUERY_TOO_DEEP] },
    {
      query: '{ regions { ...R } } fragment R on Region { stores { region { id } } }',
      codes: [ErrorCode.QUERY_TOO_DEEP],
    },
    { query: '{ a: regions { id } b: regions { id } }', codes: [] },
    { query: '{ a: regions { x: id } b: regions { id } }', codes: [ErrorCode.TOO_MANY_ALIASES] },
    {
      query: '{ regions @skip(if: false) { id @skip(if: false) stores @skip(if: false) { id } } }',
      codes: [ErrorCode.TOO_MANY_DIRECTIVES],
    },
    { query: '{ __schema { types { fields { type { ofType { name } } } } } }', codes: [] },
  ])('$query → $codes', ({ query, codes: expected }) => {
    expect(codes(query)).toEqual(expected);
  });
});
