import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Page, Tabs } from '../../ui';
import { CalendarTab } from './calendar-tab';
import { DisplaysTab } from './displays-tab';
import { GroupsTab } from './groups-tab';
import { StoresTab } from './stores-tab';
import { ZonesTab } from './zones-tab';
import './locations.css';

const TABS = [
  { id: 'stores', label: 'Stores' },
  { id: 'displays', label: 'Displays' },
  { id: 'zones', label: 'Zones' },
  { id: 'groups', label: 'Display groups' },
  { id: 'calendar', label: 'This week' },
];
const PANELS: Record<string, () => React.JSX.Element> = {
  stores: StoresTab,
  displays: DisplaysTab,
  zones: ZonesTab,
  groups: GroupsTab,
  calendar: CalendarTab,
};

function LocationsPage() {
  const navigate = useNavigate();
  const tab = useLocation().pathname.split('/').filter(Boolean).pop() ?? 'stores';
  const Panel = PANELS[tab];
  if (!Panel) return <Navigate to="stores" replace />;
  return (
    <Page
      title="Locations"
      description="Stores, their displays and zones, display groups across stores, and what plays where this week."
    >
      <div className="locations">
        <Tabs
          label="Locations"
          tabs={TABS}
          selected={tab}
          onSelect={(id) => navigate(`../${id}`, { relative: 'path' })}
        >
          <Panel />
        </Tabs>
      </div>
    </Page>
  );
}

/** Mounted at /locations/*: one tab per kind of thing, each at its own address. */
export function LocationsRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="stores" replace />} />
      <Route path=":tab" element={<LocationsPage />} />
    </Routes>
  );
}
