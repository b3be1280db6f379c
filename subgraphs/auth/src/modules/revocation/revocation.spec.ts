import { DEMO_FIRST_STORE_ID, DEMO_TENANT_ID, DomainError, RedisCache, TokenVerifier } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { outcome, startAuth, type AuthHarness } from '../../testing/harness.js';
import { RevocationList } from './revocation.service.js';

const ME = '{ viewer { subject } }';

let h: AuthHarness;
/** A verifier as a subgraph in another process has one: remote JWKS, the shared cache. */
let elsewhere: TokenVerifier;

const codeOf = (err: unknown) => (err instanceof DomainError ? err.code : String(err));
const verifyElsewhere = (token: string) =>
  elsewhere.verify(token).then(
    () => 'OK',
    (err: unknown) => codeOf(err),
  );

beforeAll(async () => {
  h = await startAuth({ env: { AUTH_REVOCATION_CHECK_INTERVAL: '1' } });
  elsewhere = new TokenVerifier({
    issuer: h.env.AUTH_ISSUER,
    audience: h.env.AUTH_AUDIENCE,
    keys: h.service.jwksUrl,
    cache: new RedisCache(h.redis, h.cachePrefix),
  });
});
afterAll(() => h?.stop());

/** A logged-out person's token, a live one, and a revoked display player's token. */
async function revokeSome() {
  const admin = await h.login('hq@demo.test');
  const gone = await h.login('editor@demo.test');
  await h.ok('mutation { logout }', {}, gone.accessToken);
  const displayId = await h.publishDisplay({ tenantId: DEMO_TENANT_ID, storeId: DEMO_FIRST_STORE_ID });
  const device = await h.pairDevice(admin.accessToken, displayId);
  expect(outcome(await h.gql(ME, {}, device.accessToken))).toBe('OK');
  await h.ok('mutation($id: ID!) { revokeDevice(displayId: $id) }', { id: displayId }, admin.accessToken);
  return { live: admin.accessToken, loggedOut: gone.accessToken, device: device.accessToken };
}

describe(RevocationList.name, () => {
  it('keeps refusing logged-out and revoked-device tokens after the cache is flushed', async () => {
    const tokens = await revokeSome();
    const rows = await h.db.query<{ kind: string; reason: string }>('SELECT kind, reason FROM auth.revocation');
    expect(rows.rows).toEqual(
      expect.arrayContaining([
        { kind: 'jti', reason: 'logout' },
        { kind: 'sid', reason: 'logout' },
        { kind: 'sid', reason: 'device_revoked' },
      ]),
    );

    await h.flushCache();
    // Until auth has refilled the cache, a verifier elsewhere cannot tell revoked from live: it refuses.
    expect(await verifyElsewhere(tokens.loggedOut)).toBe('UNAVAILABLE');
    // Auth's own verifier reloads from Postgres on the spot.
    expect(outcome(await h.gql(ME, {}, tokens.loggedOut))).toBe('UNAUTHENTICATED');
    expect(outcome(await h.gql(ME, {}, tokens.device))).toBe('UNAUTHENTICATED');
    expect(outcome(await h.gql(ME, {}, tokens.live))).toBe('OK');
    expect(await verifyElsewhere(tokens.loggedOut)).toBe('UNAUTHENTICATED');
    expect(await verifyElsewhere(tokens.device)).toBe('UNAUTHENTICATED');
    expect(await verifyElsewhere(tokens.live)).toBe('OK');

    // With nobody calling auth, its periodic check refills a flushed cache too.
    await h.flushCache();
    await vi.waitFor(async () => expect(await verifyElsewhere(tokens.device)).toBe('UNAUTHENTICATED'), {
      timeout: 5_000,
      interval: 100,
    });
    expect(await verifyElsewhere(tokens.live)).toBe('OK');
  });

  it('keeps revocations across a restart of auth on the same database, with an emptied cache', async () => {
    const tokens = await revokeSome();
    await h.flushCache();
    await h.restart();
    expect(await verifyElsewhere(tokens.loggedOut)).toBe('UNAUTHENTICATED');
    expect(await verifyElsewhere(tokens.device)).toBe('UNAUTHENTICATED');
    expect(outcome(await h.gql(ME, {}, tokens.device))).toBe('UNAUTHENTICATED');
    expect(outcome(await h.gql(ME, {}, tokens.live))).toBe('OK');
  });

  it('purges revocations once no token they could stop is alive', async () => {
    await revokeSome();
    const count = async () => Number((await h.db.query('SELECT count(*) FROM auth.revocation')).rows[0].count);
    expect(await count()).toBeGreaterThan(0);
    expect((await h.service.runMaintenance()).revocationsPurged).toBe(0);
    h.clock.advance(2 * 60 * 60);
    expect((await h.service.runMaintenance()).revocationsPurged).toBeGreaterThan(0);
    expect(await count()).toBe(0);
  });
});
