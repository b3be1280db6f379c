import { useId, useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { AdminApiClientsQuery } from '../../gql/graphql';
import {
  Button,
  DataTable,
  Dialog,
  Empty,
  ErrorNotice,
  Field,
  Loading,
  Notice,
  StatusBadge,
  formatDateTime,
  useCursorPager,
  useToast,
  ConnectionPager,
} from '../../ui';
import { failureShare, usageSummary, usageWindow } from './api-client-usage';
import { ConfirmDialog, CopyField, PARTNER_SCOPES } from './common';

const PAGE_SIZE = 20;
/** Days of usage the page shows (UTC days, today included). */
const USAGE_DAYS = 14;
const API_CLIENT_CONTEXT = { additionalTypenames: ['ApiClient'] };

const AdminApiClients = graphql(`
  query AdminApiClients(
    $first: Int!
    $after: String
    $includeRevoked: Boolean
    $usageFrom: DateTimeISO!
    $usageTo: DateTimeISO!
  ) {
    apiClients(first: $first, after: $after, includeRevoked: $includeRevoked) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          scopes
          createdAt
          lastUsedAt
          revokedAt
          usage(from: $usageFrom, to: $usageTo, granularity: DAY) {
            requests
            errors
            rateLimited
            cost
            buckets {
              start
              requests
              errors
              rateLimited
              cost
            }
          }
        }
      }
    }
  }
`);

const AdminCreateApiClient = graphql(`
  mutation AdminCreateApiClient($input: CreateApiClientInput!) {
    createApiClient(input: $input) {
      apiClient {
        id
        name
        scopes
        createdAt
      }
      clientSecret
    }
  }
`);

const AdminSetApiClientScopes = graphql(`
  mutation AdminSetApiClientScopes($input: SetApiClientScopesInput!) {
    setApiClientScopes(input: $input) {
      id
      scopes
      updatedAt
    }
  }
`);

const AdminRevokeApiClient = graphql(`
  mutation AdminRevokeApiClient($id: ID!) {
    revokeApiClient(id: $id) {
      id
      revokedAt
    }
  }
`);

type ApiClient = AdminApiClientsQuery['apiClients']['edges'][number]['node'];

export function ApiClientsPage() {
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const [creating, setCreating] = useState(false);
  return (
    <>
      <p className="muted admin-intro">
        Partners’ systems call the graph with OAuth2 client credentials (<code>issueClientToken</code> or{' '}
        <code>POST /oauth/token</code>). Each client gets only the scopes you grant. Usage covers the last {USAGE_DAYS}{' '}
        days (UTC), as the gateway counted it. Partners read how to integrate at <a href="/docs">/docs</a>.
      </p>
      <div className="admin-toolbar">
        <label className="checkbox">
          <input type="checkbox" checked={includeRevoked} onChange={(e) => setIncludeRevoked(e.target.checked)} />
          Show revoked clients
        </label>
        <Button variant="primary" onClick={() => setCreating(true)}>
          New API client
        </Button>
      </div>
      <ClientTable key={String(includeRevoked)} includeRevoked={includeRevoked} />
      {creating ? <CreateClientDialog onClose={() => setCreating(false)} /> : null}
    </>
  );
}

function ClientTable({ includeRevoked }: { includeRevoked: boolean }) {
  const toast = useToast();
  const paging = useCursorPager(PAGE_SIZE);
  // Fixed while the page is open, so paging and refreshes ask for the same window.
  const usageRange = useMemo(() => usageWindow(Date.now(), USAGE_DAYS), []);
  const [res, reexecute] = useQuery({
    query: AdminApiClients,
    variables: {
      first: PAGE_SIZE,
      after: paging.after,
      includeRevoked,
      usageFrom: usageRange.from,
      usageTo: usageRange.to,
    },
    // An empty list has no ApiClient in it: name the type so that creating one refreshes the list.
    context: API_CLIENT_CONTEXT,
  });
  const [editing, setEditing] = useState<ApiClient | null>(null);
  const [revoking, setRevoking] = useState<ApiClient | null>(null);
  const [inspecting, setInspecting] = useState<ApiClient | null>(null);
  const [revocation, revoke] = useMutation(AdminRevokeApiClient);

  const conn = res.data?.apiClients;
  if (res.error && !conn) {
    return <ErrorNotice error={res.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
  }
  if (!conn) return <Loading label="Loading API clients…" />;

  return (
    <>
      <DataTable
        caption={`API clients (${conn.totalCount})`}
        rows={conn.edges.map((e) => e.node)}
        rowKey={(c) => c.id}
        empty={
          <Empty title={includeRevoked ? 'No API clients yet.' : 'No active API clients.'}>
            Create one for each partner system.
          </Empty>
        }
        columns={[
          {
            key: 'name',
            header: 'Name',
            rowHeader: true,
            render: (c) => (
              <span data-api-client-id={c.id}>
                {c.name}
                <code className="admin-sub">{c.id}</code>
              </span>
            ),
          },
          {
            key: 'scopes',
            header: 'Scopes',
            render: (c) => (
              <ul className="admin-scopes" aria-label={`Scopes of ${c.name}`}>
                {c.scopes.map((s) => (
                  <li key={s} className="tag">
                    {s}
                  </li>
                ))}
              </ul>
            ),
          },
          {
            key: 'status',
            header: 'Status',
            render: (c) =>
              c.revokedAt ? (
                <>
                  <StatusBadge status="DEACTIVATED" label="Revoked" />
                  <span className="admin-sub">{formatDateTime(c.revokedAt)}</span>
                </>
              ) : (
                <StatusBadge status="ACTIVE" label="Active" />
              ),
          },
          { key: 'created', header: 'Created', render: (c) => formatDateTime(c.createdAt) },
          {
            key: 'used',
            header: 'Last used',
            render: (c) => (c.lastUsedAt ? formatDateTime(c.lastUsedAt) : <span className="muted">Never</span>),
          },
          {
            key: 'usage',
            header: `Usage (${USAGE_DAYS} days)`,
            render: (c) => (
              <span data-api-client-usage={c.id}>
                {usageSummary(c.usage)}
                {c.usage.requests ? <span className="admin-sub">cost {formatCount(c.usage.cost)}</span> : null}
              </span>
            ),
          },
          {
            key: 'actions',
            header: <span className="visually-hidden">Actions</span>,
            render: (c) =>
              c.revokedAt ? (
                <Button onClick={() => setInspecting(c)} aria-label={`Usage of ${c.name}`}>
                  Usage
                </Button>
              ) : (
                <div className="row">
                  <Button onClick={() => setInspecting(c)} aria-label={`Usage of ${c.name}`}>
                    Usage
                  </Button>
                  <Button onClick={() => setEditing(c)} aria-label={`Change scopes of ${c.name}`}>
                    Scopes
                  </Button>
                  <Button variant="danger" onClick={() => setRevoking(c)} aria-label={`Revoke ${c.name}`}>
                    Revoke
                  </Button>
                </div>
              ),
          },
        ]}
      />
      <ConnectionPager connection={conn} paging={paging} label="API client pages" />
      {editing ? <ScopesDialog client={editing} onClose={() => setEditing(null)} /> : null}
      {inspecting ? <UsageDialog client={inspecting} onClose={() => setInspecting(null)} /> : null}
      <ConfirmDialog
        open={!!revoking}
        title={`Revoke ${revoking?.name ?? ''}?`}
        confirmLabel="Revoke"
        danger
        busy={revocation.fetching}
        error={revocation.error}
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          const r = await revoke({ id: revoking.id });
          if (!r.error) {
            toast.success(`${revoking.name} is revoked`);
            setRevoking(null);
          }
        }}
      >
        <p>
          The client and every token it holds stop working at once. This cannot be undone: the partner needs a new
          client.
        </p>
      </ConfirmDialog>
    </>
  );
}

function ScopePicker({
  value,
  onChange,
  error,
}: {
  value: readonly string[];
  onChange: (scopes: string[]) => void;
  error?: string | null;
}) {
  const errorId = useId();
  return (
    <fieldset aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined}>
      <legend>Scopes</legend>
      <div className="admin-options admin-options--2">
        {PARTNER_SCOPES.map(({ scope, label }) => (
          <label key={scope} className="admin-option">
            <input
              type="checkbox"
              checked={value.includes(scope)}
              onChange={(e) => onChange(e.target.checked ? [...value, scope] : value.filter((s) => s !== scope))}
            />
            <span>
              <code>{scope}</code>
              <span className="muted admin-option-hint">{label}</span>
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

function CreateClientDialog({ onClose }: { onClose: () => void }) {
  const toast = useToast();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [result, create] = useMutation(AdminCreateApiClient);
  const [created, setCreated] = useState<{ id: string; name: string; secret: string } | null>(null);
  const [stored, setStored] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const p: Record<string, string> = {};
    if (!name.trim()) p.name = 'Enter a name, e.g. the partner and system.';
    if (!scopes.length) p.scopes = 'Choose at least one scope.';
    setProblems(p);
    if (Object.keys(p).length) return;
    const r = await create({ input: { name: name.trim(), scopes } });
    if (r.error || !r.data) return;
    const { apiClient, clientSecret } = r.data.createApiClient;
    setCreated({ id: apiClient.id, name: apiClient.name, secret: clientSecret });
    toast.success(`${apiClient.name} is created`);
  };

  if (created) {
    return (
      <Dialog
        open
        title={`${created.name}: credentials`}
        onClose={onClose}
        actions={
          <Button variant="primary" onClick={onClose} disabled={!stored}>
            Done
          </Button>
        }
      >
        <div className="stack" data-testid="api-client-secret-panel">
          <Notice kind="warning">
            <strong>Copy the client secret now: it is shown only this once.</strong> The platform keeps only a hash of
            it and cannot show it again. If it is lost, revoke this client and create a new one.
          </Notice>
          <CopyField label="Client id" value={created.id} testId="api-client-id" />
          <CopyField label="Client secret" value={created.secret} testId="api-client-secret" />
          <label className="checkbox">
            <input type="checkbox" checked={stored} onChange={(e) => setStored(e.target.checked)} />I have stored the
            secret somewhere safe
          </label>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog open title="New API client" onClose={onClose} description="For one partner system; it gets its own secret.">
      <form className="stack admin-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Name" required error={problems.name}>
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Acme analytics" />
        </Field>
        <ScopePicker value={scopes} onChange={setScopes} error={problems.scopes} />
        <ErrorNotice error={result.error} />
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={result.fetching}>
            Create client
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function ScopesDialog({ client, onClose }: { client: ApiClient; onClose: () => void }) {
  const toast = useToast();
  const [scopes, setScopes] = useState<string[]>(client.scopes);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, save] = useMutation(AdminSetApiClientScopes);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!scopes.length) {
      setProblem('Choose at least one scope (or revoke the client instead).');
      return;
    }
    setProblem(null);
    const r = await save({ input: { id: client.id, scopes } });
    if (!r.error) {
      toast.success(`Scopes of ${client.name} changed`);
      onClose();
    }
  };
  return (
    <Dialog
      open
      title={`Scopes of ${client.name}`}
      onClose={onClose}
      description="Saving replaces its scopes; the tokens it holds now stop working and it must get new ones."
    >
      <form className="stack admin-form" onSubmit={(e) => void submit(e)} noValidate>
        <ScopePicker value={scopes} onChange={setScopes} error={problem} />
        <ErrorNotice error={result.error} />
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={result.fetching}>
            Save scopes
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

const count = new Intl.NumberFormat();
const formatCount = (n: number) => count.format(n);
const dayLabel = (start: string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(start));

/** A client's usage day by day (UTC): what its integration did, and how much of it failed or was refused. */
function UsageDialog({ client, onClose }: { client: ApiClient; onClose: () => void }) {
  const { usage } = client;
  return (
    <Dialog
      open
      title={`Usage of ${client.name}`}
      onClose={onClose}
      description={`The last ${USAGE_DAYS} days (UTC): ${usageSummary(usage)}, cost ${formatCount(usage.cost)}, ${failureShare(usage)} failed or limited.`}
      actions={<Button onClick={onClose}>Close</Button>}
    >
      <DataTable
        caption={`Usage of ${client.name} by day`}
        rows={[...usage.buckets].reverse()}
        rowKey={(b) => b.start}
        empty={<Empty title="No requests in this period.">Its tokens have not been used against the graph.</Empty>}
        columns={[
          { key: 'day', header: 'Day (UTC)', rowHeader: true, render: (b) => dayLabel(b.start) },
          { key: 'requests', header: 'Requests', render: (b) => formatCount(b.requests) },
          { key: 'errors', header: 'Errors', render: (b) => formatCount(b.errors) },
          { key: 'limited', header: 'Rate-limited (429)', render: (b) => formatCount(b.rateLimited) },
          { key: 'cost', header: 'Cost', render: (b) => formatCount(b.cost) },
        ]}
      />
    </Dialog>
  );
}
