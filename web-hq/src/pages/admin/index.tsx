import type { ReactElement } from 'react';
import { NavLink, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useSession, type Role } from '@phub/web-kit';
import { Empty, ErrorNotice, Page } from '../../ui';
import { AemSourcesPage } from './AemSourcesPage';
import { SOURCE_READERS } from './aem-sources';
import { ApiClientsPage } from './ApiClientsPage';
import { AuditPage } from './AuditPage';
import { NotificationsPage } from './NotificationsPage';
import { UsersPage } from './UsersPage';
import './admin.css';

const ADMINS: readonly Role[] = ['HQ_ADMIN'];

// Each section says who sees it, as the graph does: AEM sources are readable by every HQ role.
const SECTIONS: readonly {
  path: string;
  label: string;
  title: string;
  element: ReactElement;
  roles: readonly Role[];
}[] = [
  { path: 'users', label: 'Users', title: 'Users', element: <UsersPage />, roles: ADMINS },
  { path: 'api-clients', label: 'API clients', title: 'API clients', element: <ApiClientsPage />, roles: ADMINS },
  { path: 'audit', label: 'Audit log', title: 'Audit log', element: <AuditPage />, roles: ADMINS },
  {
    path: 'notifications',
    label: 'Alert notifications',
    title: 'Alert notifications',
    element: <NotificationsPage />,
    roles: ADMINS,
  },
  {
    path: 'aem-sources',
    label: 'AEM sources',
    title: 'AEM sources',
    element: <AemSourcesPage />,
    roles: SOURCE_READERS,
  },
];

/**
 * Mounted at /admin/*: for HQ admins users, partners' API clients, the audit log and who hears about alerts; for
 * every HQ role the AEM sources (read only but for admins).
 */
export function AdminRoutes() {
  const { hasRole } = useSession();
  const { pathname } = useLocation();
  const sections = SECTIONS.filter((s) => hasRole(...s.roles));
  if (!sections.length) {
    return (
      <Page title="Administration">
        <ErrorNotice error={Object.assign(new Error('Administration is for HQ admins.'), { code: 'FORBIDDEN' })} />
      </Page>
    );
  }
  const current = sections.find((s) => pathname.split('/').includes(s.path));
  return (
    <Page title={current ? `Administration: ${current.title}` : 'Administration'}>
      <nav aria-label="Administration" className="admin-nav">
        <ul>
          {sections.map((s) => (
            <li key={s.path}>
              <NavLink
                to={`/admin/${s.path}`}
                className={({ isActive }) => (isActive ? 'admin-nav-link active' : 'admin-nav-link')}
              >
                {s.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<Navigate to={sections[0]!.path} replace />} />
        {sections.map((s) => (
          <Route key={s.path} path={s.path} element={s.element} />
        ))}
        <Route path="*" element={<Empty title="There is nothing at this address in the administration." />} />
      </Routes>
    </Page>
  );
}
