import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, login, PlatformProcess } from '@phub/e2e';

const CREATE_CLIENT = `
  mutation ($input: CreateApiClientInput!) {
    createApiClient(input: $input) {
      apiClient {
        id
      }
      clientSecret
    }
  }
`;

interface TokenAnswer {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
}

/** A partner as an integrator builds one: everything through the gateway's host, nothing else. */
describe('a partner integration through the gateway', () => {
  let platform: PlatformProcess;
  let origin: string;
  let client: { id: string; secret: string };
  let admin: string;

  const createClient = async (name: string, scopes = ['location:read']) => {
    const created = await graphql<{ createApiClient: { apiClient: { id: string }; clientSecret: string } }>(
      platform.urls.gateway!,
      CREATE_CLIENT,
      { input: { name, scopes } },
      admin,
    );
    expect(created.errors).toBeUndefined();
    return { id: created.data!.createApiClient.apiClient.id, secret: created.data!.createApiClient.clientSecret };
  };
  const clientToken = async (c: { id: string; secret: string }) => {
    const res = await token(
      new URLSearchParams({ grant_type: 'client_credentials', client_id: c.id, client_secret: c.secret }).toString(),
    );
    expect(res.status).toBe(200);
    return res.body.access_token!;
  };

  const token = async (body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as TokenAnswer };
  };

  beforeAll(async () => {
    // The real Redis holds the rate limit buckets; a limit of 100 an hour refills too slowly to blur the 101st.
    platform = await PlatformProcess.start('all', {
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      PARTNER_RATE_LIMIT_REQUESTS: '100',
      PARTNER_RATE_LIMIT_WINDOW_SECONDS: '3600',
    });
    origin = platform.base('gateway');
    admin = await login(platform.urls.gateway!, 'hq@demo.test');
    client = await createClient('Footfall partner');
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
  }, 40_000);

  describe('POST /oauth/token (RFC 6749 §4.4) on the gateway', () => {
    it('issues a bearer token for client credentials in the body, verifiable with the gateway JWKS', async () => {
      const res = await token(
        new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.id,
          client_secret: client.secret,
        }).toString(),
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'location:read' });
      expect(res.body.expires_in).toBeGreaterThan(0);
      const jwks = createRemoteJWKSet(new URL(`${origin}/.well-known/jwks.json`));
      const { payload } = await jwtVerify(res.body.access_token!, jwks);
      expect(payload.sub).toBe(client.id);
    });

    it('takes HTTP Basic client authentication, and the token queries the graph', async () => {
      const basic = Buffer.from(`${client.id}:${client.secret}`).toString('base64');
      const res = await token('grant_type=client_credentials', { authorization: `Basic ${basic}` });
      expect(res.status).toBe(200);
      const stores = await graphql<{ stores: { totalCount: number } }>(
        platform.urls.gateway!,
        '{ stores(first: 1) { totalCount } }',
        {},
        res.body.access_token,
      );
      expect(stores.errors).toBeUndefined();
      expect(stores.data?.stores.totalCount).toBe(6);
    });

    it.each([
      ['a wrong secret', `grant_type=client_credentials&client_id=CLIENT&client_secret=wrong`, 401, 'invalid_client'],
      ['another grant type', 'grant_type=password&username=a&password=b', 400, 'unsupported_grant_type'],
      ['no grant type', 'client_id=CLIENT', 400, 'invalid_request'],
    ])('answers %s with the OAuth error', async (_case, body, status, error) => {
      const res = await token(body.replace('CLIENT', client.id));
      expect(res.status).toBe(status);
      expect(res.body.error).toBe(error);
      expect(res.body.access_token).toBeUndefined();
    });

    it('serves the JWKS with caching headers and public keys only', async () => {
      const res = await fetch(`${origin}/.well-known/jwks.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toContain('max-age');
      const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(key.d).toBeUndefined();
    });
  });

  describe('rate limits per client', () => {
    it('answers the 101st request over a limit of 100 with 429, Retry-After and RATE_LIMITED; other clients go on', async () => {
      const limited = await clientToken(await createClient('Busy partner'));
      const other = await clientToken(await createClient('Quiet partner'));
      const query = (t: string) =>
        fetch(platform.urls.gateway!, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` },
          body: JSON.stringify({ query: '{ stores(first: 1) { totalCount } }' }),
        });
      for (let i = 1; i <= 100; i++) {
        const res = await query(limited);
        expect(res.status, `request ${i}`).toBe(200);
        expect(res.headers.get('ratelimit-remaining')).toBe(String(100 - i));
        await res.arrayBuffer();
      }
      const refused = await query(limited);
      expect(refused.status).toBe(429);
      // 100 an hour: a token every 36 s, of which the time the 100 requests took has passed already.
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(36);
      const body = (await refused.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('RATE_LIMITED');
      expect((await query(other)).status).toBe(200);
      // First-party apps are not partners: no bucket.
      const hq = await query(admin);
      expect(hq.status).toBe(200);
      expect(hq.headers.get('ratelimit-limit')).toBeNull();
    }, 60_000);
  });
});
