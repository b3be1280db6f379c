import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useSession, type Role } from '@phub/web-kit';
import { CampaignEditorPage } from '../pages/campaigns/campaign-editor';
import { CampaignListPage } from '../pages/campaigns/campaign-list';
import { CampaignSummaryPage, ReviewInboxPage } from '../pages/campaigns/campaign-review';
import { PreviewPage } from '../pages/preview/preview-page';
import { Empty, ErrorNotice, Loading, Page } from '../ui';
import { rolesFor, SEARCH_ROLES } from './nav';

// The other sections load on first visit (reports bring the charting library): one line each.
const FleetRoutes = lazy(() => import('../pages/fleet').then((m) => ({ default: m.FleetRoutes })));
const ReportsRoutes = lazy(() => import('../pages/reports').then((m) => ({ default: m.ReportsRoutes })));
const LibraryPage = lazy(() => import('../pages/library').then((m) => ({ default: m.LibraryPage })));
const LayoutsPage = lazy(() => import('../pages/layouts').then((m) => ({ default: m.LayoutsPage })));
const SearchPage = lazy(() => import('../pages/search/search-page').then((m) => ({ default: m.SearchPage })));
const LocationsRoutes = lazy(() => import('../pages/locations').then((m) => ({ default: m.LocationsRoutes })));
const AdminRoutes = lazy(() => import('../pages/admin').then((m) => ({ default: m.AdminRoutes })));

/** Renders children only for these roles; others get a FORBIDDEN notice (the graph would refuse them anyway). */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { hasRole } = useSession();
  if (hasRole(...roles)) return <>{children}</>;
  const error = Object.assign(new Error('Your role does not give access to this page.'), { code: 'FORBIDDEN' });
  return (
    <Page title="Not allowed">
      <ErrorNotice error={error} />
    </Page>
  );
}

function NotFound() {
  return (
    <Page title="Page not found">
      <Empty title="There is nothing at this address.">Use the navigation to find your way.</Empty>
    </Page>
  );
}

export function AppRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/" element={<Navigate to="/campaigns" replace />} />
        <Route path="/campaigns" element={<CampaignListPage />} />
        <Route path="/campaigns/new" element={<CampaignEditorPage />} />
        <Route path="/campaigns/:id" element={<CampaignEditorPage />} />
        <Route path="/campaigns/:id/summary" element={<CampaignSummaryPage />} />
        <Route
          path="/reviews"
          element={
            <RequireRole roles={rolesFor('/reviews')}>
              <ReviewInboxPage />
            </RequireRole>
          }
        />
        <Route path="/library" element={<LibraryPage />} />
        <Route path="/preview" element={<PreviewPage />} />
        <Route
          path="/layouts"
          element={
            <RequireRole roles={rolesFor('/layouts')}>
              <LayoutsPage />
            </RequireRole>
          }
        />
        <Route
          path="/search"
          element={
            <RequireRole roles={SEARCH_ROLES}>
              <SearchPage />
            </RequireRole>
          }
        />
        <Route path="/fleet/*" element={<FleetRoutes />} />
        <Route
          path="/locations/*"
          element={
            <RequireRole roles={rolesFor('/locations')}>
              <LocationsRoutes />
            </RequireRole>
          }
        />
        <Route
          path="/reports/*"
          element={
            <RequireRole roles={rolesFor('/reports')}>
              <ReportsRoutes />
            </RequireRole>
          }
        />
        <Route
          path="/admin/*"
          element={
            <RequireRole roles={rolesFor('/admin')}>
              <AdminRoutes />
            </RequireRole>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
}
