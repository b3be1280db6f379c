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

  const token = async (body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as TokenAnswer };
  };

  beforeAll(async () => {
    platform = await PlatformProcess.start('all');
    origin = platform.base('gateway');
    const admin = await login(platform.urls.gateway!, 'hq@demo.test');
    const created = await graphql<{ createApiClient: { apiClient: { id: string }; clientSecret: string } }>(
      platform.urls.gateway!,
      CREATE_CLIENT,
      { input: { name: 'Footfall partner', scopes: ['location:read'] } },
      admin,
    );
    expect(created.errors).toBeUndefined();
    client = { id: created.data!.createApiClient.apiClient.id, secret: created.data!.createApiClient.clientSecret };
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
});
