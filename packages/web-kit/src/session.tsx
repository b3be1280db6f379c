import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { useClient, type CombinedError } from 'urql';
import { graphql } from './gql';
import { isAuthError } from './client';
import { SessionError } from './cookie-session';

export { SessionError };
import type { TokenStore } from './token-store';

export type Role =
  'HQ_ADMIN' | 'HQ_EDITOR' | 'HQ_VIEWER' | 'STORE_MANAGER' | 'STORE_STAFF' | 'PARTNER' | 'DEVICE' | 'KIOSK';

export const HQ_ROLES: readonly Role[] = ['HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER'];

export const ROLE_LABELS: Record<Role, string> = {
  HQ_ADMIN: 'HQ admin',
  HQ_EDITOR: 'HQ editor',
  HQ_VIEWER: 'HQ viewer',
  STORE_MANAGER: 'Store manager',
  STORE_STAFF: 'Store staff',
  PARTNER: 'Partner',
  DEVICE: 'Device',
  KIOSK: 'Kiosk tablet',
};

export interface Viewer {
  userId: string;
  email: string;
  displayName: string;
  tenantId: string;
  roles: Role[];
  /** Stores the store roles apply to; empty for HQ roles */
  storeIds: string[];
}

export interface Session {
  viewer: Viewer | null;
  /** True until the session has been looked for at start-up (the cookie renewed, the viewer read) */
  loading: boolean;
  /** True while the platform cannot be reached to renew the session: it is kept, and retried */
  unreachable: boolean;
  /** Rejects with a SessionError with the platform's code (shown by ErrorNotice) */
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** Looks for the session again now (after "the platform cannot be reached") */
  retry(): Promise<void>;
  hasRole(...roles: Role[]): boolean;
}

const ViewerQuery = graphql(`
  query SessionViewer {
    viewer {
      kind
      subject
      tenantId
      roles
      storeIds
    }
    me {
      id
      email
      displayName
    }
  }
`);

const SessionContext = createContext<Session | null>(null);

/** How often a session the platform could not renew is tried again. */
const RETRY_MS = 5_000;

export function SessionProvider({ children, store }: { children: ReactNode; store: TokenStore }) {
  const client = useClient();
  const renewer = store.renewer;
  if (!renewer) throw new Error('SessionProvider needs a token store made by createTokenStore(renewer)');
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [loading, setLoading] = useState(() => renewer.maybeSignedIn());
  const unreachable = useSyncExternalStore(store.subscribe, store.isUnreachable);

  const loadViewer = useCallback(async (): Promise<Viewer | CombinedError> => {
    const result = await client.query(ViewerQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    if (result.error || !result.data) return result.error!;
    const { viewer: v, me } = result.data;
    return {
      userId: me.id,
      // Always set for the person themself; nullable in the schema because others may not read it.
      email: me.email ?? '',
      displayName: me.displayName,
      tenantId: v.tenantId,
      roles: v.roles as Role[],
      storeIds: v.storeIds,
    };
  }, [client]);

  /** Who the current tokens belong to; an outage keeps the session (and says so), a refusal ends it. */
  const identify = useCallback(async () => {
    const v = await loadViewer();
    if ('userId' in v) {
      setViewer(v);
      store.setUnreachable(false);
    } else if (isAuthError(v)) store.clear();
    else store.setUnreachable(true);
  }, [loadViewer, store]);

  // The cookie of a session of this app (another tab's, or this tab's before a reload): renew it and learn who it is.
  const resume = useCallback(async () => {
    const renewal = await renewer.renew();
    if ('tokens' in renewal) {
      store.start(renewal.tokens);
      await identify();
    } else if ('ended' in renewal) {
      store.clear();
      store.setUnreachable(false);
    } else store.setUnreachable(true);
    setLoading(false);
  }, [identify, renewer, store]);

  useEffect(() => {
    if (renewer.maybeSignedIn()) void resume();
    // Once, at start-up: later sign-ins set the viewer themselves.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  /** New tokens for the session this tab already holds. */
  const renewInPlace = async () => {
    const renewal = await renewer.renew();
    if ('tokens' in renewal) {
      store.renew(renewal.tokens);
      store.setUnreachable(false);
    } else if ('ended' in renewal) store.clear();
  };

  // While unreachable, try again every few seconds: the session (or its absence) is known as soon as it answers.
  useEffect(() => {
    if (!unreachable) return;
    const id = setInterval(() => void (store.get() && viewer ? renewInPlace() : resume()), RETRY_MS);
    return () => clearInterval(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [unreachable, viewer]);

  // The auth exchange ends the session when a refresh is refused; follow it.
  useEffect(
    () =>
      store.subscribe(() => {
        if (!store.get()) setViewer(null);
      }),
    [store],
  );

  // One sign-in serves every tab: follow the others signing in or out.
  useEffect(
    () =>
      renewer.onOtherTab((event) => {
        if (event === 'signed-out') store.clear();
        else if (!store.get()) void resume();
      }),
    [renewer, resume, store],
  );

  const signIn = useCallback(
    async (email: string, password: string) => {
      store.start(await renewer.signIn(email, password));
      store.setUnreachable(false);
      const v = await loadViewer();
      if (!('userId' in v)) {
        store.clear();
        throw v;
      }
      setViewer(v);
    },
    [loadViewer, renewer, store],
  );

  const signOut = useCallback(async () => {
    await renewer.signOut();
    setViewer(null);
    store.clear();
  }, [renewer, store]);

  const retry = useCallback(() => (store.get() && viewer ? identify() : resume()), [identify, resume, store, viewer]);

  const hasRole = useCallback((...roles: Role[]) => !!viewer && roles.some((r) => viewer.roles.includes(r)), [viewer]);

  const value = useMemo<Session>(
    () => ({ viewer, loading, unreachable, signIn, signOut, retry, hasRole }),
    [viewer, loading, unreachable, signIn, signOut, retry, hasRole],
  );
  return (
    <SessionContext.Provider value={value}>
      {viewer && unreachable && (
        <p className="session-unreachable" role="status">
          Cannot reach the platform. You are still signed in; retrying…
        </p>
      )}
      {children}
    </SessionContext.Provider>
  );
}

/**
 * The signed-out session, for rendering the sign-in page outside the app (pre-rendered into index.html at build
 * time, so the page shows before any script runs; the app replaces it when it starts).
 */
export function SignedOutSession({ children }: { children: ReactNode }) {
  const value: Session = {
    viewer: null,
    loading: false,
    unreachable: false,
    signIn: () => Promise.reject(new SessionError('UNAVAILABLE', 'The page is still loading')),
    signOut: () => Promise.resolve(),
    retry: () => Promise.resolve(),
    hasRole: () => false,
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() needs a <SessionProvider> above it');
  return session;
}
