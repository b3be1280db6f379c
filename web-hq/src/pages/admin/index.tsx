import { NavLink, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useSession } from '@phub/web-kit';
import { Empty, ErrorNotice, Page } from '../../ui';
import { ApiClientsPage } from './ApiClientsPage';
import { AuditPage } from './AuditPage';
import { NotificationsPage } from './NotificationsPage';
import { UsersPage } from './UsersPage';
import './admin.css';

const SECTIONS = [
  { path: 'users', label: 'Users', title: 'Users', element: <UsersPage /> },
  { path: 'api-clients', label: 'API clients', title: 'API clients', element: <ApiClientsPage /> },
  { path: 'audit', label: 'Audit log', title: 'Audit log', element: <AuditPage /> },
  {
    path: 'notifications',
    label: 'Alert notifications',
    title: 'Alert notifications',
    element: <NotificationsPage />,
  },
] as const;

/** Mounted at /admin/* for HQ admins: users, partners' API clients, the audit log and who hears about alerts. */
export function AdminRoutes() {
  const { hasRole } = useSession();
  const { pathname } = useLocation();
  if (!hasRole('HQ_ADMIN')) {
    return (
      <Page title="Administration">
        <ErrorNotice error={Object.assign(new Error('Administration is for HQ admins.'), { code: 'FORBIDDEN' })} />
      </Page>
    );
  }
  const current = SECTIONS.find((s) => pathname.split('/').includes(s.path));
  return (
    <Page title={current ? `Administration: ${current.title}` : 'Administration'}>
      <nav aria-label="Administration" className="admin-nav">
        <ul>
          {SECTIONS.map((s) => (
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
        <Route index element={<Navigate to="users" replace />} />
        {SECTIONS.map((s) => (
          <Route key={s.path} path={s.path} element={s.element} />
        ))}
        <Route path="*" element={<Empty title="There is nothing at this address in the administration." />} />
      </Routes>
    </Page>
  );
}
