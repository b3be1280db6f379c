import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GatewayService } from './index.js';
import {
  buildProductsSchema,
  buildReviewsSchema,
  codes,
  composePublicSupergraph,
  composeSupergraph,
  POLL,
  postGraphQL,
  productFeed,
  startGateway,
  subscribeWs,
  SupergraphFixture,
  TestSubgraph,
  TestTokens,
  type WsSubscription,
} from './testing/index.js';

const FIELDS = '{ __type(name: "Product") { fields { name } } }';
const fieldNames = (res: Awaited<ReturnType<typeof postGraphQL>>) =>
  ((res.body.data?.__type as { fields: { name: string }[] }).fields ?? []).map((f) => f.name).sort();

/** Partner tokens get the public contract (fields tagged `@Public()`); everybody else the full graph. */
describe(`${GatewayService.name} public contract`, () => {
  let products: TestSubgraph;
  let reviews: TestSubgraph;
  let file: SupergraphFixture;
  let bare: SupergraphFixture;
  let tokens: TestTokens;
  let gateway: GatewayService;
  let partner: string;
  let hq: string;
  const stopLater: GatewayService[] = [];
  const open: WsSubscription[] = [];

  beforeAll(async () => {
    products = await new TestSubgraph('products', await buildProductsSchema()).start();
    reviews = await new TestSubgraph('reviews', await buildReviewsSchema()).start();
    const inputs = [{ subgraph: products }, { subgraph: reviews }];
    file = await SupergraphFixture.create(await composeSupergraph(inputs), await composePublicSupergraph(inputs));
    bare = await SupergraphFixture.create(await composeSupergraph(inputs));
    tokens = await TestTokens.create();
    gateway = await startGateway(file.path, {}, { verifier: tokens.verifier });
    stopLater.push(gateway);
    partner = await tokens.signPartner('client-1');
    hq = await tokens.sign();
  });
  afterAll(async () => {
    await Promise.all(open.map((s) => s.dispose()));
    await Promise.all(stopLater.map((g) => g.stop()));
    await Promise.all([products?.stop(), reviews?.stop()]);
    await Promise.all([file?.remove(), bare?.remove()]);
  });

  const as = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  it('runs what the contract has for a partner', async () => {
    const res = await postGraphQL(gateway.url, '{ products { id name related { name } } }', as(partner));
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toMatchObject({
      products: [
        { id: 'p1', name: 'Poster' },
        { id: 'p2', name: 'Screen' },
      ],
    });
  });

  it.each([
    ['a field left untagged', '{ products { id sku } }', 'sku'],
    ['a field another subgraph adds, untagged', '{ products { reviews { body } } }', 'reviews'],
    ['a root field left untagged', '{ requestHeaders { authorization } }', 'requestHeaders'],
  ])('refuses %s as unknown to a partner, before any subgraph is asked', async (_case, query, field) => {
    const res = await postGraphQL(gateway.url, query, as(partner));
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(res.body.errors![0]!.message).toContain(`Cannot query field "${field}"`);
    // No hint at what else exists.
    expect(res.body.errors![0]!.message).not.toContain('Did you mean');
    expect(res.body.data).toBeUndefined();
  });

  it('shows a partner the contract when introspecting, and first-party tokens the whole graph', async () => {
    expect(fieldNames(await postGraphQL(gateway.url, FIELDS, as(partner)))).toEqual(['id', 'name', 'related']);
    const full = fieldNames(await postGraphQL(gateway.url, FIELDS, as(hq)));
    expect(full).toEqual(expect.arrayContaining(['id', 'name', 'related', 'sku', 'reviews']));
    const sku = await postGraphQL(gateway.url, '{ products { sku reviews { body } } }', as(hq));
    expect(sku.body.errors).toBeUndefined();
  });

  it('holds partner subscriptions to the contract too', async () => {
    const bearer = { authorization: `Bearer ${partner}` };
    const ok = subscribeWs(gateway.url, 'subscription { productChanged(id: "p1") { version product { name } } }', {
      connectionParams: bearer,
    });
    const refused = subscribeWs(gateway.url, 'subscription { productChanged(id: "p1") { product { sku } } }', {
      connectionParams: bearer,
    });
    open.push(ok, refused);
    await vi.waitFor(() => expect(refused.errors).toHaveLength(1), POLL);
    const [error] = refused.errors[0] as { message: string; extensions: { code: string } }[];
    expect(error).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(error!.message).toContain('Cannot query field "sku"');
    await vi.waitFor(() => expect(productFeed.subscribers('p1')).toBeGreaterThan(0), POLL);
    productFeed.publish({ productId: 'p1', version: 41 });
    await vi.waitFor(() => expect(ok.events).toHaveLength(1), POLL);
    expect(ok.events[0]).toEqual({ data: { productChanged: { version: 41, product: { name: 'Poster' } } } });
  });

  it('refuses partners (never the full graph) while no contract is deployed, and serves everyone else', async () => {
    const without = await startGateway(bare.path, {}, { verifier: tokens.verifier });
    stopLater.push(without);
    const res = await postGraphQL(without.url, '{ products { id } }', as(partner));
    expect(res.status).toBe(503);
    expect(codes(res)).toEqual(['UNAVAILABLE']);
    expect((await postGraphQL(without.url, '{ products { id sku } }', as(hq))).body.errors).toBeUndefined();
  });
});
