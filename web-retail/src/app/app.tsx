import {
  basenameFrom,
  createCookieSession,
  createTokenStore,
  GraphQLProvider,
  Loading,
  SessionProvider,
  SignInPage,
  useSession,
} from '@phub/web-kit';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { KioskApp } from '../pages/kiosk/kiosk-app';
import { VisitorApp } from '../pages/visitor/visitor-app';
import { StoreRoutes } from './store-routes';

// The store-app session (a cookie for every tab), kept apart from the HQ dashboard's on the same origin.
const tokenStore = createTokenStore(createCookieSession('retail'));

function StaffApp() {
  const { viewer, loading } = useSession();
  if (loading) {
    return (
      <main id="main" className="centered">
        <Loading label="Checking your session…" />
      </main>
    );
  }
  if (!viewer) return <SignInPage product="Store" />;
  return <StoreRoutes />;
}

export function App() {
  return (
    <BrowserRouter basename={basenameFrom(import.meta.env.BASE_URL, window.location.href)}>
      <GraphQLProvider store={tokenStore}>
        <Routes>
          {/* The visitor's pages: no account, no session. */}
          <Route path="v/*" element={<VisitorApp />} />
          {/* The store tablet kiosk: its own device credential (role KIOSK), no person's session. */}
          <Route path="kiosk/*" element={<KioskApp />} />
          <Route
            path="*"
            element={
              <SessionProvider store={tokenStore}>
                <StaffApp />
              </SessionProvider>
            }
          />
        </Routes>
      </GraphQLProvider>
    </BrowserRouter>
  );
}
