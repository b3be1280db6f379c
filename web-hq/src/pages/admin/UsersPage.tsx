import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { AdminUsersQuery, Role, UserFilter, UserStatus } from '../../gql/graphql';
import { fieldErrors, useSession } from '@phub/web-kit';
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
  useDebounced,
  useToast,
  ConnectionPager,
} from '../../ui';
import {
  ConfirmDialog,
  CopyField,
  PEOPLE_ROLES,
  ROLE_LABEL,
  RolePicker,
  StorePicker,
  hasStoreRole,
  useStoreNames,
} from './common';

const PAGE_SIZE = 20;
const USER_CONTEXT = { additionalTypenames: ['User'] };
const PASSWORD_MIN = 12;

const AdminUsers = graphql(`
  query AdminUsers($first: Int!, $after: String, $filter: UserFilter) {
    users(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          email
          displayName
          status
          roles
          storeIds
          lastLoginAt
          createdAt
        }
      }
    }
  }
`);

const AdminCreateUser = graphql(`
  mutation AdminCreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      user {
        id
        email
        displayName
        status
        roles
        storeIds
      }
      invitationToken
      invitationExpiresAt
    }
  }
`);

const AdminSetUserRoles = graphql(`
  mutation AdminSetUserRoles($input: SetUserRolesInput!) {
    setUserRoles(input: $input) {
      id
      roles
      storeIds
      updatedAt
    }
  }
`);

const AdminDeactivateUser = graphql(`
  mutation AdminDeactivateUser($id: ID!) {
    deactivateUser(id: $id) {
      id
      status
    }
  }
`);

const AdminReactivateUser = graphql(`
  mutation AdminReactivateUser($id: ID!) {
    reactivateUser(id: $id) {
      id
      status
    }
  }
`);

type User = AdminUsersQuery['users']['edges'][number]['node'];

const STATUSES: UserStatus[] = ['ACTIVE', 'INVITED', 'DEACTIVATED'];

export function UsersPage() {
  const [text, setText] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [status, setStatus] = useState<UserStatus | ''>('');
  const [storeId, setStoreId] = useState('');
  const search = useDebounced(text.trim(), 300);
  const [creating, setCreating] = useState(false);
  const storeNames = useStoreNames();
  const ids = { search: useId(), role: useId(), status: useId(), store: useId() };

  const filter: UserFilter = {
    ...(search ? { search } : {}),
    ...(role ? { role } : {}),
    ...(status ? { status } : {}),
    ...(storeId ? { storeId } : {}),
  };

  return (
    <>
      <div className="admin-toolbar">
        <div className="filters">
          <div className="field">
            <label htmlFor={ids.search} className="field-label">
              Email or name
            </label>
            <input id={ids.search} type="search" value={text} onChange={(e) => setText(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.role} className="field-label">
              Role
            </label>
            <select id={ids.role} value={role} onChange={(e) => setRole(e.target.value as Role | '')}>
              <option value="">Any role</option>
              {PEOPLE_ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABEL[r]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.status} className="field-label">
              Status
            </label>
            <select id={ids.status} value={status} onChange={(e) => setStatus(e.target.value as UserStatus | '')}>
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.charAt(0) + s.slice(1).toLowerCase()}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.store} className="field-label">
              Store
            </label>
            <select id={ids.store} value={storeId} onChange={(e) => setStoreId(e.target.value)}>
              <option value="">Any store</option>
              {[...storeNames].map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <Button variant="primary" onClick={() => setCreating(true)}>
          New user
        </Button>
      </div>
      <UserTable key={JSON.stringify(filter)} filter={filter} storeNames={storeNames} />
      <CreateUserDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function UserTable({ filter, storeNames }: { filter: UserFilter; storeNames: ReadonlyMap<string, string> }) {
  const { viewer } = useSession();
  const toast = useToast();
  const paging = useCursorPager(PAGE_SIZE);
  const [res, reexecute] = useQuery({
    query: AdminUsers,
    variables: { first: PAGE_SIZE, after: paging.after, filter },
    // A filter may match no one yet: name the type so that creating a user refreshes the list.
    context: USER_CONTEXT,
  });
  const [editing, setEditing] = useState<User | null>(null);
  const [deactivating, setDeactivating] = useState<User | null>(null);
  const [deactivation, deactivate] = useMutation(AdminDeactivateUser);
  const [reactivation, reactivate] = useMutation(AdminReactivateUser);
  const [reactivatingId, setReactivatingId] = useState<string | null>(null);

  const conn = res.data?.users;
  if (res.error && !conn) {
    return <ErrorNotice error={res.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
  }
  if (!conn) return <Loading label="Loading users…" />;

  const storesOf = (u: User) =>
    u.storeIds?.length ? u.storeIds.map((id) => storeNames.get(id) ?? `${id.slice(0, 8)}…`).join(', ') : 'All (HQ)';

  return (
    <>
      {reactivation.error ? <ErrorNotice error={reactivation.error} /> : null}
      <DataTable
        caption={`Users (${conn.totalCount})`}
        rows={conn.edges.map((e) => e.node)}
        rowKey={(u) => u.id}
        empty={<Empty title="No user matches these filters." />}
        columns={[
          {
            key: 'name',
            header: 'Name',
            rowHeader: true,
            render: (u) => (
              <span data-user-email={u.email ?? undefined}>
                {u.displayName}
                {u.id === viewer?.userId ? <span className="muted"> (you)</span> : null}
                <span className="admin-sub">{u.email}</span>
              </span>
            ),
          },
          { key: 'roles', header: 'Roles', render: (u) => (u.roles ?? []).map((r) => ROLE_LABEL[r]).join(', ') },
          { key: 'stores', header: 'Stores', render: storesOf },
          { key: 'status', header: 'Status', render: (u) => (u.status ? <StatusBadge status={u.status} /> : null) },
          {
            key: 'login',
            header: 'Last sign-in',
            render: (u) => (u.lastLoginAt ? formatDateTime(u.lastLoginAt) : <span className="muted">Never</span>),
          },
          {
            key: 'actions',
            header: <span className="visually-hidden">Actions</span>,
            render: (u) =>
              u.id === viewer?.userId ? (
                <span className="muted">You cannot change yourself here</span>
              ) : (
                <div className="row">
                  <Button onClick={() => setEditing(u)} aria-label={`Change roles of ${u.displayName}`}>
                    Roles
                  </Button>
                  {u.status === 'DEACTIVATED' ? (
                    <Button
                      busy={reactivatingId === u.id}
                      aria-label={`Reactivate ${u.displayName}`}
                      onClick={async () => {
                        setReactivatingId(u.id);
                        const r = await reactivate({ id: u.id });
                        setReactivatingId(null);
                        if (!r.error) toast.success(`${u.displayName} can sign in again`);
                      }}
                    >
                      Reactivate
                    </Button>
                  ) : (
                    <Button
                      variant="danger"
                      aria-label={`Deactivate ${u.displayName}`}
                      onClick={() => setDeactivating(u)}
                    >
                      Deactivate
                    </Button>
                  )}
                </div>
              ),
          },
        ]}
      />
      <ConnectionPager connection={conn} paging={paging} label="User pages" />
      {editing ? <RolesDialog user={editing} onClose={() => setEditing(null)} /> : null}
      <ConfirmDialog
        open={!!deactivating}
        title={`Deactivate ${deactivating?.displayName ?? ''}?`}
        confirmLabel="Deactivate"
        danger
        busy={deactivation.fetching}
        error={deactivation.error}
        onClose={() => setDeactivating(null)}
        onConfirm={async () => {
          if (!deactivating) return;
          const r = await deactivate({ id: deactivating.id });
          if (!r.error) {
            toast.success(`${deactivating.displayName} is deactivated`);
            setDeactivating(null);
          }
        }}
      >
        <p>
          {deactivating?.email} will no longer be able to sign in, and every session they have ends now. You can
          reactivate them later.
        </p>
      </ConfirmDialog>
    </>
  );
}

type Access = 'password' | 'invitation';

function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const toast = useToast();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [storeIds, setStoreIds] = useState<string[]>([]);
  const [access, setAccess] = useState<Access>('invitation');
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [result, createUser] = useMutation(AdminCreateUser);
  const [invitation, setInvitation] = useState<{ email: string; token: string; expiresAt: string | null } | null>(null);
  const accessName = useId();

  const reset = () => {
    setEmail('');
    setDisplayName('');
    setRoles([]);
    setStoreIds([]);
    setAccess('invitation');
    setPassword('');
    setProblems({});
    setInvitation(null);
  };
  const close = () => {
    reset();
    onClose();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const p: Record<string, string> = {};
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) p.email = 'Enter an email address.';
    if (!displayName.trim()) p.displayName = 'Enter a name.';
    if (!roles.length) p.roles = 'Choose at least one role.';
    const storeRole = hasStoreRole(roles);
    if (storeRole && !storeIds.length) p.storeIds = 'A store role needs at least one store.';
    if (access === 'password' && password.length < PASSWORD_MIN)
      p.password = `The password needs at least ${PASSWORD_MIN} characters.`;
    setProblems(p);
    if (Object.keys(p).length) return;
    const r = await createUser({
      input: {
        email: email.trim(),
        displayName: displayName.trim(),
        roles,
        storeIds: storeRole ? storeIds : null,
        password: access === 'password' ? password : null,
      },
    });
    if (r.error || !r.data) {
      setProblems(serverProblems(r.error));
      return;
    }
    const created = r.data.createUser;
    if (created.invitationToken) {
      setInvitation({
        email: created.user.email ?? '',
        token: created.invitationToken,
        expiresAt: created.invitationExpiresAt ?? null,
      });
      toast.success(`${created.user.email} is invited`);
    } else {
      toast.success(`${created.user.email} can sign in now`);
      close();
    }
  };

  if (invitation) {
    return (
      <Dialog
        open={open}
        title="Invitation created"
        onClose={close}
        actions={
          <Button variant="primary" onClick={close}>
            Done
          </Button>
        }
      >
        <div className="stack">
          <Notice kind="warning">
            <strong>Shown only once.</strong> Send this invitation token to {invitation.email} through a channel you
            trust; they set their password with it. It cannot be shown again.
          </Notice>
          <CopyField label="Invitation token" value={invitation.token} testId="invitation-token" />
          {invitation.expiresAt ? <p className="muted">It expires {formatDateTime(invitation.expiresAt)}.</p> : null}
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog open={open} title="New user" onClose={close} description="Adds a person to your tenant.">
      <form className="stack admin-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Email" required error={problems.email}>
          <input type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field label="Name" required error={problems.displayName}>
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </Field>
        <RolePicker value={roles} onChange={setRoles} error={problems.roles} />
        {hasStoreRole(roles) ? <StorePicker value={storeIds} onChange={setStoreIds} error={problems.storeIds} /> : null}
        <fieldset>
          <legend>How they sign in</legend>
          <label className="admin-option">
            <input
              type="radio"
              name={accessName}
              checked={access === 'invitation'}
              onChange={() => setAccess('invitation')}
            />
            <span>
              <strong>Send an invitation</strong>
              <span className="muted admin-option-hint">You get a one-time token; they choose their own password</span>
            </span>
          </label>
          <label className="admin-option">
            <input
              type="radio"
              name={accessName}
              checked={access === 'password'}
              onChange={() => setAccess('password')}
            />
            <span>
              <strong>Set a first password now</strong>
              <span className="muted admin-option-hint">They can sign in at once</span>
            </span>
          </label>
          {access === 'password' ? (
            <Field
              label="First password"
              required
              hint={`At least ${PASSWORD_MIN} characters`}
              error={problems.password}
            >
              <input
                type="password"
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </Field>
          ) : null}
        </fieldset>
        {problems.form ? <ErrorNotice error={result.error} /> : null}
        <div className="dialog-actions">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="primary" busy={result.fetching}>
            Create user
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function RolesDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const toast = useToast();
  const [roles, setRoles] = useState<Role[]>((user.roles ?? []).filter((r) => PEOPLE_ROLES.includes(r)));
  const [storeIds, setStoreIds] = useState<string[]>(user.storeIds ?? []);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [result, setUserRoles] = useMutation(AdminSetUserRoles);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const p: Record<string, string> = {};
    if (!roles.length) p.roles = 'Choose at least one role (or deactivate the user instead).';
    const storeRole = hasStoreRole(roles);
    if (storeRole && !storeIds.length) p.storeIds = 'A store role needs at least one store.';
    setProblems(p);
    if (Object.keys(p).length) return;
    const r = await setUserRoles({ input: { userId: user.id, roles, storeIds: storeRole ? storeIds : [] } });
    if (r.error) {
      setProblems(serverProblems(r.error));
      return;
    }
    toast.success(`Roles of ${user.displayName} changed`);
    onClose();
  };

  return (
    <Dialog
      open
      title={`Roles of ${user.displayName}`}
      onClose={onClose}
      description="Saving ends their sessions: they sign in again with the new roles."
    >
      <form className="stack admin-form" onSubmit={(e) => void submit(e)} noValidate>
        <RolePicker value={roles} onChange={setRoles} error={problems.roles} />
        {hasStoreRole(roles) ? (
          <StorePicker value={storeIds} onChange={setStoreIds} error={problems.storeIds} />
        ) : (
          <p className="muted">HQ roles cover every store of the tenant.</p>
        )}
        {problems.form ? <ErrorNotice error={result.error} /> : null}
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={result.fetching}>
            Save roles
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** Field messages of a BAD_USER_INPUT where the platform names the field; anything else shows as a notice. */
function serverProblems(error: CombinedError | undefined): Record<string, string> {
  const out: Record<string, string> = { ...fieldErrors(error) };
  for (const e of error?.graphQLErrors ?? []) {
    const field = e.extensions?.field;
    if (typeof field === 'string' && !out[field]) out[field] = e.message;
  }
  // Always keep the notice too: it shows the code (e.g. CONFLICT for an email in use).
  out.form = 'yes';
  return out;
}
