import { Route, Routes } from 'react-router-dom';
import { useSession } from '@phub/web-kit';
import { Empty, ErrorNotice, Page } from '../../ui';
import { CampaignReport } from './CampaignReport';
import { ReportsHome } from './ReportsHome';
import './reports.css';

/** Roles the playback subgraph lets read reports (REPORT_READERS, people only). */
const READERS = ['HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER', 'STORE_MANAGER'] as const;

/** Mounted at /reports/*: every campaign's totals, and one report per campaign. */
export function ReportsRoutes() {
  const { hasRole } = useSession();
  if (!hasRole(...READERS)) {
    return (
      <Page title="Reports">
        <ErrorNotice
          error={Object.assign(new Error('Reports are for HQ and store managers.'), { code: 'FORBIDDEN' })}
        />
      </Page>
    );
  }
  return (
    <Routes>
      <Route index element={<ReportsHome />} />
      <Route path="campaigns/:campaignId" element={<CampaignReport />} />
      <Route
        path="*"
        element={
          <Page title="Page not found">
            <Empty title="There is nothing at this address in the reports." />
          </Page>
        }
      />
    </Routes>
  );
}
