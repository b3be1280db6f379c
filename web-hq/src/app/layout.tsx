import { useEffect, useRef, useState, type ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router-dom';
import { ROLE_LABELS, useSession } from '@phub/web-kit';
import { SearchBox } from '../pages/search/search-box';
import { Button } from '../ui';
import { navFor, SEARCH_ROLES } from './nav';

/** Skip link, banner with the user, main navigation by role, and the main landmark. */
export function Layout({ children }: { children: ReactNode }) {
  const { viewer, signOut } = useSession();
  const location = useLocation();
  const first = useRef(true);
  const [signingOut, setSigningOut] = useState(false);

  // After a client-side navigation, move focus to the new page's heading so screen readers announce it.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('page-title')?.focus();
  }, [location.pathname]);

  if (!viewer) return null;
  const items = navFor(viewer.roles);
  const canSearch = viewer.roles.some((r) => SEARCH_ROLES.includes(r));
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="banner">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◧
          </span>
          <span>
            Personalisation Hub <span className="brand-sub">HQ</span>
          </span>
        </div>
        <nav aria-label="Main" className="main-nav">
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        {canSearch ? <SearchBox /> : null}
        <div className="user">
          <span className="user-name">
            <span className="user-email" data-testid="user-email">
              {viewer.email}
            </span>
            <span className="user-roles">{viewer.roles.map((r) => ROLE_LABELS[r] ?? r).join(', ')}</span>
          </span>
          <Button
            variant="ghost"
            busy={signingOut}
            onClick={() => {
              setSigningOut(true);
              void signOut().finally(() => setSigningOut(false));
            }}
          >
            Sign out
          </Button>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
