import { randomUUID } from 'node:crypto';
import { DEMO_FIRST_STORE_ID, DEMO_TENANT_ID, RedisCache, Role, TokenVerifier, type DeliveredMessage } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthTopic } from '../../events.js';
import { PAIRING_ALPHABET } from '../../security/secrets.js';
import { outcome, startAuth, type AuthHarness } from '../../testing/harness.js';
import { PairingService } from './pairing.service.js';

let h: AuthHarness;
let subgraph: TokenVerifier;
let hq: string;
let manager: string;
let staff: string;
const deviceEvents: DeliveredMessage[] = [];

const REQUEST = 'mutation { requestPairingCode { code secret expiresAt pollIntervalSeconds } }';
const CLAIM = `mutation($c: String!, $d: ID!) { claimPairingCode(code: $c, displayId: $d) { code status displayId claimedAt expiresAt } }`;
const POLL = `mutation($c: String!, $s: String!) {
  pollPairing(code: $c, secret: $s) { status credential { displayId accessToken refreshToken expiresAt refreshTokenExpiresAt } }
}`;
const REFRESH =
  'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken displayId user { id } } }';
const REVOKE = 'mutation($d: ID!) { revokeDevice(displayId: $d) }';

interface Poll {
  pollPairing: {
    status: string;
    credential: null | { displayId: string; accessToken: string; refreshToken: string };
  };
}

const request = async () =>
  (
    await h.ok<{
      requestPairingCode: { code: string; secret: string; expiresAt: string; pollIntervalSeconds: number };
    }>(REQUEST)
  ).requestPairingCode;
const firstStoreDisplay = () => h.publishDisplay({ tenantId: DEMO_TENANT_ID, storeId: DEMO_FIRST_STORE_ID });

beforeAll(async () => {
  h = await startAuth();
  subgraph = new TokenVerifier({
    issuer: h.env.AUTH_ISSUER,
    audience: h.env.AUTH_AUDIENCE,
    keys: h.service.jwksUrl,
    cache: new RedisCache(h.redis, h.cachePrefix),
  });
  hq = (await h.login('hq@demo.test')).accessToken;
  manager = (await h.login('manager@demo.test')).accessToken;
  staff = (await h.login('staff@demo.test')).accessToken;
  await h.infra.bus.subscribe({
    groupId: 'pairing-spec',
    topics: [AuthTopic.device],
    fromBeginning: true,
    handler: async (m) => {
      deviceEvents.push(m);
    },
  });
});
afterAll(() => h?.stop());

describe(PairingService.name, () => {
  it('pairs a player: code shown, claimed by store staff, credential bound to that display collected once', async () => {
    const display = await firstStoreDisplay();
    const pairing = await request();
    expect(pairing.code).toMatch(new RegExp(`^[${PAIRING_ALPHABET}]{6}$`));
    expect(pairing.code).not.toMatch(/[01OIL]/);
    expect(new Date(pairing.expiresAt).getTime() - h.clock.now()).toBeGreaterThan(595_000);
    expect(pairing.pollIntervalSeconds).toBe(5);

    expect(await h.ok<Poll>(POLL, { c: pairing.code, s: pairing.secret })).toEqual({
      pollPairing: { status: 'PENDING', credential: null },
    });

    // People type codes loosely.
    const typed = `${pairing.code.slice(0, 3).toLowerCase()}-${pairing.code.slice(3)}`;
    const { claimPairingCode } = await h.ok<{ claimPairingCode: Record<string, unknown> }>(
      CLAIM,
      { c: typed, d: display },
      staff,
    );
    expect(claimPairingCode).toMatchObject({ code: pairing.code, status: 'CLAIMED', displayId: display });

    const { pollPairing } = await h.ok<Poll>(POLL, { c: pairing.code, s: pairing.secret });
    expect(pollPairing.status).toBe('COMPLETED');
    const credential = pollPairing.credential!;
    expect(credential.displayId).toBe(display);

    const viewer = await subgraph.verify(credential.accessToken);
    expect(viewer).toMatchObject({
      kind: 'device',
      subject: display,
      displayId: display,
      tenantId: DEMO_TENANT_ID,
      roles: [Role.DEVICE],
      storeIds: [DEMO_FIRST_STORE_ID],
      scopes: [],
    });
    const overHttp = await h.ok<{ viewer: { displayId: string; kind: string } }>(
      '{ viewer { kind displayId } }',
      {},
      credential.accessToken,
    );
    expect(overHttp.viewer).toEqual({ kind: 'device', displayId: display });

    // Delivered once: the secret alone cannot mint a second credential.
    expect(await h.ok<Poll>(POLL, { c: pairing.code, s: pairing.secret })).toEqual({
      pollPairing: { status: 'COMPLETED', credential: null },
    });

    // The player refreshes like anyone else and stays bound to its display.
    const { refreshToken } = await h.ok<{ refreshToken: { accessToken: string; displayId: string; user: null } }>(
      REFRESH,
      {
        t: credential.refreshToken,
      },
    );
    expect(refreshToken).toMatchObject({ displayId: display, user: null });
    expect((await subgraph.verify(refreshToken.accessToken)).displayId).toBe(display);

    const audit = await h.db.query(
      `SELECT type, tenant_id FROM auth.audit_event WHERE type IN ('PAIRING_CLAIMED', 'DEVICE_PAIRED') AND subject_id IN ($1, $2) ORDER BY id`,
      [display, viewer.sessionId],
    );
    expect(audit.rows).toEqual([
      { type: 'PAIRING_CLAIMED', tenant_id: DEMO_TENANT_ID },
      { type: 'DEVICE_PAIRED', tenant_id: DEMO_TENANT_ID },
    ]);
    await vi.waitFor(() =>
      expect(deviceEvents.map((e) => [e.key, (e.value as { type: string }).type])).toContainEqual([
        display,
        'DevicePaired',
      ]),
    );
  });

  it('pairs a kiosk tablet: its credential carries KIOSK alone, also after a refresh, and the claim is audited', async () => {
    const display = await firstStoreDisplay();
    const pairing = await request();
    const { claimPairingCode } = await h.ok<{ claimPairingCode: { kind: string; status: string } }>(
      `mutation($c: String!, $d: ID!) { claimPairingCode(code: $c, displayId: $d, kind: KIOSK) { status kind } }`,
      { c: pairing.code, d: display },
      manager,
    );
    expect(claimPairingCode).toEqual({ status: 'CLAIMED', kind: 'KIOSK' });
    const credential = (await h.ok<Poll>(POLL, { c: pairing.code, s: pairing.secret })).pollPairing.credential!;
    const viewer = await subgraph.verify(credential.accessToken);
    expect(viewer).toMatchObject({
      kind: 'device',
      roles: [Role.KIOSK],
      displayId: display,
      storeIds: [DEMO_FIRST_STORE_ID],
    });
    const { refreshToken } = await h.ok<{ refreshToken: { accessToken: string } }>(REFRESH, {
      t: credential.refreshToken,
    });
    expect((await subgraph.verify(refreshToken.accessToken)).roles).toEqual([Role.KIOSK]);
    const audit = await h.db.query(
      `SELECT details->>'kind' AS kind FROM auth.audit_event WHERE type = 'PAIRING_CLAIMED' AND subject_id = $1`,
      [display],
    );
    expect(audit.rows).toEqual([{ kind: 'KIOSK' }]);
    // A kiosk is no person: it cannot claim codes or read users.
    const claim = await h.gql(CLAIM, { c: (await request()).code, d: display }, refreshToken.accessToken);
    expect(claim.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets HQ editors pair any display of the tenant', async () => {
    const editor = (await h.login('editor@demo.test')).accessToken;
    const display = await h.publishDisplay({ tenantId: DEMO_TENANT_ID, storeId: randomUUID() });
    const pairing = await request();
    expect(outcome(await h.gql(CLAIM, { c: pairing.code, d: display }, editor))).toBe('OK');
  });

  it.each([
    ['a display of another tenant, by an HQ admin', () => hq, { tenantId: randomUUID(), storeId: randomUUID() }],
    [
      'a display of another tenant, by a store manager',
      () => manager,
      { tenantId: randomUUID(), storeId: DEMO_FIRST_STORE_ID },
    ],
    ['a display of another store, by store staff', () => staff, { tenantId: DEMO_TENANT_ID, storeId: randomUUID() }],
    [
      'a display of another store, by a store manager',
      () => manager,
      { tenantId: DEMO_TENANT_ID, storeId: randomUUID() },
    ],
  ])('refuses to claim %s with FORBIDDEN, leaving the code usable', async (_name, token, where) => {
    const display = await h.publishDisplay(where);
    const pairing = await request();
    const res = await h.gql(CLAIM, { c: pairing.code, d: display }, token());
    expect(outcome(res)).toBe('FORBIDDEN');
    expect(res.errors![0]!.message).toBe(`Display ${display} is not in your tenant or your stores`);
    expect((await h.ok<Poll>(POLL, { c: pairing.code, s: pairing.secret })).pollPairing.status).toBe('PENDING');
    const ownDisplay = await firstStoreDisplay();
    expect(outcome(await h.gql(CLAIM, { c: pairing.code, d: ownDisplay }, staff))).toBe('OK');
  });

  it('answers NOT_FOUND for a display it has not heard of and CONFLICT for an archived one', async () => {
    const pairing = await request();
    expect(outcome(await h.gql(CLAIM, { c: pairing.code, d: randomUUID() }, hq))).toBe('NOT_FOUND');
    const display = await firstStoreDisplay();
    await h.publishDisplay({ id: display, tenantId: DEMO_TENANT_ID, storeId: DEMO_FIRST_STORE_ID, archived: true });
    expect(outcome(await h.gql(CLAIM, { c: pairing.code, d: display }, hq))).toBe('CONFLICT');
  });

  it('answers NOT_FOUND for a code nobody is showing, and UNAUTHENTICATED to a poll with the wrong secret', async () => {
    const display = await firstStoreDisplay();
    expect(outcome(await h.gql(CLAIM, { c: 'ZZZZZ2', d: display }, hq))).toBe('NOT_FOUND');
    const pairing = await request();
    const res = await h.gql(POLL, { c: pairing.code, s: 'pps_guess' });
    expect(outcome(res)).toBe('UNAUTHENTICATED');
  });

  it('revokes a player from the graph: its tokens stop at once and it cannot refresh', async () => {
    const display = await firstStoreDisplay();
    const credential = await h.pairDevice(staff, display);
    await subgraph.verify(credential.accessToken);
    expect(await h.ok(REVOKE, { d: display }, manager)).toEqual({ revokeDevice: 1 });
    await expect(subgraph.verify(credential.accessToken)).rejects.toThrow('revoked');
    expect(outcome(await h.gql(REFRESH, { t: credential.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(await h.ok(REVOKE, { d: display }, manager)).toEqual({ revokeDevice: 0 });
    await vi.waitFor(() =>
      expect(deviceEvents.map((e) => [e.key, (e.value as { type: string }).type])).toContainEqual([
        display,
        'DeviceRevoked',
      ]),
    );
  });

  it('keeps store managers to their stores when revoking', async () => {
    const display = await h.publishDisplay({ tenantId: DEMO_TENANT_ID, storeId: randomUUID() });
    await h.pairDevice(hq, display);
    expect(outcome(await h.gql(REVOKE, { d: display }, manager))).toBe('FORBIDDEN');
  });

  it('pairing a new player to a display retires the old one', async () => {
    const display = await firstStoreDisplay();
    const first = await h.pairDevice(staff, display);
    const second = await h.pairDevice(staff, display);
    await expect(subgraph.verify(first.accessToken)).rejects.toThrow('revoked');
    await expect(subgraph.verify(second.accessToken)).resolves.toMatchObject({ displayId: display });
  });

  it('revokes the player when location archives its display', async () => {
    const display = await firstStoreDisplay();
    const credential = await h.pairDevice(staff, display);
    await h.publishDisplay({ id: display, tenantId: DEMO_TENANT_ID, storeId: DEMO_FIRST_STORE_ID, archived: true });
    await expect(subgraph.verify(credential.accessToken)).rejects.toThrow('revoked');
    const res = await h.gql(REFRESH, { t: credential.refreshToken });
    expect(outcome(res)).toBe('UNAUTHENTICATED');
  });

  it('limits how many wrong codes one person can try', async () => {
    const display = await firstStoreDisplay();
    const guesser = await h.person(hq, [Role.STORE_STAFF], [DEMO_FIRST_STORE_ID]);
    for (let i = 0; i < 10; i++) {
      expect(outcome(await h.gql(CLAIM, { c: 'QQQQQQ', d: display }, guesser.accessToken))).toBe('NOT_FOUND');
    }
    const pairing = await request();
    const res = await h.gql(CLAIM, { c: pairing.code, d: display }, guesser.accessToken);
    expect(outcome(res)).toBe('RATE_LIMITED');
    expect(res.errors![0]!.message).toMatch(/Too many pairing codes that did not match/);
  });

  it('expires codes nobody claimed, and claimed codes the player never collected', async () => {
    const display = await firstStoreDisplay();
    const unclaimed = await request();
    const claimed = await request();
    await h.ok(CLAIM, { c: claimed.code, d: display }, hq);
    h.clock.advance(h.env.AUTH_PAIRING_CODE_TTL + 1);
    expect(outcome(await h.gql(CLAIM, { c: unclaimed.code, d: display }, hq))).toBe('NOT_FOUND');
    for (const p of [unclaimed, claimed]) {
      expect(await h.ok<Poll>(POLL, { c: p.code, s: p.secret })).toEqual({
        pollPairing: { status: 'EXPIRED', credential: null },
      });
    }
  });
});
