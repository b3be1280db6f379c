import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, login, type GraphQLResult } from '@phub/e2e';
import { codeOf, dataOf, demoStores, direct, pollUntil, SplitPlatform } from './harness.js';

const PLAYLIST = `query ($d: ID!) { displayPlaylist(displayId: $d) { version } }`;
const DISPLAY = `query ($d: ID!) { display(id: $d) { id } }`;

/** Pairs a player with `displayId` as its store manager would; returns the device's access token. */
async function pairDevice(gateway: string, manager: string, displayId: string): Promise<string> {
  const { requestPairingCode: pairing } = dataOf(
    await graphql<{ requestPairingCode: { code: string; secret: string } }>(
      gateway,
      `
        mutation {
          requestPairingCode {
            code
            secret
          }
        }
      `,
    ),
    'requestPairingCode',
  );
  dataOf(
    await graphql(
      gateway,
      `
        mutation ($code: String!, $d: ID!) {
          claimPairingCode(code: $code, displayId: $d) {
            __typename
          }
        }
      `,
      { code: pairing.code, d: displayId },
      manager,
    ),
    'claimPairingCode',
  );
  const polled = dataOf(
    await graphql<{ pollPairing: { credential: { accessToken: string } | null } }>(
      gateway,
      `
        mutation ($code: String!, $secret: String!) {
          pollPairing(code: $code, secret: $secret) {
            credential {
              accessToken
            }
          }
        }
      `,
      pairing,
    ),
    'pollPairing',
  );
  return polled.pollPairing.credential!.accessToken;
}

/**
 * Redis restarted empty (kill -9, no persistence): the revocation list lives in auth's Postgres, so a
 * logged-out token and a revoked device's token stay refused at the gateway and at every subgraph port, while
 * fresh sign-ins work.
 */
describe('Redis restart', () => {
  let platform: SplitPlatform;

  beforeAll(async () => {
    // auth refills the list quickly once the cache lost it (the default is every 5 s).
    platform = await SplitPlatform.start({ envOf: { identity: { AUTH_REVOCATION_CHECK_INTERVAL: '1' } } });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('accepts no revoked token or device afterwards, and fresh sign-ins work', async () => {
    const gateway = platform.gateway;
    const campaign = platform.subgraph('campaign');
    const location = platform.subgraph('location');
    const hq = await login(gateway, 'hq@demo.test');
    const manager = await login(gateway, 'manager@demo.test');
    const store = (await demoStores(gateway, hq)).find((s) => s.name === 'London Oxford Street')!;
    const displayId = store.displays[0]!.id;

    // Where a token is checked: the gateway, a subgraph in auth's process, and one in a process of its own.
    const calls = (token: string): Promise<GraphQLResult<Record<string, unknown>>>[] => [
      graphql(gateway, PLAYLIST, { d: displayId }, token),
      direct(campaign, PLAYLIST, { d: displayId }, token),
      direct(location, DISPLAY, { d: displayId }, token),
    ];
    const accepted = (res: GraphQLResult<Record<string, unknown>>) =>
      !res.errors?.length && !!(res.data?.displayPlaylist ?? res.data?.display);

    const loggedOut = await login(gateway, 'editor@demo.test');
    expect((await Promise.all(calls(loggedOut))).map(accepted)).toEqual([true, true, true]);
    dataOf(
      await graphql(
        gateway,
        `
          mutation {
            logout
          }
        `,
        {},
        loggedOut,
      ),
      'logout',
    );
    const device = await pairDevice(gateway, manager, displayId);
    expect((await Promise.all(calls(device))).map(accepted)).toEqual([true, true, true]);
    const revoked = dataOf(
      await graphql<{ revokeDevice: number }>(
        gateway,
        `
          mutation ($d: ID!) {
            revokeDevice(displayId: $d)
          }
        `,
        { d: displayId },
        manager,
      ),
      'revokeDevice',
    );
    expect(revoked.revokeDevice).toBeGreaterThanOrEqual(1);
    for (const token of [loggedOut, device]) {
      expect((await Promise.all(calls(token))).map(codeOf)).toEqual([
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
        'UNAUTHENTICATED',
      ]);
    }

    await platform.redis.restart();
    const restartedAt = Date.now();

    // From the first moment on, every check of a revoked token refuses it (UNAVAILABLE while the list is
    // reloaded is a refusal too); done once a fresh sign-in works everywhere and the refusals are definite.
    const seen = new Set<string>();
    const leaks: string[] = [];
    let probes = 0;
    await pollUntil(
      'the platform to work again after the Redis restart',
      async () => {
        probes++;
        for (const token of [loggedOut, device]) {
          const results = await Promise.all(calls(token));
          if (results.some(accepted)) leaks.push(JSON.stringify(results));
          results.forEach((r) => seen.add(codeOf(r) ?? 'none'));
        }
        const fresh = await login(gateway, 'editor@demo.test').catch(() => undefined);
        if (!fresh) return undefined;
        const freshOk = (await Promise.all(calls(fresh))).every(accepted);
        const refusals = [
          ...(await Promise.all(calls(loggedOut))).map(codeOf),
          ...(await Promise.all(calls(device))).map(codeOf),
        ];
        return (freshOk && refusals.every((c) => c === 'UNAUTHENTICATED')) || undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    console.warn(
      `working again ${Date.now() - restartedAt} ms after the Redis restart; ${probes} probes, revoked tokens answered ${[...seen].join(', ')}`,
    );
    expect(leaks).toEqual([]);
    expect([...seen].every((c) => c === 'UNAUTHENTICATED' || c === 'UNAVAILABLE')).toBe(true);
    // A token nobody revoked, issued before the restart, works again.
    expect((await Promise.all(calls(hq))).map(accepted)).toEqual([true, true, true]);
  }, 180_000);
});
