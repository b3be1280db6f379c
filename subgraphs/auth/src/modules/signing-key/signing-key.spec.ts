import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  Envelope,
  LocalMasterKey,
  MASTER_KEY_FILE,
  retiredMasterKeyFile,
  rotateLocalMasterKey,
  TokenVerifier,
  type SealedSecret,
} from '@phub/kit';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUserId } from '../../demo/demo-data.js';
import { createAuthService } from '../../index.js';
import { maxAccessTokenTtl } from '../../env.js';
import { openPrivateJwk, outcome, startAuth, type AuthHarness } from '../../testing/harness.js';
import { SigningKeyService } from './signing-key.service.js';

let h: AuthHarness;
let admin: string;

interface Jwks {
  keys: { kid: string; alg: string; kty: string; use: string; d?: string }[];
}
const jwks = async () => (await fetch(h.service.jwksUrl)).json() as Promise<Jwks>;
const kidOf = (token: string) => decodeProtectedHeader(token).kid!;
const KEYS = '{ signingKeys { kid status algorithm activatedAt retiredAt } }';
type KeyRow = { kid: string; status: string; algorithm: string };

beforeAll(async () => {
  h = await startAuth();
  admin = (await h.login('hq@demo.test')).accessToken;
});
afterAll(() => h?.stop());

describe(SigningKeyService.name, () => {
  it('publishes public keys only, the active one and the next one, at /.well-known/jwks.json', async () => {
    const res = await fetch(h.service.jwksUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const body = (await res.json()) as Jwks;
    expect(body.keys).toHaveLength(2);
    for (const key of body.keys) {
      expect(key).toMatchObject({ alg: 'EdDSA', kty: 'OKP', use: 'sig' });
      expect(key.d).toBeUndefined();
    }
    const { signingKeys } = await h.ok<{ signingKeys: KeyRow[] }>(KEYS, {}, admin);
    expect(signingKeys.map((k) => k.status).sort()).toEqual(['ACTIVE', 'PENDING']);
    expect(body.keys.map((k) => k.kid).sort()).toEqual(signingKeys.map((k) => k.kid).sort());
    expect(kidOf(admin)).toBe(signingKeys.find((k) => k.status === 'ACTIVE')!.kid);
  });

  it('rotates without logging anyone out: old tokens stay valid, new ones use the pre-published key', async () => {
    // A subgraph that fetched the JWKS before the rotation and will not refetch for a long while.
    const subgraph = new TokenVerifier({
      issuer: h.env.AUTH_ISSUER,
      audience: h.env.AUTH_AUDIENCE,
      keys: h.service.jwksUrl,
      // The cache auth shares with every subgraph (it holds the revocation list).
      cache: h.infra.cache,
      jwks: { cooldownMs: 3_600_000, cacheMaxAgeMs: 3_600_000 },
    });
    const before = await h.login('editor@demo.test');
    await subgraph.verify(before.accessToken);
    const { signingKeys: was } = await h.ok<{ signingKeys: KeyRow[] }>(KEYS, {}, admin);

    const { rotateSigningKey } = await h.ok<{ rotateSigningKey: KeyRow }>(
      'mutation { rotateSigningKey { kid status } }',
      {},
      admin,
    );
    expect(rotateSigningKey).toEqual({ kid: was.find((k) => k.status === 'PENDING')!.kid, status: 'ACTIVE' });

    const after = await h.login('editor@demo.test');
    expect(kidOf(after.accessToken)).toBe(rotateSigningKey.kid);
    expect(kidOf(before.accessToken)).not.toBe(rotateSigningKey.kid);
    for (const token of [before.accessToken, after.accessToken]) {
      await expect(subgraph.verify(token)).resolves.toMatchObject({ kind: 'user' });
      expect(await h.ok(`{ me { email } }`, {}, token)).toEqual({ me: { email: 'editor@demo.test' } });
    }
    // Refresh tokens of the old key's sessions keep working too.
    const refreshed = await h.ok<{ refreshToken: { accessToken: string } }>(
      'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }',
      { t: before.refreshToken },
    );
    expect(kidOf(refreshed.refreshToken.accessToken)).toBe(rotateSigningKey.kid);

    const { signingKeys: now } = await h.ok<{ signingKeys: KeyRow[] }>(KEYS, {}, admin);
    expect(now.map((k) => k.status).sort()).toEqual(['ACTIVE', 'PENDING', 'RETIRED']);
    expect((await jwks()).keys).toHaveLength(3);
    const audit = await h.db.query(
      `SELECT actor_id, subject_id, details FROM auth.audit_event WHERE type = 'SIGNING_KEY_ROTATED'`,
    );
    expect(audit.rows).toEqual([
      expect.objectContaining({ actor_id: demoUserId(1), subject_id: rotateSigningKey.kid }),
    ]);
    expect(audit.rows[0].details).toMatchObject({ trigger: 'manual', retiredKid: kidOf(before.accessToken) });
  });

  it('rotates on schedule once the active key is old enough, once across replicas', async () => {
    expect((await h.service.runMaintenance()).keyRotated).toBe(false);
    const old = await h.login('editor@demo.test');
    h.clock.advance(h.env.AUTH_KEY_ROTATION_INTERVAL + 1);
    const results = await Promise.all([h.service.runMaintenance(), h.service.runMaintenance()]);
    expect(results.map((r) => r.keyRotated).sort()).toEqual([false, true]);
    const fresh = await h.login('editor@demo.test');
    expect(kidOf(fresh.accessToken)).not.toBe(kidOf(old.accessToken));
    const { rows } = await h.db.query(
      `SELECT actor_type, details FROM auth.audit_event WHERE type = 'SIGNING_KEY_ROTATED' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({ actor_type: 'SYSTEM', details: { trigger: 'schedule' } });
  });

  it('drops retired keys from the JWKS once every token they signed has expired', async () => {
    const published = (await jwks()).keys.map((k) => k.kid);
    const { signingKeys } = await h.ok<{ signingKeys: KeyRow[] }>(
      KEYS,
      {},
      (await h.login('hq@demo.test')).accessToken,
    );
    const retired = signingKeys.filter((k) => k.status === 'RETIRED').map((k) => k.kid);
    expect(retired.length).toBeGreaterThan(0);
    expect(published).toEqual(expect.arrayContaining(retired));
    h.clock.advance(maxAccessTokenTtl(h.env) + 301);
    const t = await h.login('hq@demo.test');
    await h.ok('mutation { rotateSigningKey { kid } }', {}, t.accessToken);
    const remaining = (await h.db.query(`SELECT kid FROM auth.signing_key`)).rows.map((r) => r.kid as string);
    for (const kid of retired) expect(remaining).not.toContain(kid);
    h.clock.advance(31); // past the in-process JWKS cache
    const nowPublished = (await jwks()).keys.map((k) => k.kid);
    for (const kid of retired) expect(nowPublished).not.toContain(kid);
    expect(nowPublished).toHaveLength(3);
  });

  it('is shared by replicas: another instance on the same database verifies and signs with the same keys', async () => {
    const replica = createAuthService(h.infra, { port: 0, host: '127.0.0.1', env: h.env, clock: h.clock });
    await replica.start();
    try {
      const token = (await h.login('staff@demo.test')).accessToken;
      const res = await fetch(replica.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ me { email } }' }),
      });
      expect(await res.json()).toEqual({ data: { me: { email: 'staff@demo.test' } } });
      const replicaKeys = (await (await fetch(replica.jwksUrl)).json()) as Jwks;
      expect(replicaKeys.keys.map((k) => k.kid).sort()).toEqual((await jwks()).keys.map((k) => k.kid).sort());
    } finally {
      await replica.stop();
    }
  });

  // Anyone who could read the table (a backup, the embedded database) could mint an HQ_ADMIN token.
  it('keeps private keys encrypted at rest, and seals keys stored in plain text on start', async () => {
    const stored = async () =>
      (
        await h.db.query<{ kid: string; private_jwk: Record<string, unknown> }>(
          'SELECT kid, private_jwk FROM auth.signing_key',
        )
      ).rows;
    const before = await stored();
    expect(before.length).toBeGreaterThan(0);
    for (const row of before) {
      expect(row.private_jwk).toMatchObject({ v: 1, kek: expect.stringMatching(/^local:/) });
      expect(row.private_jwk).not.toHaveProperty('d');
      expect(JSON.stringify(row.private_jwk)).not.toContain((await openPrivateJwk(h, row.kid, row.private_jwk)).d);
    }
    // The state an older version left behind: private keys in plain text.
    for (const row of before) {
      await h.db.query('UPDATE auth.signing_key SET private_jwk = $2 WHERE kid = $1', [
        row.kid,
        await openPrivateJwk(h, row.kid, row.private_jwk),
      ]);
    }
    expect((await stored())[0]!.private_jwk).toHaveProperty('d');
    const issuedBefore = (await h.login('editor@demo.test')).accessToken;

    await h.restart();
    for (const row of await stored()) expect(row.private_jwk).not.toHaveProperty('d');
    // The same keys, so tokens from before still work and new ones are signed as before.
    expect(outcome(await h.gql('{ me { id } }', {}, issuedBefore))).toBe('OK');
    const issuedAfter = (await h.login('editor@demo.test')).accessToken;
    expect(kidOf(issuedAfter)).toBe(kidOf(issuedBefore));
    expect(outcome(await h.gql('{ me { id } }', {}, issuedAfter))).toBe('OK');
  });

  it('refuses to start with another master key than the one the keys were sealed with, saying which', async () => {
    const stranger = new Envelope(LocalMasterKey.loadOrCreate(mkdtempSync(path.join(tmpdir(), 'phub-other-key-'))));
    const replica = createAuthService(h.infra, {
      port: 0,
      host: '127.0.0.1',
      env: h.env,
      clock: h.clock,
      envelope: stranger,
    });
    try {
      await expect(replica.start()).rejects.toThrow(/encrypted with master key local:\w+ but local:\w+ is configured/);
    } finally {
      await replica.stop();
    }
  });

  it('rotates the master key without downtime: data keys re-wrapped, old and new tokens verify, the retired key can go', async () => {
    const dataDir = h.infra.env.DATA_DIR;
    const sealedRows = async () =>
      new Map(
        (
          await h.db.query<{ kid: string; private_jwk: SealedSecret }>('SELECT kid, private_jwk FROM auth.signing_key')
        ).rows.map((r) => [r.kid, r.private_jwk]),
      );
    const was = await sealedRows();
    const issuedBefore = (await h.login('editor@demo.test')).accessToken;

    const { retired, current } = rotateLocalMasterKey(dataDir);
    // The running process (old key in memory) goes on serving, and seals a new signing key meanwhile.
    expect(outcome(await h.gql('{ me { id } }', {}, issuedBefore))).toBe('OK');
    await h.ok('mutation { rotateSigningKey { kid } }', {}, (await h.login('hq@demo.test')).accessToken);
    expect([...(await sealedRows()).values()].every((k) => k.kek === retired)).toBe(true);

    // Restarted with the new master key: every data key re-wrapped on start, private keys' ciphertext unchanged.
    await h.restart();
    const now = await sealedRows();
    for (const sealed of now.values()) expect(sealed.kek).toBe(current);
    for (const [kid, before] of was) {
      const after = now.get(kid);
      if (!after) continue; // a retired signing key dropped by the rotation above
      expect(after).toMatchObject({ ct: before.ct, iv: before.iv, tag: before.tag });
      expect(after.edk).not.toBe(before.edk);
    }
    expect((await h.service.runMaintenance()).dataKeysRewrapped).toBe(0);

    // Only the new master key left: tokens from before verify, new ones sign and verify.
    rmSync(path.join(dataDir, retiredMasterKeyFile(retired)));
    expect(readdirSync(dataDir)).toEqual([MASTER_KEY_FILE]);
    await h.restart();
    expect(outcome(await h.gql('{ me { id } }', {}, issuedBefore))).toBe('OK');
    const issuedAfter = (await h.login('editor@demo.test')).accessToken;
    expect(outcome(await h.gql('{ me { id } }', {}, issuedAfter))).toBe('OK');
    for (const row of (await sealedRows()).entries()) {
      expect(JSON.stringify(row[1])).not.toContain((await openPrivateJwk(h, row[0], row[1])).d);
    }

    // A DATA_DIR without the master key (a fresh one is generated) still refuses to start, naming the key.
    const replica = createAuthService(
      { ...h.infra, env: { ...h.infra.env, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'phub-no-key-')) } },
      { port: 0, host: '127.0.0.1', env: h.env, clock: h.clock },
    );
    try {
      await expect(replica.start()).rejects.toThrow(new RegExp(`encrypted with master key ${current} but local:\\w+`));
    } finally {
      await replica.stop();
    }
  });
});
