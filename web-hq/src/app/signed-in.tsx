import { BrowserRouter } from 'react-router-dom';
import { Layout } from './layout';
import { basenameFrom } from './nav';
import { AppRoutes } from './routes';

/** Everything past sign-in, in its own chunk: the sign-in page loads without the router and the dashboard's pages. */
export default function SignedIn() {
  return (
    <BrowserRouter basename={basenameFrom(import.meta.env.BASE_URL, window.location.href)}>
      <Layout>
        <AppRoutes />
      </Layout>
    </BrowserRouter>
  );
}
