import { randomUUID } from 'node:crypto';
import { DEMO_FIRST_STORE_ID, DEMO_TENANT_ID, RedisCache, Role, TokenVerifier } from '@phub/kit';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/demo-data.js';
import { PasswordHasher } from '../../security/password.js';
import { forgeWithServiceKey, outcome, startAuth, type AuthHarness } from '../../testing/harness.js';
import { SessionService } from './session.service.js';

const REFRESH = `mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken expiresAt user { email } } }`;
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`;
const VIEWER = '{ viewer { kind subject tenantId roles storeIds sessionId } }';

let h: AuthHarness;
let otherSubgraph: TokenVerifier;

beforeAll(async () => {
  h = await startAuth();
  // What every other subgraph runs: the JWKS over HTTP and revocations from the shared cache.
  otherSubgraph = new TokenVerifier({
    issuer: h.env.AUTH_ISSUER,
    audience: h.env.AUTH_AUDIENCE,
    keys: h.service.jwksUrl,
    cache: new RedisCache(h.redis, h.cachePrefix),
  });
});
afterAll(() => h?.stop());

describe(SessionService.name, () => {
  it.each([
    ['hq@demo.test', [Role.HQ_ADMIN], []],
    ['editor@demo.test', [Role.HQ_EDITOR], []],
    ['manager@demo.test', [Role.STORE_MANAGER], [DEMO_FIRST_STORE_ID]],
    ['staff@demo.test', [Role.STORE_STAFF], [DEMO_FIRST_STORE_ID]],
  ])('signs in the demo person %s with the demo password', async (email, roles, stores) => {
    const tokens = await h.login(email, DEMO_PASSWORD);
    const { viewer } = await h.ok<{ viewer: Record<string, unknown> }>(VIEWER, {}, tokens.accessToken);
    expect(viewer).toMatchObject({ kind: 'user', tenantId: DEMO_TENANT_ID, roles, storeIds: stores });
    await expect(otherSubgraph.verify(tokens.accessToken)).resolves.toMatchObject({ roles, storeIds: stores });
  });

  it.each([
    ['a wrong password', 'editor@demo.test', 'not-the-password'],
    ['an unknown email', 'nobody@demo.test', DEMO_PASSWORD],
  ])('refuses %s with the same message', async (_name, email, password) => {
    const res = await h.gql(LOGIN, { e: email, p: password });
    expect(outcome(res)).toBe('UNAUTHENTICATED');
    expect(res.errors![0]!.message).toBe('Email or password is incorrect');
  });

  it('stores passwords as scrypt hashes, never in clear', async () => {
    const { rows } = await h.db.query(`SELECT password_hash FROM auth."user" WHERE email = 'hq@demo.test'`);
    expect(rows[0].password_hash).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(rows[0].password_hash).not.toContain(DEMO_PASSWORD);
  });

  it('rotates refresh tokens, and a reused one revokes the whole session everywhere', async () => {
    const first = await h.login('editor@demo.test');
    const second = (
      await h.ok<{ refreshToken: { accessToken: string; refreshToken: string } }>(REFRESH, { t: first.refreshToken })
    ).refreshToken;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const sessionId = (await otherSubgraph.verify(second.accessToken)).sessionId;
    expect(sessionId).toBe((await otherSubgraph.verify(first.accessToken)).sessionId);

    // The first refresh token leaked and is used again: the family ends.
    const reuse = await h.gql(REFRESH, { t: first.refreshToken });
    expect(outcome(reuse)).toBe('UNAUTHENTICATED');
    expect(reuse.errors![0]!.message).toMatch(/already used.*revoked/);

    expect(outcome(await h.gql(REFRESH, { t: second.refreshToken }))).toBe('UNAUTHENTICATED');
    for (const token of [first.accessToken, second.accessToken]) {
      const res = await h.gql(VIEWER, {}, token);
      expect(res.status).toBe(401);
      expect(res.errors![0]).toMatchObject({
        message: 'Access token has been revoked',
        extensions: { code: 'UNAUTHENTICATED' },
      });
      await expect(otherSubgraph.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    const { rows } = await h.db.query('SELECT revoked_reason FROM auth.session WHERE id = $1', [sessionId]);
    expect(rows[0].revoked_reason).toBe('refresh_reuse');
    const audit = await h.db.query(`SELECT type FROM auth.audit_event WHERE subject_id = $1 ORDER BY id`, [sessionId]);
    expect(audit.rows.map((r) => r.type)).toEqual(['LOGIN_SUCCEEDED', 'TOKEN_REFRESHED', 'REFRESH_TOKEN_REUSED']);
  });

  it('counts logins and refreshes in /metrics, labelled by outcome only', async () => {
    const text = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(text).toMatch(/phub_auth_logins_total\{[^}]*outcome="succeeded"[^}]*\} [1-9]/);
    expect(text).toMatch(/phub_auth_logins_total\{[^}]*outcome="failed"[^}]*\} [1-9]/);
    expect(text).toMatch(/phub_auth_token_refreshes_total\{[^}]*outcome="reused"[^}]*\} 1/);
    expect(text).not.toMatch(/demo\.test/);
  });

  it('refuses refresh tokens it never issued', async () => {
    const res = await h.gql(REFRESH, { t: 'rt_made-up' });
    expect(outcome(res)).toBe('UNAUTHENTICATED');
    expect(res.errors![0]!.message).toMatch(/not valid/);
  });

  it('logs out one session for every subgraph, and everywhere on request', async () => {
    const a = await h.login('manager@demo.test');
    const b = await h.login('manager@demo.test');
    expect(await h.ok(`mutation { logout }`, {}, a.accessToken)).toEqual({ logout: true });
    await expect(otherSubgraph.verify(a.accessToken)).rejects.toThrow('Access token has been revoked');
    expect(outcome(await h.gql(REFRESH, { t: a.refreshToken }))).toBe('UNAUTHENTICATED');
    await expect(otherSubgraph.verify(b.accessToken)).resolves.toMatchObject({ kind: 'user' });

    const c = await h.login('manager@demo.test');
    await h.ok(`mutation { logout(everywhere: true) }`, {}, c.accessToken);
    for (const t of [b, c]) {
      await expect(otherSubgraph.verify(t.accessToken)).rejects.toThrow('revoked');
      expect(outcome(await h.gql(REFRESH, { t: t.refreshToken }))).toBe('UNAUTHENTICATED');
    }
  });

  describe('tokens the auth subgraph refuses over HTTP', () => {
    const CASES: [string, () => Promise<string>, RegExp][] = [
      ['expired', () => forgeWithServiceKey(h, {}, { expiresAt: Math.floor(h.clock.now() / 1000) - 60 }), /expired/],
      [
        'tampered (roles raised)',
        async () => {
          const token = (await h.login('staff@demo.test')).accessToken;
          const [header, payload, signature] = token.split('.') as [string, string, string];
          const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
          claims.roles = [Role.HQ_ADMIN];
          return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
        },
        /signature is invalid/,
      ],
      [
        'signed with a wrong key under the real kid',
        async () => {
          const { privateKey } = await generateKeyPair('EdDSA');
          const real = (await h.db.query(`SELECT kid FROM auth.signing_key WHERE status = 'ACTIVE'`)).rows[0].kid;
          return new SignJWT({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN], stores: [] })
            .setProtectedHeader({ alg: 'EdDSA', kid: real, typ: 'at+jwt' })
            .setIssuer(h.env.AUTH_ISSUER)
            .setAudience(h.env.AUTH_AUDIENCE)
            .setSubject(randomUUID())
            .setJti(randomUUID())
            .setIssuedAt()
            .setExpirationTime('5m')
            .sign(privateKey);
        },
        /signature is invalid/,
      ],
      [
        'signed with a key of its own (unknown kid)',
        async () => {
          const { privateKey, publicKey } = await generateKeyPair('ES256');
          const jwk = await exportJWK(publicKey);
          return new SignJWT({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN], stores: [] })
            .setProtectedHeader({ alg: 'ES256', kid: 'attacker', typ: 'at+jwt', jwk })
            .setIssuer(h.env.AUTH_ISSUER)
            .setAudience(h.env.AUTH_AUDIENCE)
            .setSubject(randomUUID())
            .setJti(randomUUID())
            .setIssuedAt()
            .setExpirationTime('5m')
            .sign(privateKey);
        },
        /unknown key/,
      ],
      [
        'unsigned (alg: none)',
        async () =>
          new UnsecuredJWT({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN], stores: [], jti: randomUUID() })
            .setIssuer(h.env.AUTH_ISSUER)
            .setAudience(h.env.AUTH_AUDIENCE)
            .setSubject(randomUUID())
            .setIssuedAt()
            .setExpirationTime('5m')
            .encode(),
        /algorithm is not allowed/,
      ],
      [
        'revoked',
        async () => {
          const t = await h.login('staff@demo.test');
          await h.ok(`mutation { logout }`, {}, t.accessToken);
          return t.accessToken;
        },
        /revoked/,
      ],
      ['not a token at all', async () => 'hello', /malformed/],
    ];

    it.each(CASES)('%s → 401 UNAUTHENTICATED', async (_name, make, message) => {
      const token = await make();
      for (const query of [VIEWER, `mutation { requestPairingCode { code } }`]) {
        // Even operations open to anonymous callers refuse a bad token rather than ignore it.
        const res = await h.gql(query, {}, token);
        expect(res.status).toBe(401);
        expect(res.data ?? null).toBeNull();
        expect(res.errors![0]!.extensions?.code).toBe('UNAUTHENTICATED');
        expect(res.errors![0]!.message).toMatch(message);
      }
      await expect(otherSubgraph.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    });

    it('accepts a token the service key signed, as a control', async () => {
      const token = await forgeWithServiceKey(h, { sub: 'someone' });
      expect(await h.ok<{ viewer: { subject: string } }>(`{ viewer { subject } }`, {}, token)).toEqual({
        viewer: { subject: 'someone' },
      });
    });
  });

  it('ends a session whose person was deactivated, at the next refresh at the latest', async () => {
    const admin = (await h.login('hq@demo.test')).accessToken;
    const p = await h.person(admin, [Role.HQ_VIEWER]);
    await h.ok(`mutation($id: ID!) { deactivateUser(id: $id) { status } }`, { id: p.id }, admin);
    await expect(otherSubgraph.verify(p.accessToken)).rejects.toThrow('revoked');
    expect(outcome(await h.gql(REFRESH, { t: p.refreshToken }))).toBe('UNAUTHENTICATED');
    const again = await h.gql(LOGIN, { e: p.email, p: p.password });
    expect(again.errors![0]!.message).toMatch(/deactivated/);
  });

  it('refuses refresh tokens past the session lifetime', async () => {
    const t = await h.login('editor@demo.test');
    h.clock.advance(h.env.AUTH_REFRESH_TOKEN_TTL + 1);
    const res = await h.gql(REFRESH, { t: t.refreshToken });
    expect(outcome(res)).toBe('UNAUTHENTICATED');
    expect(res.errors![0]!.message).toMatch(/expired/);
  });
});

describe('login rate limits', () => {
  let limited: AuthHarness;
  beforeAll(async () => {
    limited = await startAuth({
      env: {
        AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
        AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT_TOTAL: '5',
        AUTH_LOGIN_MAX_ATTEMPTS_PER_IP: '6',
        AUTH_LOGIN_WINDOW: '900',
      },
    });
  });
  afterAll(() => limited?.stop());

  const attempt = (email: string, password: string, ip: string) =>
    limited.gql(LOGIN, { e: email, p: password }, { headers: { 'x-forwarded-for': ip } });

  it('locks an account from the address that keeps failing, with a clear message; the owner elsewhere still signs in', async () => {
    for (let i = 0; i < 3; i++) {
      expect(outcome(await attempt('editor@demo.test', 'wrong password', '10.0.0.1'))).toBe('UNAUTHENTICATED');
    }
    const locked = await attempt('editor@demo.test', DEMO_PASSWORD, '10.0.0.1');
    expect(outcome(locked)).toBe('RATE_LIMITED');
    expect(locked.errors![0]!.message).toBe(
      'Too many failed sign-in attempts for this account; try again in 15 minutes',
    );
    expect(locked.errors![0]!.extensions).toMatchObject({ retryAfterSeconds: 900 });
    // The real owner, from another address, is not locked out by a stranger's guesses.
    expect(outcome(await attempt('editor@demo.test', DEMO_PASSWORD, '10.0.0.99'))).toBe('OK');
    // Other accounts from the guessing address are not affected either.
    expect(outcome(await attempt('hq@demo.test', DEMO_PASSWORD, '10.0.0.1'))).toBe('OK');
    // The counters live in Redis with the window as their expiry.
    const keys = await limited.redis.keys(`${limited.cachePrefix}ratelimit:login_account:*`);
    expect(keys).toHaveLength(1);
    expect(await limited.redis.ttl(keys[0]!)).toBeGreaterThan(890);
    const audit = await limited.db.query(
      `SELECT type, client_ip FROM auth.audit_event WHERE type LIKE 'LOGIN_%' ORDER BY id`,
    );
    expect(audit.rows.map((r) => r.type)).toEqual([
      'LOGIN_FAILED',
      'LOGIN_FAILED',
      'LOGIN_FAILED',
      'LOGIN_RATE_LIMITED',
      'LOGIN_SUCCEEDED',
      'LOGIN_SUCCEEDED',
    ]);
    expect(audit.rows[0].client_ip).toBe('10.0.0.1');
  });

  it('stops guessing spread over many addresses at the per-account ceiling', async () => {
    const email = 'hq@demo.test';
    for (let i = 0; i < 5; i++) {
      expect(outcome(await attempt(email, 'wrong password', `10.3.0.${i + 1}`))).toBe('UNAUTHENTICATED');
    }
    expect(outcome(await attempt(email, DEMO_PASSWORD, '10.3.1.1'))).toBe('RATE_LIMITED');
  });

  it('a successful login clears the failure count', async () => {
    for (let i = 0; i < 2; i++) await attempt('manager@demo.test', 'wrong password', '10.1.0.1');
    expect(outcome(await attempt('manager@demo.test', DEMO_PASSWORD, '10.1.0.1'))).toBe('OK');
    for (let i = 0; i < 2; i++) await attempt('manager@demo.test', 'wrong password', '10.1.0.1');
    expect(outcome(await attempt('manager@demo.test', DEMO_PASSWORD, '10.1.0.1'))).toBe('OK');
  });

  it('limits attempts per network address across accounts', async () => {
    const accounts = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `${x}@nowhere.test`);
    for (const email of accounts) expect(outcome(await attempt(email, 'x', '10.2.0.1'))).toBe('UNAUTHENTICATED');
    const blocked = await attempt('staff@demo.test', DEMO_PASSWORD, '10.2.0.1');
    expect(outcome(blocked)).toBe('RATE_LIMITED');
    expect(blocked.errors![0]!.message).toMatch(/Too many sign-in attempts from your network address/);
    expect(outcome(await attempt('staff@demo.test', DEMO_PASSWORD, '10.2.0.2'))).toBe('OK');
  });
});

describe(PasswordHasher.name, () => {
  it('verifies with the parameters stored in the hash, and asks for a rehash when the cost changed', async () => {
    const strong = new PasswordHasher(32_768);
    const hash = await strong.hash('correct horse battery staple');
    expect(hash.startsWith('scrypt$32768$8$1$')).toBe(true);
    const cheaper = new PasswordHasher(1024);
    await expect(cheaper.verify('correct horse battery staple', hash)).resolves.toBe(true);
    await expect(cheaper.verify('correct horse battery stapler', hash)).resolves.toBe(false);
    await expect(cheaper.verify('anything', null)).resolves.toBe(false);
    await expect(cheaper.verify('anything', 'md5$abc')).resolves.toBe(false);
    expect(cheaper.needsRehash(hash)).toBe(true);
    expect(strong.needsRehash(hash)).toBe(false);
  });
});

describe('maintenance', () => {
  it('deletes sessions and pairing codes a week after they ended, and nothing younger', async () => {
    await h.service.runMaintenance(); // whatever earlier tests (and their clock moves) left behind
    const ended = await h.login('editor@demo.test');
    await h.ok('mutation { logout }', {}, ended.accessToken);
    const live = await h.login('editor@demo.test');
    await h.ok('mutation { requestPairingCode { code } }');
    const count = async () => {
      const sessions = await h.db.query('SELECT count(*)::int AS n FROM auth.session WHERE revoked_at IS NOT NULL');
      return sessions.rows[0].n as number;
    };
    const revokedBefore = await count();
    expect(revokedBefore).toBeGreaterThan(0);
    expect((await h.service.runMaintenance()).sessionsPurged).toBe(0);
    h.clock.advance(8 * 24 * 60 * 60);
    const report = await h.service.runMaintenance();
    expect(report.sessionsPurged).toBeGreaterThanOrEqual(revokedBefore);
    expect(report.pairingCodesPurged).toBeGreaterThan(0);
    expect(await count()).toBe(0);
    // Sessions still within their lifetime stay, refresh tokens and all.
    const refreshed = await h.gql(REFRESH, { t: live.refreshToken });
    expect(outcome(refreshed)).toBe('OK');
  });
});
