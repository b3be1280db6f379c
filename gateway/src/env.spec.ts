import { ConfigError } from '@phub/kit';
import { describe, expect, it } from 'vitest';
import { parseGatewayEnv, subgraphUrlKey } from './env.js';

describe(parseGatewayEnv.name, () => {
  it('has defaults for everything', () => {
    expect(parseGatewayEnv({})).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      PORT: 4000,
      HOST: '0.0.0.0',
      SUPERGRAPH_PATH: 'schema/supergraph.graphql',
      PUBLIC_SUPERGRAPH_PATH: undefined,
      SUPERGRAPH_RELOAD_DEBOUNCE_MS: 250,
      SUBGRAPH_TIMEOUT_MS: 10_000,
      MAX_QUERY_DEPTH: 12,
      MAX_ALIASES: 30,
      MAX_TOKENS: 2000,
      MAX_DIRECTIVES: 50,
      MAX_QUERY_COST: 20_000,
      DEFAULT_LIST_SIZE: 10,
      MAX_BODY_BYTES: 262_144,
      SUBGRAPH_SHARED_SECRET: undefined,
      TRUST_PROXY: undefined,
      METRICS_PORT: undefined,
      CSP_ASSET_SOURCES: 'https: http:',
      CORS_ORIGINS: undefined,
      DEDUPLICATE_INFLIGHT_QUERIES: true,
      REDIS_URL: undefined,
      PARTNER_RATE_LIMIT_REQUESTS: 600,
      PARTNER_RATE_LIMIT_WINDOW_SECONDS: 60,
      PARTNER_COST_LIMIT: 200_000,
      PARTNER_COST_WINDOW_SECONDS: 3600,
      PARTNER_USAGE_FLUSH_SECONDS: 10,
      RATE_LIMIT_TIMEOUT_MS: 250,
      TRUSTED_DOCUMENTS: 'any',
      SUBSCRIPTION_QUEUE_LIMIT: 100,
      SUBSCRIPTION_OVERFLOW: 'close',
      SUBSCRIPTION_MAX_BUFFERED_BYTES: 1_048_576,
      SUBSCRIPTION_MAX_PER_CONNECTION: 100,
      SUBSCRIPTION_REVERIFY_MS: 30_000,
      SUBSCRIPTION_UPSTREAM_RETRY_ATTEMPTS: 20,
      SUBSCRIPTION_UPSTREAM_RETRY_BASE_MS: 500,
      SUBSCRIPTION_UPSTREAM_RETRY_MAX_MS: 10_000,
      SUBSCRIPTION_UPSTREAM_KEEPALIVE_MS: 10_000,
      SUBSCRIPTION_UPSTREAM_SOCKETS: 2,
      SUBGRAPH_URLS: {},
    });
  });

  it.each([
    [{}, 'any'],
    [{ NODE_ENV: 'production' }, 'registered'],
    [{ NODE_ENV: 'production', TRUSTED_DOCUMENTS: 'any' }, 'any'],
    [{ TRUSTED_DOCUMENTS: 'registered' }, 'registered'],
  ])('%o → partners may run %s documents', (env, expected) => {
    expect(parseGatewayEnv(env).TRUSTED_DOCUMENTS).toBe(expected);
  });

  it('collects SUBGRAPH_<NAME>_URL overrides and ignores unrelated variables', () => {
    const env = parseGatewayEnv({
      SUBGRAPH_CAMPAIGN_URL: 'http://campaign:4000/graphql',
      SUBGRAPH_TIMEOUT_MS: '500',
      PATH: '/usr/bin',
    });
    expect(env.SUBGRAPH_URLS).toEqual({ SUBGRAPH_CAMPAIGN_URL: 'http://campaign:4000/graphql' });
    expect(env.SUBGRAPH_TIMEOUT_MS).toBe(500);
    expect(env).not.toHaveProperty('PATH');
  });

  it('lists every problem at once', () => {
    const parse = () =>
      parseGatewayEnv({ PORT: 'eighty', MAX_QUERY_DEPTH: '0', SUBGRAPH_REVIEWS_URL: 'reviews:4000/graphql' });
    expect(parse).toThrow(ConfigError);
    try {
      parse();
    } catch (err) {
      const problems = (err as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(problems).toEqual(['PORT', 'MAX_QUERY_DEPTH', 'SUBGRAPH_REVIEWS_URL']);
    }
  });

  it.each([
    ['reviews', 'SUBGRAPH_REVIEWS_URL'],
    ['store-queue', 'SUBGRAPH_STORE_QUEUE_URL'],
  ])('names the override for subgraph %s %s', (name, key) => {
    expect(subgraphUrlKey(name)).toBe(key);
  });
});
