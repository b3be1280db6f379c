import { RedisCache, Role, TokenVerifier } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome, startAuth, type AuthHarness } from '../../testing/harness.js';
import { ApiClientService } from './api-client.service.js';

let h: AuthHarness;
let admin: string;
let subgraph: TokenVerifier;

const CREATE = `mutation($input: CreateApiClientInput!) {
  createApiClient(input: $input) { clientSecret apiClient { id name scopes createdAt revokedAt } }
}`;

async function create(scopes = ['location:read', 'queue:read']) {
  const { createApiClient } = await h.ok<{
    createApiClient: { clientSecret: string; apiClient: { id: string; scopes: string[] } };
  }>(CREATE, { input: { name: 'Acme signage', scopes } }, admin);
  return {
    id: createApiClient.apiClient.id,
    secret: createApiClient.clientSecret,
    scopes: createApiClient.apiClient.scopes,
  };
}

function tokenEndpoint(body: string | Record<string, unknown>, headers: Record<string, string> = {}) {
  const json = typeof body !== 'string';
  return fetch(`${h.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded', ...headers },
    body: json ? JSON.stringify(body) : body,
  });
}

beforeAll(async () => {
  h = await startAuth();
  admin = (await h.login('hq@demo.test')).accessToken;
  subgraph = new TokenVerifier({
    issuer: h.env.AUTH_ISSUER,
    audience: h.env.AUTH_AUDIENCE,
    keys: h.service.jwksUrl,
    cache: new RedisCache(h.redis, h.cachePrefix),
  });
});
afterAll(() => h?.stop());

describe(ApiClientService.name, () => {
  it('shows the secret once and stores only its hash', async () => {
    const client = await create();
    expect(client.secret).toMatch(/^pcs_[\w-]{43}$/);
    const { rows } = await h.db.query('SELECT secret_hash FROM auth.api_client WHERE id = $1', [client.id]);
    expect(rows[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(client.secret);
    const listed = await h.ok<{ apiClients: { totalCount: number; edges: { node: Record<string, unknown> }[] } }>(
      '{ apiClients { totalCount edges { node { id name scopes } } } }',
      {},
      admin,
    );
    expect(listed.apiClients.edges.map((e) => e.node)).toContainEqual({
      id: client.id,
      name: 'Acme signage',
      scopes: ['location:read', 'queue:read'],
    });
  });

  it('refuses scopes outside the closed set', async () => {
    const res = await h.gql(CREATE, { input: { name: 'x', scopes: ['root:all'] } }, admin);
    expect(outcome(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.message).toMatch(/each scope must be one of location:read/);
  });

  // No subgraph lets a partner write campaigns or record playback, so those scopes are not grantable.
  it.each(['campaign:write', 'playback:write'])('refuses to grant %s, on create and on change', async (scope) => {
    const created = await h.gql(CREATE, { input: { name: 'x', scopes: ['campaign:read', scope] } }, admin);
    expect(outcome(created)).toBe('BAD_USER_INPUT');
    const client = await create(['campaign:read']);
    const changed = await h.gql(
      `mutation($input: SetApiClientScopesInput!) { setApiClientScopes(input: $input) { scopes } }`,
      { input: { id: client.id, scopes: [scope] } },
      admin,
    );
    expect(outcome(changed)).toBe('BAD_USER_INPUT');
    const { rows } = await h.db.query('SELECT scopes FROM auth.api_client WHERE id = $1', [client.id]);
    expect(rows[0].scopes).toEqual(['campaign:read']);
  });

  it('no longer issues a withdrawn scope to a client granted it before', async () => {
    const client = await create(['campaign:read']);
    await h.db.query(`UPDATE auth.api_client SET scopes = $2 WHERE id = $1`, [
      client.id,
      ['campaign:read', 'campaign:write'],
    ]);
    const form = { grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret };
    const all = await tokenEndpoint(form);
    expect(all.status).toBe(200);
    expect(((await all.json()) as { scope: string }).scope).toBe('campaign:read');
    const asked = await tokenEndpoint({ ...form, scope: 'campaign:write' });
    expect(asked.status).toBe(400);
    expect(await asked.json()).toMatchObject({ error: 'invalid_scope' });
  });

  describe('POST /oauth/token (client credentials)', () => {
    it('issues a partner token for a form body with the secret in the body', async () => {
      const client = await create();
      const res = await tokenEndpoint(
        new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.id,
          client_secret: client.secret,
        }).toString(),
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'location:read queue:read' });
      const viewer = await subgraph.verify(body.access_token as string);
      expect(viewer).toMatchObject({
        kind: 'partner',
        subject: client.id,
        roles: [Role.PARTNER],
        scopes: ['location:read', 'queue:read'],
        storeIds: [],
      });
    });

    it('accepts HTTP Basic client authentication, a JSON body, and a narrower scope', async () => {
      const client = await create();
      const basic = Buffer.from(`${client.id}:${client.secret}`).toString('base64');
      const res = await tokenEndpoint(
        { grant_type: 'client_credentials', scope: 'queue:read' },
        { authorization: `Basic ${basic}` },
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as { access_token: string; scope: string };
      expect(body.scope).toBe('queue:read');
      expect((await subgraph.verify(body.access_token)).scopes).toEqual(['queue:read']);
    });

    it.each([
      ['no grant_type', { client_id: 'x' }, {}, 400, 'invalid_request'],
      [
        'another grant type',
        { grant_type: 'password', username: 'a', password: 'b' },
        {},
        400,
        'unsupported_grant_type',
      ],
      ['no client credentials', { grant_type: 'client_credentials' }, {}, 401, 'invalid_client'],
      [
        'a wrong secret',
        {
          grant_type: 'client_credentials',
          client_id: '00000000-0000-4000-8000-000000000001',
          client_secret: 'pcs_nope',
        },
        {},
        401,
        'invalid_client',
      ],
    ] as const)('answers %s with RFC 6749 error JSON', async (_name, form, headers, status, error) => {
      const res = await tokenEndpoint(new URLSearchParams(form as Record<string, string>).toString(), headers);
      expect(res.status).toBe(status);
      const body = (await res.json()) as { error: string; error_description: string };
      expect(body.error).toBe(error);
      expect(body.error_description).toEqual(expect.any(String));
    });

    it('answers a scope the client lacks with invalid_scope, and bad JSON with invalid_request', async () => {
      const client = await create(['location:read']);
      const res = await tokenEndpoint({
        grant_type: 'client_credentials',
        client_id: client.id,
        client_secret: client.secret,
        scope: 'location:read location:write',
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_scope' });
      const bad = await fetch(`${h.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"grant_type":',
      });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: 'invalid_request' });
    });

    it('answers a wrong secret sent with Basic with a challenge', async () => {
      const client = await create();
      const basic = Buffer.from(`${client.id}:pcs_wrong`).toString('base64');
      const res = await tokenEndpoint({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
      const { rows } = await h.db.query(
        `SELECT details FROM auth.audit_event WHERE type = 'CLIENT_AUTH_FAILED' AND subject_id = $1`,
        [client.id],
      );
      expect(rows.map((r) => r.details.reason)).toEqual(['wrong_secret']);
    });
  });

  it('issues tokens over GraphQL too', async () => {
    const client = await create();
    const { issueClientToken } = await h.ok<{
      issueClientToken: { accessToken: string; tokenType: string; scope: string };
    }>(
      `mutation($input: IssueClientTokenInput!) { issueClientToken(input: $input) { accessToken tokenType scope expiresIn } }`,
      { input: { clientId: client.id, clientSecret: client.secret } },
    );
    expect(issueClientToken).toMatchObject({ tokenType: 'Bearer', scope: 'location:read queue:read' });
    const { viewer } = await h.ok<{ viewer: { kind: string; scopes: string[] } }>(
      '{ viewer { kind scopes } }',
      {},
      issueClientToken.accessToken,
    );
    expect(viewer).toEqual({ kind: 'partner', scopes: ['location:read', 'queue:read'] });
  });

  it('retires issued tokens when the scopes change, and new tokens carry the new scopes', async () => {
    const client = await create();
    const old = await h.partnerToken(client.id, client.secret);
    await h.ok(
      `mutation($input: SetApiClientScopesInput!) { setApiClientScopes(input: $input) { scopes } }`,
      { input: { id: client.id, scopes: ['location:read'] } },
      admin,
    );
    await expect(subgraph.verify(old)).rejects.toThrow('revoked');
    const fresh = await h.partnerToken(client.id, client.secret);
    expect((await subgraph.verify(fresh)).scopes).toEqual(['location:read']);
  });

  it('revokes a client: its tokens stop at once and it cannot get new ones', async () => {
    const client = await create();
    const token = await h.partnerToken(client.id, client.secret);
    const { revokeApiClient } = await h.ok<{ revokeApiClient: { revokedAt: string } }>(
      'mutation($id: ID!) { revokeApiClient(id: $id) { revokedAt } }',
      { id: client.id },
      admin,
    );
    expect(revokeApiClient.revokedAt).toEqual(expect.any(String));
    await expect(subgraph.verify(token)).rejects.toThrow('revoked');
    expect((await h.gql('{ viewer { kind } }', {}, token)).status).toBe(401);
    const res = await tokenEndpoint({
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: client.secret,
    });
    expect(res.status).toBe(401);
    const listed = await h.ok<{ apiClients: { edges: { node: { id: string } }[] } }>(
      '{ apiClients(first: 100) { edges { node { id } } } }',
      {},
      admin,
    );
    expect(listed.apiClients.edges.map((e) => e.node.id)).not.toContain(client.id);
    const types = await h.db.query(`SELECT type FROM auth.audit_event WHERE subject_id = $1 ORDER BY id`, [client.id]);
    expect(types.rows.map((r) => r.type)).toEqual([
      'API_CLIENT_CREATED',
      'CLIENT_TOKEN_ISSUED',
      'API_CLIENT_REVOKED',
      'CLIENT_AUTH_FAILED',
    ]);
  });

  it('answers NOT_FOUND for ids that are not clients of the tenant', async () => {
    for (const id of ['not-an-id', '00000000-0000-4000-8000-000000000bad']) {
      expect(outcome(await h.gql('mutation($id: ID!) { revokeApiClient(id: $id) { id } }', { id }, admin))).toBe(
        'NOT_FOUND',
      );
    }
  });
});
