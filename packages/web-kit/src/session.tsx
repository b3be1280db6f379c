import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useClient, type CombinedError } from 'urql';
import { graphql } from './gql';
import { PUBLIC_CONTEXT } from './client';
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
  /** True until a stored session has been checked at start-up */
  loading: boolean;
  /** Rejects with the CombinedError of the sign-in (shown by ErrorNotice) */
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  hasRole(...roles: Role[]): boolean;
}

const LoginMutation = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      accessToken
      refreshToken
      expiresAt
    }
  }
`);

const LogoutMutation = graphql(`
  mutation Logout {
    logout
  }
`);

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

export class SessionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SessionError';
  }
}

export function SessionProvider({ children, store }: { children: ReactNode; store: TokenStore }) {
  const client = useClient();
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [loading, setLoading] = useState(() => !!store.get());

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

  // A session kept in this tab (a reload): check it and learn who it is.
  useEffect(() => {
    if (!store.get()) return;
    let cancelled = false;
    void loadViewer().then((v) => {
      if (cancelled) return;
      if ('userId' in v) setViewer(v);
      else store.clear();
      setLoading(false);
    });
    return () => {
      cancelled = true;
    };
    // Once, at start-up: later sign-ins set the viewer themselves.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // The auth exchange ends the session when a refresh fails; follow it.
  useEffect(
    () =>
      store.subscribe(() => {
        if (!store.get()) setViewer(null);
      }),
    [store],
  );

  const signIn = useCallback(
    async (email: string, password: string) => {
      const result = await client.mutation(LoginMutation, { email, password }, PUBLIC_CONTEXT).toPromise();
      if (result.error || !result.data) throw result.error ?? new SessionError('UNAUTHENTICATED', 'Sign-in failed');
      store.start(result.data.login);
      const v = await loadViewer();
      if (!('userId' in v)) {
        store.clear();
        throw v;
      }
      setViewer(v);
    },
    [client, loadViewer, store],
  );

  const signOut = useCallback(async () => {
    if (store.get()) await client.mutation(LogoutMutation, {}).toPromise();
    setViewer(null);
    store.clear();
  }, [client, store]);

  const hasRole = useCallback((...roles: Role[]) => !!viewer && roles.some((r) => viewer.roles.includes(r)), [viewer]);

  const value = useMemo<Session>(
    () => ({ viewer, loading, signIn, signOut, hasRole }),
    [viewer, loading, signIn, signOut, hasRole],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() needs a <SessionProvider> above it');
  return session;
}
