import { authExchange } from '@urql/exchange-auth';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import {
  Client,
  Provider,
  cacheExchange,
  fetchExchange,
  subscriptionExchange,
  type CombinedError,
  type Operation,
} from 'urql';
import { graphql } from './gql';
import { graphqlUrl, graphqlWsUrl } from './config';
import type { TokenStore } from './token-store';

export const RefreshTokenMutation = graphql(`
  mutation RefreshToken($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) {
      accessToken
      refreshToken
      expiresAt
    }
  }
`);

/** Operations sent without the session's token: sign-in and the refresh itself. */
export const PUBLIC_CONTEXT = { skipAuth: true } as const;

const isPublic = (op: Operation) => (op.context as { skipAuth?: boolean }).skipAuth === true;

export function isAuthError(error: CombinedError): boolean {
  return (
    error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED') ||
    (error.response as Response | undefined)?.status === 401
  );
}

export interface GraphQLClientHandle {
  client: Client;
  /** Closes the subscription socket (reopened lazily by the next subscription). */
  dispose(): void;
}

/**
 * The urql client: document cache, auth (the bearer token; an expired or refused token is refreshed once for
 * every operation waiting on it, by the auth exchange's queue), HTTP for queries and mutations, graphql-ws for
 * subscriptions on the same path.
 */
export function createGraphQLClient(
  store: TokenStore,
  url: string = graphqlUrl(),
  fetchFn?: typeof fetch,
): GraphQLClientHandle {
  let ws: WsClient | undefined;
  const socket = () =>
    (ws ??= createWsClient({
      url: graphqlWsUrl(url),
      lazy: true,
      keepAlive: 15_000,
      retryAttempts: 20,
      shouldRetry: () => true,
      // Read at every (re)connect, so a refreshed token is used from then on.
      connectionParams: () => {
        const t = store.get();
        return t ? { authorization: `Bearer ${t.accessToken}` } : {};
      },
    }));

  const client = new Client({
    url,
    ...(fetchFn ? { fetch: fetchFn } : {}),
    requestPolicy: 'cache-and-network',
    // POST with a JSON body always: the graph refuses header-less GETs as possible CSRF.
    preferGetMethod: false,
    exchanges: [
      cacheExchange,
      authExchange(async (utils) => ({
        addAuthToOperation(operation) {
          const t = store.get();
          if (!t || isPublic(operation)) return operation;
          return utils.appendHeaders(operation, { Authorization: `Bearer ${t.accessToken}` });
        },
        willAuthError(operation) {
          return !isPublic(operation) && store.expiresSoon();
        },
        didAuthError(error, operation) {
          return !isPublic(operation) && !!store.get() && isAuthError(error);
        },
        async refreshAuth() {
          const t = store.get();
          if (!t) return;
          if (store.renewer) {
            const renewal = await store.renewer.renew();
            if ('tokens' in renewal) {
              store.renew(renewal.tokens);
              store.setUnreachable(false);
            } else if ('ended' in renewal) store.clear();
            // An outage is not a sign-out: the session is kept and the operation fails as unreachable.
            else store.setUnreachable(true);
            return;
          }
          if (!t.refreshToken) return store.clear();
          const result = await utils.mutate(RefreshTokenMutation, { refreshToken: t.refreshToken }, PUBLIC_CONTEXT);
          const next = result.data?.refreshToken;
          // A refresh token works once: on any failure the session is over and the app shows the sign-in page.
          if (next) store.renew(next);
          else store.clear();
        },
      })),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              const unsubscribe = socket().subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });

  return {
    client,
    dispose() {
      void ws?.dispose();
      ws = undefined;
    },
  };
}

/** Provides the urql client to the app; a new one (empty cache, new socket) after every sign-out. */
export function GraphQLProvider({ children, store }: { children: ReactNode; store: TokenStore }) {
  const epoch = useSyncExternalStore(store.subscribe, store.getEpoch);
  const handle = useMemo(() => createGraphQLClient(store, graphqlUrl()), [store, epoch]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => () => handle.dispose(), [handle]);
  return <Provider value={handle.client}>{children}</Provider>;
}
