import { Empty, ErrorNotice, Loading, useSession } from '@phub/web-kit';
import { useEffect } from 'react';
import { Link, Navigate, NavLink, Route, Routes, useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { can } from '../lib/capabilities';
import { BookingsPage } from '../pages/bookings';
import { DeskPage } from '../pages/desk';
import { HomePage } from '../pages/home';
import { PairPage } from '../pages/pair';
import { PlaybackPage } from '../pages/playback';
import { StoreDataPage } from '../pages/store/store-data';

const RetailStores = graphql(`
  query RetailStores {
    stores(first: 100) {
      edges {
        node {
          id
          name
          code
          address {
            city
          }
        }
      }
    }
  }
`);

export function StoreRoutes() {
  return (
    <Routes>
      <Route index element={<StorePicker />} />
      <Route path="s/:storeId/*" element={<StoreShell />} />
      <Route path="*" element={<Navigate to="/" replace />} />
    </Routes>
  );
}

/** Where a person lands: straight into their one store, or a choice when they have several. */
function StorePicker() {
  const [result, reexecute] = useQuery({ query: RetailStores });
  const stores = result.data?.stores.edges.map((e) => e.node) ?? [];
  useEffect(() => {
    document.title = 'Choose a store — Personalisation Hub Store';
  }, []);
  if (result.data && stores.length === 1) return <Navigate to={`/s/${stores[0]!.id}`} replace />;
  return (
    <div className="app">
      <TopBar title="Choose a store" />
      <main id="main" className="content">
        <h1 id="page-title">Choose a store</h1>
        {result.error ? (
          <ErrorNotice error={result.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        ) : !result.data ? (
          <Loading />
        ) : stores.length === 0 ? (
          <Empty title="You have no store">Ask an HQ administrator to give you a store role.</Empty>
        ) : (
          <ul className="store-list">
            {stores.map((s) => (
              <li key={s.id}>
                <Link to={`/s/${s.id}`} className="card card--link">
                  <strong>{s.name}</strong>
                  <span className="muted">
                    {s.code}
                    {s.address?.city ? ` · ${s.address.city}` : ''}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </main>
    </div>
  );
}

const RetailStoreName = graphql(`
  query RetailStoreName($id: ID!) {
    store(id: $id) {
      id
      name
    }
  }
`);

function StoreShell() {
  const { storeId = '' } = useParams();
  const { viewer } = useSession();
  const [result] = useQuery({ query: RetailStoreName, variables: { id: storeId } });
  const name = result.data?.store?.name;
  const tabs = [
    // Absolute: relative links inside a splat route resolve against the splat (the current tab), not the store.
    { to: `/s/${storeId}`, label: 'Home', end: true, show: true },
    { to: `/s/${storeId}/playback`, label: 'Playback', end: false, show: true },
    { to: `/s/${storeId}/queue`, label: 'Queue', end: false, show: true },
    { to: `/s/${storeId}/bookings`, label: 'Bookings', end: false, show: true },
    { to: `/s/${storeId}/store`, label: 'Store', end: false, show: true },
    { to: `/s/${storeId}/pair`, label: 'Pair', end: false, show: can(viewer, 'pairDisplay', storeId) },
  ].filter((t) => t.show);
  if (result.data && !result.data.store) {
    return (
      <div className="app">
        <TopBar title="Store" />
        <main id="main" className="content">
          <h1 id="page-title">Store not found</h1>
          <Empty title="No store has this id, or it is not yours.">
            <Link to="/">Choose a store</Link>
          </Empty>
        </main>
      </div>
    );
  }
  return (
    <div className="app">
      <TopBar title={name ?? 'Store'} />
      <nav aria-label="Main" className="tabs-nav">
        {tabs.map((t) => (
          <NavLink key={t.to} to={t.to} end={t.end} className="tab-link">
            {t.label}
          </NavLink>
        ))}
      </nav>
      <main id="main" className="content">
        <Routes>
          <Route index element={<HomePage storeId={storeId} storeName={name} />} />
          <Route path="playback" element={<PlaybackPage storeId={storeId} />} />
          <Route path="queue" element={<DeskPage storeId={storeId} />} />
          <Route path="bookings" element={<BookingsPage storeId={storeId} />} />
          <Route path="store" element={<StoreDataPage storeId={storeId} />} />
          <Route path="pair" element={<PairPage storeId={storeId} />} />
          <Route path="*" element={<Navigate to={`/s/${storeId}`} replace />} />
        </Routes>
      </main>
    </div>
  );
}

function TopBar({ title }: { title: string }) {
  const { viewer, signOut } = useSession();
  const several = (viewer?.storeIds.length ?? 0) !== 1;
  return (
    <header className="topbar">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <span className="brand-mark" aria-hidden="true">
        ◧
      </span>
      <span className="topbar-title">{title}</span>
      {several ? (
        <Link to="/" className="topbar-link">
          Stores
        </Link>
      ) : null}
      <button
        type="button"
        className="topbar-link"
        onClick={() => void signOut()}
        title={viewer ? `Signed in as ${viewer.email}` : undefined}
      >
        Sign out
      </button>
    </header>
  );
}
