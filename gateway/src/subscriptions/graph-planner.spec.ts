import { Supergraph } from '@apollo/federation-internals';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProductsSchema, buildReviewsSchema, composeSupergraph, TestSubgraph } from '../testing/index.js';
import { GraphPlanner } from './graph-planner.js';

describe(`${GraphPlanner.name}: events forwarded as the subgraph sent them`, () => {
  let products: TestSubgraph;
  let reviews: TestSubgraph;
  let planner: GraphPlanner;

  beforeAll(async () => {
    products = await new TestSubgraph('products', await buildProductsSchema()).start();
    reviews = await new TestSubgraph('reviews', await buildReviewsSchema()).start();
    const sdl = await composeSupergraph([{ subgraph: products }, { subgraph: reviews }]);
    planner = new GraphPlanner({
      coreSupergraphSdl: sdl,
      apiSchema: Supergraph.build(sdl).apiSchema().toGraphQLJSSchema(),
      subgraphUrl: (_name, url) => url,
      validationRules: [],
      parseOptions: {},
      cost: { maxCost: 1_000_000, defaultListSize: 10 },
      version: 1,
    });
  });
  afterAll(async () => {
    await products?.stop();
    await reviews?.stop();
  });

  const asIs = (query: string) => {
    const prepared = planner.prepare({ query, variables: { id: 'p1', on: true } });
    if (!prepared.ok) throw new Error(prepared.errors.map((e) => e.message).join('; '));
    return prepared.operation.plan!.asIs;
  };

  it.each([
    ['one subgraph’s fields', 'subscription { productChanged(id: "p1") { version product { name } } }'],
    ['named, with a variable', 'subscription Changed($id: ID!) { productChanged(id: $id) { version publishedAt } }'],
    ['aliases', 'subscription { c: productChanged(id: "p1") { v: version product { title: name } } }'],
  ])('when nothing needs reshaping: %s', (_case, query) => {
    expect(asIs(query)).toBe(true);
  });

  it.each([
    [
      'fields of another subgraph',
      'subscription { productChanged(id: "p1") { version product { reviews { stars } } } }',
    ],
    [
      'a fragment (the planner may rewrite it)',
      'subscription { productChanged(id: "p1") { ...F } } fragment F on ProductChange { version }',
    ],
    [
      'a directive on a field of another subgraph',
      'subscription($on: Boolean!) { productChanged(id: "p1") { version product { reviews @include(if: $on) { stars } } } }',
    ],
  ])('not when the plan has work to do: %s', (_case, query) => {
    expect(asIs(query)).toBe(false);
  });
});
