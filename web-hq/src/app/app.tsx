import { BrowserRouter } from 'react-router-dom';
import { GraphQLProvider } from '../lib/client';
import { SessionProvider, useSession } from '../lib/session';
import { Loading, Toaster } from '../ui';
import { Layout } from './layout';
import { basenameFrom } from './nav';
import { AppRoutes } from './routes';
import { SignInPage } from './sign-in';

function Shell() {
  const { viewer, loading } = useSession();
  if (loading) {
    return (
      <main id="main" className="centered">
        <Loading label="Checking your session…" />
      </main>
    );
  }
  if (!viewer) return <SignInPage />;
  return (
    <Layout>
      <AppRoutes />
    </Layout>
  );
}

export function App() {
  return (
    <BrowserRouter basename={basenameFrom(import.meta.env.BASE_URL, window.location.href)}>
      <GraphQLProvider>
        <SessionProvider>
          <Toaster>
            <Shell />
          </Toaster>
        </SessionProvider>
      </GraphQLProvider>
    </BrowserRouter>
  );
}
