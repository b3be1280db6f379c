import { describe, expect, it } from 'vitest';
import { graphql } from './gql';
import { createGraphQLClient } from './client';
import { createCookieSession, type SessionRenewer } from './cookie-session';
import { TokenStore } from './token-store';

const MeQuery = graphql(`
  query CookieSessionSpecMe {
    me {
      id
    }
  }
`);

const FUTURE = '2099-01-01T00:00:00Z';
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Answers the session endpoints with the given status (or fails the connection), recording what was asked. */
function endpoints(answer: () => Response | Error) {
  const asked: { url: string; init: RequestInit }[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    asked.push({ url: String(input), init: init! });
    const a = answer();
    if (a instanceof Error) throw a;
    return a;
  };
  return { asked, fetchFn };
}

const session = (fetchFn: typeof fetch) =>
  createCookieSession('hq', {
    base: 'https://phub.test/hq/campaigns',
    fetch: fetchFn,
    locks: null,
    channel: null,
    hints: null,
  });

describe(createCookieSession.name, () => {
  it('renews with the cookie: a JSON POST to the app’s refresh path, credentials included, tokens kept in memory', async () => {
    const e = endpoints(() => json({ accessToken: 'a2', expiresAt: FUTURE }));
    expect(await session(e.fetchFn).renew()).toEqual({ tokens: { accessToken: 'a2', expiresAt: FUTURE } });
    expect(e.asked[0]!.url).toBe('https://phub.test/auth/session/hq/refresh');
    expect(e.asked[0]!.init).toMatchObject({ method: 'POST', credentials: 'include' });
    expect(new Headers(e.asked[0]!.init.headers).get('content-type')).toBe('application/json');
  });

  it('ends the session only when the platform refuses it; an outage or a failed connection is "unreachable"', async () => {
    const outcomes = [];
    for (const answer of [
      () => json({ error: { code: 'UNAUTHENTICATED', message: 'No session' } }, 401),
      () => json({ error: 'temporarily_unavailable' }, 503),
      () => new Response('bad gateway', { status: 502 }),
      () => new TypeError('fetch failed'),
    ]) {
      outcomes.push(await session(endpoints(answer).fetchFn).renew());
    }
    expect(outcomes).toEqual([{ ended: true }, { unreachable: true }, { unreachable: true }, { unreachable: true }]);
  });

  it('signs in, and a refusal or outage rejects with a stable code', async () => {
    const ok = endpoints(() => json({ accessToken: 'a1', expiresAt: FUTURE }));
    await expect(session(ok.fetchFn).signIn('e@x.test', 'pw')).resolves.toEqual({
      accessToken: 'a1',
      expiresAt: FUTURE,
    });
    expect(JSON.parse(String(ok.asked[0]!.init.body))).toEqual({ email: 'e@x.test', password: 'pw' });
    const wrong = endpoints(() =>
      json({ error: { code: 'UNAUTHENTICATED', message: 'Email or password is incorrect' } }, 401),
    );
    await expect(session(wrong.fetchFn).signIn('e@x.test', 'x')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const down = endpoints(() => new TypeError('fetch failed'));
    await expect(session(down.fetchFn).signIn('e@x.test', 'x')).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });
});

describe('the signed-in hint', () => {
  it('is set by a sign-in and cleared by a refused renewal and a sign-out, so signed-out visitors skip the round trip', async () => {
    const data = new Map<string, string>();
    const hints = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    };
    let status = 200;
    const e = endpoints(() =>
      status === 200
        ? json({ accessToken: 'a', expiresAt: FUTURE })
        : json({ error: { code: 'UNAUTHENTICATED' } }, 401),
    );
    const s = createCookieSession('retail', {
      base: 'https://phub.test/',
      fetch: e.fetchFn,
      locks: null,
      channel: null,
      hints,
    });
    expect(s.maybeSignedIn()).toBe(false);
    await s.signIn('e@x.test', 'pw');
    expect(s.maybeSignedIn()).toBe(true);
    status = 401;
    await s.renew();
    expect(s.maybeSignedIn()).toBe(false);
    status = 200;
    await s.signIn('e@x.test', 'pw');
    await s.signOut();
    expect(s.maybeSignedIn()).toBe(false);
    expect(e.asked.map((a) => new URL(a.url).pathname)).toEqual([
      '/auth/session/retail',
      '/auth/session/retail/refresh',
      '/auth/session/retail',
      '/auth/session/retail/logout',
    ]);
  });
});

describe('the graph client with a cookie session', () => {
  const refusingGraph: typeof fetch = async () =>
    json({ data: null, errors: [{ message: 'token expired', extensions: { code: 'UNAUTHENTICATED' } }] });

  const storeWith = (renewer: SessionRenewer) => {
    const store = new TokenStore(null, undefined, renewer);
    store.start({ accessToken: 'stale', expiresAt: FUTURE });
    return store;
  };

  it('keeps the session when the platform cannot be reached to renew it, and says so', async () => {
    const store = storeWith(session(endpoints(() => new TypeError('fetch failed')).fetchFn));
    const { client } = createGraphQLClient(store, 'https://phub.test/graphql', refusingGraph);
    await client.query(MeQuery, {}).toPromise();
    expect(store.get()?.accessToken).toBe('stale');
    expect(store.isUnreachable()).toBe(true);
  });

  it('ends the session when the cookie is refused', async () => {
    const store = storeWith(session(endpoints(() => json({ error: { code: 'UNAUTHENTICATED' } }, 401)).fetchFn));
    const { client } = createGraphQLClient(store, 'https://phub.test/graphql', refusingGraph);
    await client.query(MeQuery, {}).toPromise();
    expect(store.get()).toBeNull();
  });
});
