import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache, RedisCache, type Cache } from '../cache.js';
import { DomainError } from '../errors.js';
import { TEST_REDIS_URL } from '../testing/index.js';
import { authenticate, bearerToken } from './authenticate.js';
import { REVOCATION_LIST_LOADED_KEY, revokedSessionKey, revokedTokenKey } from './claims.js';
import { TokenVerifier } from './token-verifier.js';
import { Role } from './viewer.js';

const ISSUER = 'urn:test:auth';
const AUDIENCE = 'urn:test:api';
const TENANT = '00000000-0000-4000-8000-0000000000aa';

interface KeyPair {
  kid: string;
  alg: 'EdDSA' | 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function keyPair(kid: string, alg: 'EdDSA' | 'ES256' = 'EdDSA'): Promise<KeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

let primary: KeyPair;
let secondary: KeyPair;
let intruder: KeyPair;

interface SignOptions {
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  expiresIn?: number;
  issuer?: string;
  audience?: string;
}

function sign(key: KeyPair, options: SignOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    tid: TENANT,
    roles: [Role.HQ_EDITOR],
    stores: [],
    sid: 'session-1',
    ...options.claims,
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...options.header })
    .setSubject('user-1')
    .setJti(String(options.claims?.jti ?? `jti-${Math.random()}`))
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 300))
    .sign(key.privateKey);
}

function tamper(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const body = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  change(body);
  return [header, Buffer.from(JSON.stringify(body)).toString('base64url'), signature].join('.');
}

const verifierFor = (cache: Cache = new MemoryCache()) =>
  new TokenVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: { keys: [primary.publicJwk, secondary.publicJwk] },
    cache,
  });

/** A cache as the auth service leaves it: the revocation list loaded. */
async function loadedCache(): Promise<MemoryCache> {
  const cache = new MemoryCache();
  await cache.set(REVOCATION_LIST_LOADED_KEY, 'now', 3600);
  return cache;
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

beforeAll(async () => {
  primary = await keyPair('k-primary');
  secondary = await keyPair('k-secondary', 'ES256');
  intruder = await keyPair('k-primary'); // same kid, different key
});

describe(TokenVerifier.name, () => {
  it('turns a valid token into a Viewer', async () => {
    const token = await sign(primary, { claims: { stores: ['s1'], jti: 'j-1' } });
    const viewer = await verifierFor().verify(token);
    expect(viewer).toMatchObject({
      kind: 'user',
      subject: 'user-1',
      tenantId: TENANT,
      roles: [Role.HQ_EDITOR],
      storeIds: ['s1'],
      scopes: [],
      tokenId: 'j-1',
      sessionId: 'session-1',
    });
    expect(viewer.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it('accepts ES256 keys from the same set', async () => {
    const viewer = await verifierFor().verify(await sign(secondary));
    expect(viewer.subject).toBe('user-1');
  });

  it('reads device and partner claims', async () => {
    const verifier = verifierFor();
    const device = await verifier.verify(
      await sign(primary, { claims: { roles: [Role.DEVICE], did: 'display-1', stores: ['s1'] } }),
    );
    expect(device).toMatchObject({ kind: 'device', displayId: 'display-1', storeIds: ['s1'] });
    // A kiosk tablet is a device credential too (its lifetime and display binding), with its own role.
    const kiosk = await verifier.verify(
      await sign(primary, { claims: { roles: [Role.KIOSK], did: 'display-2', stores: ['s1'] } }),
    );
    expect(kiosk).toMatchObject({ kind: 'device', roles: [Role.KIOSK], displayId: 'display-2', storeIds: ['s1'] });
    const partner = await verifier.verify(
      await sign(primary, { claims: { roles: [Role.PARTNER], scope: 'location:read queue:read' } }),
    );
    expect(partner).toMatchObject({ kind: 'partner', scopes: ['location:read', 'queue:read'] });
  });

  const rejections: [string, () => Promise<string>, RegExp][] = [
    ['an expired token', () => sign(primary, { expiresIn: -60 }), /expired/],
    [
      'a token whose payload was changed',
      async () => tamper(await sign(primary), (p) => (p.roles = [Role.HQ_ADMIN])),
      /signature is invalid/,
    ],
    [
      'a token moved to another tenant',
      async () => tamper(await sign(primary), (p) => (p.tid = 'another-tenant')),
      /signature is invalid/,
    ],
    ['a token signed with a wrong key under a known kid', () => sign(intruder), /signature is invalid/],
    ['a token signed with an unknown kid', () => sign({ ...intruder, kid: 'k-unknown' }), /unknown key/],
    [
      'an unsigned token (alg: none)',
      async () =>
        new UnsecuredJWT({ tid: TENANT, roles: [Role.HQ_ADMIN], stores: [], jti: 'x' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setSubject('user-1')
          .setIssuedAt()
          .setExpirationTime('5m')
          .encode(),
      /algorithm is not allowed/,
    ],
    [
      'an alg: none header on a signed token',
      async () => {
        const [, payload] = (await sign(primary)).split('.');
        const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
        return `${header}.${payload}.`;
      },
      /algorithm is not allowed/,
    ],
    [
      'an HS256 token keyed with the public key (algorithm confusion)',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ tid: TENANT, roles: [Role.HQ_ADMIN], stores: [] })
          .setProtectedHeader({ alg: 'HS256', kid: primary.kid, typ: 'at+jwt' })
          .setSubject('user-1')
          .setJti('x')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt(now)
          .setExpirationTime(now + 60)
          .sign(new TextEncoder().encode(JSON.stringify(primary.publicJwk)));
      },
      /algorithm is not allowed/,
    ],
    ['a token from another issuer', () => sign(primary, { issuer: 'urn:evil' }), /"iss" claim/],
    ['a token for another audience', () => sign(primary, { audience: 'urn:other' }), /"aud" claim/],
    ['a token of another type', () => sign(primary, { header: { typ: 'JWT' } }), /"typ" claim/],
    ['a token without a tenant', () => sign(primary, { claims: { tid: undefined } }), /claims are invalid: tid/],
    ['a token with an unknown role', () => sign(primary, { claims: { roles: ['ROOT'] } }), /claims are invalid/],
    ['a device token without a display', () => sign(primary, { claims: { roles: [Role.DEVICE] } }), /did/],
    ['a kiosk token without a display', () => sign(primary, { claims: { roles: [Role.KIOSK] } }), /did/],
    ['a string that is not a JWT', async () => 'not-a-token', /malformed/],
    ['an oversized token', async () => 'a'.repeat(10_000), /malformed/],
  ];

  it.each(rejections)('rejects %s with UNAUTHENTICATED', async (_name, make, message) => {
    const err = await failure(verifierFor().verify(await make()));
    expect(err.code).toBe('UNAUTHENTICATED');
    expect(err.message).toMatch(message);
  });

  describe('revocation', () => {
    let redis: Redis;
    beforeAll(() => {
      redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    });
    afterAll(async () => {
      await redis.quit();
    });

    const caches: [string, () => Cache][] = [
      ['in-process cache', () => new MemoryCache()],
      ['Redis', () => new RedisCache(redis, `phub:test:${Math.random().toString(36).slice(2)}:`)],
    ];

    it.each(caches)('rejects a revoked token id (%s)', async (_name, makeCache) => {
      const cache = makeCache();
      const verifier = verifierFor(cache);
      const token = await sign(primary, { claims: { jti: 'revoke-me' } });
      await expect(verifier.verify(token)).resolves.toMatchObject({ tokenId: 'revoke-me' });
      await cache.set(revokedTokenKey('revoke-me'), 1, 60);
      const err = await failure(verifier.verify(token));
      expect(err).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Access token has been revoked' });
    });

    it.each(caches)('rejects every token of a revoked session (%s)', async (_name, makeCache) => {
      const cache = makeCache();
      const verifier = verifierFor(cache);
      const [a, b] = await Promise.all([
        sign(primary, { claims: { sid: 'family-9' } }),
        sign(secondary, { claims: { sid: 'family-9' } }),
      ]);
      const other = await sign(primary, { claims: { sid: 'family-10' } });
      await cache.set(revokedSessionKey('family-9'), 1, 60);
      for (const token of [a, b]) expect((await failure(verifier.verify(token))).code).toBe('UNAUTHENTICATED');
      await expect(verifier.verify(other)).resolves.toMatchObject({ sessionId: 'family-10' });
    });
  });

  describe('remote key set', () => {
    let server: Server;
    let url: string;
    let published: JWK[];
    let fetches = 0;
    let redis: Redis;

    beforeAll(async () => {
      redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
      server = createServer((req, res) => {
        fetches++;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: published }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    });
    afterAll(async () => {
      await redis.quit();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('fetches keys once, and again only for a key it has not seen', async () => {
      published = [primary.publicJwk];
      fetches = 0;
      const verifier = new TokenVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        keys: url,
        cache: await loadedCache(),
        jwks: { cooldownMs: 0 },
      });
      await verifier.verify(await sign(primary));
      await verifier.verify(await sign(primary));
      expect(fetches).toBe(1);
      // A rotation publishes a new key; the old one stays until its tokens expire.
      published = [secondary.publicJwk, primary.publicJwk];
      await expect(verifier.verify(await sign(secondary))).resolves.toMatchObject({ subject: 'user-1' });
      await expect(verifier.verify(await sign(primary))).resolves.toMatchObject({ subject: 'user-1' });
      expect(fetches).toBe(2);
      const err = await failure(verifier.verify(await sign({ ...intruder, kid: 'k-never' })));
      expect(err.code).toBe('UNAUTHENTICATED');
    });

    // After a cache flush or restart an absent revocation entry proves nothing: auth must reload the list first.
    it('refuses tokens while the revocation list is not loaded in the shared cache, and accepts them once it is', async () => {
      published = [primary.publicJwk];
      const cache = new RedisCache(redis, `phub:test:${Math.random().toString(36).slice(2)}:`);
      const verifier = new TokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: url, cache });
      const err = await failure(verifier.verify(await sign(primary)));
      expect(err).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/revocation list/) });
      await cache.set(REVOCATION_LIST_LOADED_KEY, 'now', 60);
      await expect(verifier.verify(await sign(primary))).resolves.toMatchObject({ subject: 'user-1' });
      await cache.del(REVOCATION_LIST_LOADED_KEY);
    });

    // A lone gateway without Redis: auth in another process can never fill its cache.
    it('does not wait for a revocation list in an in-process cache', async () => {
      published = [primary.publicJwk];
      const verifier = new TokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: url, cache: new MemoryCache() });
      await expect(verifier.verify(await sign(primary))).resolves.toMatchObject({ subject: 'user-1' });
    });

    it('lets its owner reload a missing revocation list before deciding', async () => {
      published = [primary.publicJwk];
      const cache = new MemoryCache();
      let reloads = 0;
      const verifier = new TokenVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        keys: url,
        cache,
        requireLoadedRevocations: true,
        onRevocationListMissing: async () => {
          reloads++;
          await cache.set(revokedTokenKey('was-revoked'), 'logout', 60);
          await cache.set(REVOCATION_LIST_LOADED_KEY, 'now', 60);
        },
      });
      const err = await failure(verifier.verify(await sign(primary, { claims: { jti: 'was-revoked' } })));
      expect(err).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Access token has been revoked' });
      await expect(verifier.verify(await sign(primary))).resolves.toMatchObject({ subject: 'user-1' });
      expect(reloads).toBe(1);
    });

    it('reports an unreachable key set as UNAVAILABLE, not as a bad token', async () => {
      const verifier = new TokenVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        keys: 'http://127.0.0.1:9/.well-known/jwks.json',
        cache: await loadedCache(),
        jwks: { timeoutMs: 1_000 },
      });
      const err = await failure(verifier.verify(await sign(primary)));
      expect(err.code).toBe('UNAVAILABLE');
    });
  });

  // A token signed with our key but living for years (a leaked signing key's forgery, a bug) is refused.
  it.each([
    ['a person', { roles: [Role.HQ_ADMIN] }, 15 * 60, true],
    ['a person', { roles: [Role.HQ_ADMIN] }, 15 * 60 + 60, true],
    ['a person', { roles: [Role.HQ_ADMIN] }, 2 * 60 * 60, false],
    ['a person', { roles: [Role.HQ_ADMIN] }, 10 * 365 * 24 * 60 * 60, false],
    ['a display player', { roles: [Role.DEVICE], did: 'd-1' }, 60 * 60, true],
    ['a display player', { roles: [Role.DEVICE], did: 'd-1' }, 10 * 365 * 24 * 60 * 60, false],
    ['a partner', { roles: [Role.PARTNER], scope: 'location:read' }, 60 * 60, true],
    ['a partner', { roles: [Role.PARTNER], scope: 'location:read' }, 3 * 60 * 60, false],
  ])('caps the lifetime of tokens of %s (%o, %d s → accepted: %s)', async (_who, claims, lifetime, accepted) => {
    const token = await sign(primary, { claims, expiresIn: lifetime });
    const outcome = await verifierFor()
      .verify(token)
      .then(
        () => 'OK',
        (e: DomainError) => e.message,
      );
    expect(outcome).toBe(accepted ? 'OK' : 'Access token lives longer than tokens of its kind may');
  });

  it('takes the lifetimes it accepts from its options', async () => {
    const verifier = new TokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      keys: { keys: [primary.publicJwk] },
      cache: new MemoryCache(),
      maxLifetimeSeconds: { user: 4 * 60 * 60 },
    });
    await expect(verifier.verify(await sign(primary, { expiresIn: 4 * 60 * 60 }))).resolves.toBeTruthy();
    expect((await failure(verifier.verify(await sign(primary, { expiresIn: 5 * 60 * 60 })))).code).toBe(
      'UNAUTHENTICATED',
    );
  });

  describe('verified tokens remembered', () => {
    /** A verifier whose key lookups are counted (a lookup happens once per signature check) on a settable clock. */
    function counted(options: { verifiedTtlMs?: number } = {}) {
      const keys = createLocalJWKSet({ keys: [primary.publicJwk] });
      const state = { lookups: 0, now: Date.now() };
      const cache = new MemoryCache();
      const verifier = new TokenVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        keys: (header, token) => {
          state.lookups++;
          return keys(header, token);
        },
        cache,
        now: () => state.now,
        ...options,
      });
      return { verifier, state, cache };
    }

    it('checks a token signature once, then still checks revocation on every call', async () => {
      const { verifier, state, cache } = counted();
      const token = await sign(primary, { claims: { jti: 'again' } });
      for (let i = 0; i < 5; i++) await expect(verifier.verify(token)).resolves.toMatchObject({ tokenId: 'again' });
      expect(state.lookups).toBe(1);
      await cache.set(revokedTokenKey('again'), 1, 60);
      expect(await failure(verifier.verify(token))).toMatchObject({ message: 'Access token has been revoked' });
    });

    it('still expires a remembered token on time', async () => {
      const { verifier, state } = counted({ verifiedTtlMs: 3_600_000 });
      const token = await sign(primary, { expiresIn: 120 });
      await verifier.verify(token);
      state.now += 100_000;
      await expect(verifier.verify(token)).resolves.toBeTruthy();
      state.now += 30_000; // past exp + the 5 s tolerance
      expect(await failure(verifier.verify(token))).toMatchObject({ message: 'Access token has expired' });
    });

    it('checks the signature again after the TTL, after reloadKeys, and always when the TTL is 0', async () => {
      const { verifier, state } = counted({ verifiedTtlMs: 1_000 });
      const token = await sign(primary);
      await verifier.verify(token);
      state.now += 1_500;
      await verifier.verify(token);
      expect(state.lookups).toBe(2);
      await verifier.reloadKeys();
      await verifier.verify(token);
      expect(state.lookups).toBe(3);

      const never = counted({ verifiedTtlMs: 0 });
      await never.verifier.verify(token);
      await never.verifier.verify(token);
      expect(never.state.lookups).toBe(2);
    });

    it('remembers only what passed, and gives each caller a viewer of its own', async () => {
      const { verifier, state } = counted();
      const token = await sign(primary, { claims: { stores: ['s1'] } });
      const forged = tamper(token, (p) => (p.roles = [Role.HQ_ADMIN]));
      for (let i = 0; i < 2; i++) expect((await failure(verifier.verify(forged))).code).toBe('UNAUTHENTICATED');
      expect(state.lookups).toBe(2);
      const first = await verifier.verify(token);
      first.roles.push(Role.HQ_ADMIN);
      first.storeIds.length = 0;
      await expect(verifier.verify(token)).resolves.toMatchObject({ roles: [Role.HQ_EDITOR], storeIds: ['s1'] });
    });
  });

  it('refuses to be configured with symmetric or unsigned algorithms', () => {
    for (const algorithms of [['none'], ['HS256'], ['EdDSA', 'HS512']]) {
      expect(
        () =>
          new TokenVerifier({
            issuer: ISSUER,
            audience: AUDIENCE,
            keys: { keys: [] },
            cache: new MemoryCache(),
            algorithms,
          }),
      ).toThrow(/asymmetric/);
    }
  });
});

describe(authenticate.name, () => {
  it('is anonymous without credentials', async () => {
    await expect(authenticate({ headers: {} }, verifierFor())).resolves.toBeNull();
    await expect(authenticate({ headers: { authorization: '' } }, verifierFor())).resolves.toBeNull();
  });

  it.each([
    ['the Authorization header', (t: string) => ({ headers: { authorization: `Bearer ${t}` } })],
    ['a lower-case scheme', (t: string) => ({ headers: { authorization: `bearer ${t}` } })],
    [
      'connectionParams.authorization',
      (t: string) => ({ headers: {}, connectionParams: { authorization: `Bearer ${t}` } }),
    ],
    [
      'connectionParams.Authorization',
      (t: string) => ({ headers: {}, connectionParams: { Authorization: `Bearer ${t}` } }),
    ],
    ['connectionParams.accessToken', (t: string) => ({ headers: {}, connectionParams: { accessToken: t } })],
  ])('reads the token from %s', async (_name, input) => {
    const token = await sign(primary, { claims: { jti: 'from-input' } });
    await expect(authenticate(input(token), verifierFor())).resolves.toMatchObject({ tokenId: 'from-input' });
    expect(bearerToken(input(token))).toBe(token);
  });

  it.each([
    ['a Basic header', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }, /Bearer/],
    ['a bearer scheme without a token', { headers: { authorization: 'Bearer' } }, /Bearer/],
    ['a non-string connection param', { headers: {}, connectionParams: { accessToken: 42 } }, /Bearer/],
    ['a token that does not verify', { headers: { authorization: 'Bearer abc.def.ghi' } }, /malformed/],
  ])('rejects %s with UNAUTHENTICATED (HTTP 401)', async (_name, input, message) => {
    const err = await authenticate(input, verifierFor()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GraphQLError);
    const gqlError = err as GraphQLError;
    expect(gqlError.extensions).toMatchObject({ code: 'UNAUTHENTICATED', http: { status: 401 } });
    expect(gqlError.originalError).toBeInstanceOf(DomainError);
    expect(gqlError.message).toMatch(message);
  });
});
