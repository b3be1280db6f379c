import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corsOptions } from './cors.js';
import {
  buildProductsSchema,
  buildReviewsSchema,
  composeSupergraph,
  startGateway,
  SupergraphFixture,
  TestSubgraph,
} from './testing/index.js';

describe(corsOptions.name, () => {
  let products: TestSubgraph;
  let reviews: TestSubgraph;
  let file: SupergraphFixture;

  beforeAll(async () => {
    products = await new TestSubgraph('products', await buildProductsSchema()).start();
    reviews = await new TestSubgraph('reviews', await buildReviewsSchema()).start();
    file = await SupergraphFixture.create(await composeSupergraph([{ subgraph: products }, { subgraph: reviews }]));
  });

  afterAll(async () => {
    await Promise.all([products?.stop(), reviews?.stop()]);
    await file?.remove();
  });

  const LIST = 'https://hq.example.com, https://retail.example.com';
  it.each([
    { env: { NODE_ENV: 'development' }, origin: 'http://localhost:5173', allowed: 'http://localhost:5173' },
    { env: { NODE_ENV: 'development' }, origin: 'http://127.0.0.1:4173', allowed: 'http://127.0.0.1:4173' },
    { env: { NODE_ENV: 'development' }, origin: 'https://evil.example.com', allowed: null },
    { env: { NODE_ENV: 'production' }, origin: 'http://localhost:5173', allowed: null },
    { env: { NODE_ENV: 'production', CORS_ORIGINS: '*' }, origin: 'https://any.example.com', allowed: '*' },
    {
      env: { NODE_ENV: 'production', CORS_ORIGINS: LIST },
      origin: 'https://retail.example.com',
      allowed: 'https://retail.example.com',
    },
    { env: { NODE_ENV: 'production', CORS_ORIGINS: LIST }, origin: 'https://evil.example.com', allowed: null },
  ])('$env → origin $origin allowed: $allowed', async ({ env, origin, allowed }) => {
    const gateway = await startGateway(file.path, env);
    try {
      const preflight = await fetch(gateway.url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization',
        },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe(allowed);
      if (allowed) expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,authorization');

      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ products { id } }' }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(allowed);
      if (allowed) expect(res.headers.get('access-control-expose-headers')).toBe('x-request-id');
    } finally {
      await gateway.stop();
    }
  });
});
