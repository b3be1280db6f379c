import { BrowserRouter } from 'react-router-dom';
import { createTokenStore, GraphQLProvider, SessionProvider, SignInPage, useSession } from '@phub/web-kit';
import { Loading, Toaster } from '../ui';
import { Layout } from './layout';
import { basenameFrom } from './nav';
import { AppRoutes } from './routes';

// This tab's HQ session, kept apart from the store app's on the same origin.
const tokenStore = createTokenStore('phub.hq.session');

function Shell() {
  const { viewer, loading } = useSession();
  if (loading) {
    return (
      <main id="main" className="centered">
        <Loading label="Checking your session…" />
      </main>
    );
  }
  if (!viewer) return <SignInPage product="HQ" />;
  return (
    <Layout>
      <AppRoutes />
    </Layout>
  );
}

export function App() {
  return (
    <BrowserRouter basename={basenameFrom(import.meta.env.BASE_URL, window.location.href)}>
      <GraphQLProvider store={tokenStore}>
        <SessionProvider store={tokenStore}>
          <Toaster>
            <Shell />
          </Toaster>
        </SessionProvider>
      </GraphQLProvider>
    </BrowserRouter>
  );
}
