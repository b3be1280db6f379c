import { lazy, Suspense, useEffect } from 'react';
import {
  createCookieSession,
  createTokenStore,
  GraphQLProvider,
  Loading,
  SessionProvider,
  SignInPage,
  useSession,
} from '@phub/web-kit';
// The toaster's own module, not the ui barrel: the sign-in chunk stays free of the router and the pages' parts.
import { Toaster } from '../ui/toast';

const loadSignedIn = () => import('./signed-in');
const SignedIn = lazy(loadSignedIn);

// The HQ session (a cookie for every tab), kept apart from the store app's on the same origin.
const tokenStore = createTokenStore(createCookieSession('hq'));

function Shell() {
  const { viewer, loading } = useSession();
  if (loading) {
    return (
      <main id="main" className="centered">
        <Loading label="Checking your session…" />
      </main>
    );
  }
  if (!viewer) return <SignInPreloading />;
  return (
    <Suspense
      fallback={
        <main id="main" className="centered">
          <Loading />
        </main>
      }
    >
      <SignedIn />
    </Suspense>
  );
}

/** The sign-in page first; the dashboard's code follows while the user types, so signing in does not wait for it. */
function SignInPreloading() {
  useEffect(() => {
    const id = setTimeout(() => void loadSignedIn().catch(() => undefined), 0);
    return () => clearTimeout(id);
  }, []);
  return <SignInPage product="HQ" />;
}

export function App() {
  return (
    <GraphQLProvider store={tokenStore}>
      <SessionProvider store={tokenStore}>
        <Toaster>
          <Shell />
        </Toaster>
      </SessionProvider>
    </GraphQLProvider>
  );
}
