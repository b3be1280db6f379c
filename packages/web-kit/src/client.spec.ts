import { describe, expect, it } from 'vitest';
import { graphql } from './gql';
import { createGraphQLClient } from './client';
import { TokenStore } from './token-store';

const MeQuery = graphql(`
  query ClientSpecMe {
    me {
      id
    }
  }
`);

const ViewerQuery = graphql(`
  query ClientSpecViewer {
    viewer {
      subject
    }
  }
`);

function memory() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

const FUTURE = '2099-01-01T00:00:00Z';

/** A stand-in graph: accepts only `valid` as bearer token; refreshToken swaps `r1` for new tokens (once). */
function fakeGraph(opts: { refreshWorks: boolean }) {
  const calls = { refresh: 0, authorised: 0, refused: 0, refreshAuthHeaders: [] as (string | null)[] };
  let refreshTokenUsed = false;
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetchFn: typeof fetch = async (_input, init) => {
    const headers = new Headers(init?.headers);
    const body = JSON.parse(String(init?.body)) as { query: string; variables: Record<string, unknown> };
    await new Promise((r) => setTimeout(r, 5));
    if (body.query.includes('refreshToken(')) {
      calls.refresh++;
      calls.refreshAuthHeaders.push(headers.get('authorization'));
      if (!opts.refreshWorks || refreshTokenUsed || body.variables.refreshToken !== 'r1')
        return json({
          data: null,
          errors: [{ message: 'refresh token refused', extensions: { code: 'UNAUTHENTICATED' } }],
        });
      refreshTokenUsed = true;
      return json({ data: { refreshToken: { accessToken: 'valid', refreshToken: 'r2', expiresAt: FUTURE } } });
    }
    if (headers.get('authorization') !== 'Bearer valid') {
      calls.refused++;
      return json({ data: null, errors: [{ message: 'token expired', extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    calls.authorised++;
    return json({
      data: body.query.includes('ClientSpecMe')
        ? { me: { __typename: 'User', id: 'u1' } }
        : { viewer: { __typename: 'Viewer', subject: 'u1' } },
    });
  };
  return { calls, fetchFn };
}

describe(createGraphQLClient.name, () => {
  it('refreshes once for concurrent operations refused as UNAUTHENTICATED, then retries them', async () => {
    const store = new TokenStore(memory());
    store.start({ accessToken: 'stale', refreshToken: 'r1', expiresAt: FUTURE });
    const graph = fakeGraph({ refreshWorks: true });
    const { client } = createGraphQLClient(store, 'http://graph.test/graphql', graph.fetchFn);

    const [me, viewer] = await Promise.all([
      client.query(MeQuery, {}).toPromise(),
      client.query(ViewerQuery, {}).toPromise(),
    ]);

    expect(me.error).toBeUndefined();
    expect(me.data?.me.id).toBe('u1');
    expect(viewer.data?.viewer.subject).toBe('u1');
    expect(graph.calls.refresh).toBe(1);
    expect(graph.calls.refreshAuthHeaders).toEqual([null]); // the refresh carries no (stale) bearer token
    expect(store.get()).toMatchObject({ accessToken: 'valid', refreshToken: 'r2' });
  });

  it('refreshes before sending when the token is about to expire', async () => {
    const store = new TokenStore(memory());
    store.start({ accessToken: 'stale', refreshToken: 'r1', expiresAt: new Date(Date.now() + 1000).toISOString() });
    const graph = fakeGraph({ refreshWorks: true });
    const { client } = createGraphQLClient(store, 'http://graph.test/graphql', graph.fetchFn);

    const me = await client.query(MeQuery, {}).toPromise();
    expect(me.data?.me.id).toBe('u1');
    expect(graph.calls).toMatchObject({ refresh: 1, refused: 0 });
  });

  it('ends the session when the refresh is refused', async () => {
    const store = new TokenStore(memory());
    store.start({ accessToken: 'stale', refreshToken: 'r1', expiresAt: FUTURE });
    const graph = fakeGraph({ refreshWorks: false });
    const { client } = createGraphQLClient(store, 'http://graph.test/graphql', graph.fetchFn);

    const me = await client.query(MeQuery, {}).toPromise();
    expect(me.error?.graphQLErrors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(graph.calls.refresh).toBe(1);
    expect(store.get()).toBeNull();
  });
});
