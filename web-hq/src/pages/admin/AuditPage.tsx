import { useId, useMemo, useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { AuditEventType, AuditLogFilter, AuditPartyType } from '../../gql/graphql';
import { useSession } from '@phub/web-kit';
import {
  Button,
  DataTable,
  Empty,
  ErrorNotice,
  Loading,
  formatDateTime,
  statusLabel,
  useCursorPager,
  ConnectionPager,
} from '../../ui';
import { useStoreNames } from './common';

const PAGE_SIZE = 25;

/** Every AuditEventType, grouped for the filter. */
const GROUPS: { label: string; types: AuditEventType[] }[] = [
  {
    label: 'Sign-in and sessions',
    types: [
      'LOGIN_SUCCEEDED',
      'LOGIN_FAILED',
      'LOGIN_RATE_LIMITED',
      'TOKEN_REFRESHED',
      'REFRESH_TOKEN_REUSED',
      'SESSION_REVOKED',
      'TOKEN_REVOKED',
      'PASSWORD_CHANGED',
    ],
  },
  {
    label: 'Users',
    types: ['USER_CREATED', 'INVITATION_ACCEPTED', 'USER_ROLES_CHANGED', 'USER_DEACTIVATED', 'USER_REACTIVATED'],
  },
  {
    label: 'API clients',
    types: [
      'API_CLIENT_CREATED',
      'API_CLIENT_SCOPES_CHANGED',
      'API_CLIENT_REVOKED',
      'CLIENT_TOKEN_ISSUED',
      'CLIENT_AUTH_FAILED',
    ],
  },
  {
    label: 'Campaigns and screens',
    types: [
      'CAMPAIGN_APPROVED',
      'CAMPAIGN_REJECTED',
      'CAMPAIGN_REVISION_APPROVED',
      'CAMPAIGN_REVISION_REJECTED',
      'CAMPAIGN_PAUSED',
      'CAMPAIGN_RESUMED',
      'CAMPAIGN_STORE_PAUSED',
      'CAMPAIGN_STORE_RESUMED',
      'DISPLAY_OVERRIDE_SET',
      'DISPLAY_OVERRIDE_CLEARED',
      'STORE_TAKEOVER_STARTED',
      'STORE_TAKEOVER_LIFTED',
    ],
  },
  {
    label: 'Displays and the tenant',
    types: [
      'PAIRING_REQUESTED',
      'PAIRING_CLAIMED',
      'DEVICE_PAIRED',
      'DEVICE_REVOKED',
      'SIGNING_KEY_ROTATED',
      'TENANT_UPDATED',
    ],
  },
];

/** Events whose name says more than their code read aloud. */
const EVENT_LABELS: Partial<Record<AuditEventType, string>> = {
  CAMPAIGN_REVISION_APPROVED: 'Campaign changes approved',
  CAMPAIGN_REVISION_REJECTED: 'Campaign changes rejected',
  CAMPAIGN_STORE_PAUSED: 'Campaign paused for a store',
  CAMPAIGN_STORE_RESUMED: 'Campaign resumed for a store',
};
const eventLabel = (type: AuditEventType) => EVENT_LABELS[type] ?? statusLabel(type);

/** Details keys in words; ids of stores are shown by name. */
const DETAIL_LABELS: Record<string, string> = {
  campaign: 'Campaign',
  storeId: 'Store',
  displayId: 'Display',
  creativeId: 'Creative',
  until: 'Until',
  reason: 'Reason',
  message: 'Message',
};

const AdminAuditLog = graphql(`
  query AdminAuditLog($first: Int!, $after: String, $filter: AuditLogFilter) {
    auditLog(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          type
          actorType
          actorId
          subjectType
          subjectId
          clientIp
          details
          occurredAt
        }
      }
    }
  }
`);

const AdminUserNames = graphql(`
  query AdminUserNames {
    users(first: 100) {
      edges {
        node {
          id
          email
        }
      }
    }
  }
`);

interface Draft {
  types: AuditEventType[];
  actorId: string;
  subjectId: string;
  since: string;
  until: string;
}

const EMPTY: Draft = { types: [], actorId: '', subjectId: '', since: '', until: '' };

/** datetime-local (the viewer's time) → ISO instant. */
const toInstant = (local: string) => (local ? new Date(local).toISOString() : undefined);

function toFilter(d: Draft): AuditLogFilter {
  return {
    ...(d.types.length ? { types: d.types } : {}),
    ...(d.actorId.trim() ? { actorId: d.actorId.trim() } : {}),
    ...(d.subjectId.trim() ? { subjectId: d.subjectId.trim() } : {}),
    ...(d.since ? { since: toInstant(d.since) } : {}),
    ...(d.until ? { until: toInstant(d.until) } : {}),
  };
}

export function AuditPage() {
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [applied, setApplied] = useState<Draft>(EMPTY);
  const [problem, setProblem] = useState<string | null>(null);
  const ids = { actor: useId(), subject: useId(), since: useId(), until: useId(), problem: useId() };

  const apply = (next: Draft) => {
    if (next.since && next.until && next.since >= next.until) {
      setProblem('“Until” must be after “since”.');
      return;
    }
    setProblem(null);
    setDraft(next);
    setApplied(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply(draft);
  };
  const filter = useMemo(() => toFilter(applied), [applied]);

  return (
    <>
      <form className="admin-audit-filters" onSubmit={submit} aria-label="Audit log filters">
        <details className="admin-types">
          <summary>
            Event types <span className="muted">({draft.types.length ? `${draft.types.length} chosen` : 'all'})</span>
          </summary>
          <div className="admin-type-groups">
            {GROUPS.map((g) => (
              <fieldset key={g.label}>
                <legend>{g.label}</legend>
                {g.types.map((t) => (
                  <label key={t} className="checkbox admin-type">
                    <input
                      type="checkbox"
                      checked={draft.types.includes(t)}
                      onChange={(e) =>
                        setDraft((d) => ({
                          ...d,
                          types: e.target.checked ? [...d.types, t] : d.types.filter((x) => x !== t),
                        }))
                      }
                    />
                    {eventLabel(t)}
                  </label>
                ))}
              </fieldset>
            ))}
          </div>
        </details>
        <div className="filters">
          <div className="field">
            <label htmlFor={ids.actor} className="field-label">
              Actor id
            </label>
            <input
              id={ids.actor}
              value={draft.actorId}
              placeholder="User, API client or display id"
              onChange={(e) => setDraft((d) => ({ ...d, actorId: e.target.value }))}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.subject} className="field-label">
              Subject id
            </label>
            <input
              id={ids.subject}
              value={draft.subjectId}
              placeholder="What was acted on"
              onChange={(e) => setDraft((d) => ({ ...d, subjectId: e.target.value }))}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.since} className="field-label">
              Since (your time)
            </label>
            <input
              id={ids.since}
              type="datetime-local"
              value={draft.since}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? ids.problem : undefined}
              onChange={(e) => setDraft((d) => ({ ...d, since: e.target.value }))}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.until} className="field-label">
              Until (your time)
            </label>
            <input
              id={ids.until}
              type="datetime-local"
              value={draft.until}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? ids.problem : undefined}
              onChange={(e) => setDraft((d) => ({ ...d, until: e.target.value }))}
            />
          </div>
          <div className="row">
            <Button type="submit" variant="primary">
              Apply filters
            </Button>
            <Button onClick={() => apply(EMPTY)}>Reset</Button>
          </div>
        </div>
        {problem ? (
          <p id={ids.problem} className="field-error" role="alert">
            {problem}
          </p>
        ) : null}
      </form>
      <AuditTable
        key={JSON.stringify(filter)}
        filter={filter}
        onFilterActor={(actorId) => apply({ ...applied, actorId })}
        onFilterSubject={(subjectId) => apply({ ...applied, subjectId })}
      />
    </>
  );
}

function AuditTable({
  filter,
  onFilterActor,
  onFilterSubject,
}: {
  filter: AuditLogFilter;
  onFilterActor: (id: string) => void;
  onFilterSubject: (id: string) => void;
}) {
  const { viewer } = useSession();
  const paging = useCursorPager(PAGE_SIZE);
  const [res, reexecute] = useQuery({
    query: AdminAuditLog,
    variables: { first: PAGE_SIZE, after: paging.after, filter },
    requestPolicy: 'cache-and-network',
  });
  const [users] = useQuery({ query: AdminUserNames });
  const emails = useMemo(
    () => new Map(users.data?.users.edges.map((e) => [e.node.id, e.node.email]) ?? []),
    [users.data],
  );
  const stores = useStoreNames();
  const conn = res.data?.auditLog;
  if (res.error && !conn) {
    return <ErrorNotice error={res.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
  }
  if (!conn) return <Loading label="Loading the audit log…" />;

  const party = (
    type: AuditPartyType | null | undefined,
    id: string | null | undefined,
    onFilter: (id: string) => void,
  ) => {
    if (!type && !id) return <span className="muted">—</span>;
    const who = id ? (id === viewer?.userId ? 'you' : emails.get(id)) : null;
    return (
      <span className="admin-party">
        <span className="admin-party-type">{type ? statusLabel(type) : ''}</span>
        {who ? <span> {who}</span> : null}
        {id ? (
          <button
            type="button"
            className="admin-id-button"
            onClick={() => onFilter(id)}
            title="Show only events with this id"
          >
            <code>{id}</code>
            <span className="visually-hidden"> (filter by this id)</span>
          </button>
        ) : null}
      </span>
    );
  };

  return (
    <>
      <div className="admin-toolbar">
        <p className="muted">Newest first.</p>
        <Button onClick={() => reexecute({ requestPolicy: 'network-only' })}>Refresh</Button>
      </div>
      <div className="admin-audit-table">
        <DataTable
          caption={`Audit events (${conn.totalCount})`}
          rows={conn.edges.map((e) => e.node)}
          rowKey={(e) => e.id}
          empty={<Empty title="No event matches these filters." />}
          columns={[
            {
              key: 'when',
              header: 'When',
              rowHeader: true,
              className: 'nowrap',
              render: (e) => <time dateTime={e.occurredAt}>{formatDateTime(e.occurredAt)}</time>,
            },
            {
              key: 'type',
              header: 'Event',
              render: (e) => (
                <span data-audit-type={e.type} className="admin-event">
                  {eventLabel(e.type)}
                </span>
              ),
            },
            { key: 'actor', header: 'Actor', render: (e) => party(e.actorType, e.actorId, onFilterActor) },
            { key: 'subject', header: 'Subject', render: (e) => party(e.subjectType, e.subjectId, onFilterSubject) },
            { key: 'ip', header: 'IP', render: (e) => e.clientIp ?? <span className="muted">—</span> },
            { key: 'details', header: 'Details', render: (e) => <Details details={e.details} stores={stores} /> },
          ]}
        />
      </div>
      <ConnectionPager connection={conn} paging={paging} label="Audit log pages" />
    </>
  );
}

function Details({ details, stores }: { details: Record<string, unknown>; stores: ReadonlyMap<string, string> }) {
  const entries = Object.entries(details).filter(([, v]) => v !== null && v !== undefined && v !== '');
  if (!entries.length) return <span className="muted">—</span>;
  const value = (k: string, v: unknown) => {
    if (k === 'storeId' && typeof v === 'string') return stores.get(v) ?? v;
    if (k === 'until' && typeof v === 'string') return formatDateTime(v);
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
  return (
    <dl className="admin-details">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{DETAIL_LABELS[k] ?? k}</dt>
          <dd>{value(k, v)}</dd>
        </div>
      ))}
    </dl>
  );
}
