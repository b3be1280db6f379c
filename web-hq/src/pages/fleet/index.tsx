import { Route, Routes } from 'react-router-dom';
import { Empty, Page } from '../../ui';
import { FleetPage } from './FleetPage';
import { StorePage } from './StorePage';
import './fleet.css';

/** Mounted at /fleet/*: the fleet list and one page per store. */
export function FleetRoutes() {
  return (
    <Routes>
      <Route index element={<FleetPage />} />
      <Route path="stores/:storeId" element={<StorePage />} />
      <Route
        path="*"
        element={
          <Page title="Page not found">
            <Empty title="There is nothing at this address in the fleet." />
          </Page>
        }
      />
    </Routes>
  );
}
