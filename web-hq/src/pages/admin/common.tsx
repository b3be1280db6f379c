import { useId, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { Role } from '../../gql/graphql';
import { Button, Dialog, ErrorNotice, Loading, useDebounced } from '../../ui';
import { ROLE_LABELS, type CombinedErrorLike } from '@phub/web-kit';

/** Roles a person can hold (PARTNER and DEVICE are not for people). */
export const PEOPLE_ROLES: readonly Role[] = ['HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER', 'STORE_MANAGER', 'STORE_STAFF'];
export const STORE_ROLES: readonly Role[] = ['STORE_MANAGER', 'STORE_STAFF'];

/** The session's labels, so a role reads the same in the header and in administration. */
export const ROLE_LABEL = ROLE_LABELS;

export const ROLE_HINT: Partial<Record<Role, string>> = {
  HQ_ADMIN: 'Everything in the tenant, including users, API clients and the audit log',
  HQ_EDITOR: 'Creates and edits campaigns and creatives for the whole tenant',
  HQ_VIEWER: 'Sees the whole tenant, changes nothing',
  STORE_MANAGER: 'Runs their stores: store campaigns, overrides, reports',
  STORE_STAFF: 'Works in their stores: playback control and the queue',
};

/** What a partner's API client may be granted (the kit's PARTNER_SCOPES; createApiClient's description in the schema). */
export const PARTNER_SCOPES: readonly { scope: string; label: string }[] = [
  { scope: 'location:read', label: 'Read regions, stores and displays' },
  { scope: 'location:write', label: 'Create stores and change their details and opening hours (a retailer’s ERP)' },
  { scope: 'campaign:read', label: 'Read campaigns, creatives and playlists' },
  { scope: 'queue:read', label: 'Read visitor queues' },
  { scope: 'queue:write', label: 'Serve visitor queues and add visitors' },
  { scope: 'playback:read', label: 'Read playback reports, display health and alerts' },
  { scope: 'proximity:read', label: 'Read proximity data' },
  { scope: 'content:read', label: 'Read content' },
  { scope: 'visitor:read', label: 'Read visitor segments and aggregates (no personal data)' },
  {
    scope: 'visitor:write',
    label: 'Import segment members and consents by identifier; check visitors in (a CDP, CRM or booking system)',
  },
];

export const hasStoreRole = (roles: readonly Role[]) => roles.some((r) => STORE_ROLES.includes(r));

const AdminStores = graphql(`
  query AdminStores($search: String) {
    stores(first: 100, filter: { search: $search }) {
      totalCount
      edges {
        node {
          id
          name
          code
        }
      }
    }
  }
`);

/** Store names by id (the first 100 stores), for showing users' store scopes. */
export function useStoreNames(): ReadonlyMap<string, string> {
  const [res] = useQuery({ query: AdminStores, variables: { search: null } });
  return useMemo(
    () => new Map(res.data?.stores.edges.map((e) => [e.node.id, `${e.node.name} (${e.node.code})`]) ?? []),
    [res.data],
  );
}

/** Checkboxes for roles, with what each allows. */
export function RolePicker({
  value,
  onChange,
  error,
}: {
  value: readonly Role[];
  onChange: (roles: Role[]) => void;
  error?: string | null;
}) {
  const errorId = useId();
  return (
    <fieldset aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined}>
      <legend>Roles</legend>
      <div className="admin-options">
        {PEOPLE_ROLES.map((role) => (
          <label key={role} className="admin-option">
            <input
              type="checkbox"
              checked={value.includes(role)}
              onChange={(e) => onChange(e.target.checked ? [...value, role] : value.filter((r) => r !== role))}
            />
            <span>
              <strong>{ROLE_LABEL[role]}</strong>
              <span className="muted admin-option-hint">{ROLE_HINT[role]}</span>
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Chooses the stores a store role applies to: search, tick, and the chosen ones as removable chips. */
export function StorePicker({
  value,
  onChange,
  error,
}: {
  value: readonly string[];
  onChange: (ids: string[]) => void;
  error?: string | null;
}) {
  const searchId = useId();
  const errorId = useId();
  const [text, setText] = useState('');
  const search = useDebounced(text.trim(), 250);
  const [res] = useQuery({ query: AdminStores, variables: { search: search || null } });
  const known = useRef(new Map<string, string>());
  const all = useStoreNames();
  for (const [id, name] of all) known.current.set(id, name);
  for (const e of res.data?.stores.edges ?? []) known.current.set(e.node.id, `${e.node.name} (${e.node.code})`);
  const name = (id: string) => known.current.get(id) ?? `Store ${id.slice(0, 8)}…`;
  const toggle = (id: string, on: boolean) => onChange(on ? [...value, id] : value.filter((v) => v !== id));

  return (
    <fieldset
      className="admin-store-picker"
      aria-describedby={error ? errorId : undefined}
      aria-invalid={error ? true : undefined}
    >
      <legend>Stores ({value.length} chosen)</legend>
      {value.length ? (
        <ul className="admin-chips" aria-label="Chosen stores">
          {value.map((id) => (
            <li key={id} className="admin-chip">
              {name(id)}
              <button
                type="button"
                className="admin-chip-remove"
                aria-label={`Remove ${name(id)}`}
                onClick={() => toggle(id, false)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No store chosen yet.</p>
      )}
      <div className="field">
        <label htmlFor={searchId} className="field-label">
          Find stores by name or code
        </label>
        <input id={searchId} type="search" value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      {res.error ? <ErrorNotice error={res.error} /> : null}
      {!res.data ? (
        <Loading label="Loading stores…" />
      ) : (
        <div className="admin-store-list" role="group" aria-label="Stores">
          {res.data.stores.edges.length ? null : <p className="muted">No store matches.</p>}
          {res.data.stores.edges.map(({ node }) => (
            <label key={node.id} className="checkbox admin-store-option">
              <input
                type="checkbox"
                checked={value.includes(node.id)}
                onChange={(e) => toggle(node.id, e.target.checked)}
              />
              {node.name} <span className="muted">({node.code})</span>
            </label>
          ))}
          {res.data.stores.totalCount > res.data.stores.edges.length ? (
            <p className="muted">
              Showing {res.data.stores.edges.length} of {res.data.stores.totalCount}; search to find others.
            </p>
          ) : null}
        </div>
      )}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A value to copy (a secret or token) in a read-only field with a Copy button; says when it is copied. */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // Clipboard refused (no permission, not a secure context): select it so Ctrl+C works.
      input.current?.select();
      setCopied('no');
    }
  };
  return (
    <div className="field admin-copy">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <div className="admin-copy-row">
        <input
          ref={input}
          id={id}
          readOnly
          value={value}
          data-testid={testId}
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button onClick={() => void copy()} aria-label={`Copy ${label.toLowerCase()}`}>
          Copy
        </Button>
      </div>
      <p className="field-hint" role="status" aria-live="polite">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'no' ? 'Selected: press Ctrl+C (⌘C) to copy.' : ''}
      </p>
    </div>
  );
}

/** A yes/no question before something consequential. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: CombinedErrorLike | null;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant={danger ? 'danger' : 'primary'} busy={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="stack">
        {children}
        <ErrorNotice error={error} />
      </div>
    </Dialog>
  );
}
