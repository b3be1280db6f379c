import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { useSession } from '@phub/web-kit';
import { graphql } from '../../gql';
import type { AemAuthKind, AdminContentSourcesQuery } from '../../gql/graphql';
import {
  Button,
  Dialog,
  Empty,
  ErrorNotice,
  Field,
  Loading,
  Notice,
  StatusBadge,
  formatDateTime,
  useToast,
} from '../../ui';
import {
  AUTH_KINDS,
  SOURCE_MANAGERS,
  authKindInfo,
  createInput,
  describeHealth,
  emptySourceForm,
  hasChanges,
  serverFieldProblems,
  sourceFormFrom,
  sourceProblems,
  updateInput,
  type SourceForm,
  type SourceProblems,
} from './aem-sources';
import { ConfirmDialog } from './common';

const SOURCE_CONTEXT = { additionalTypenames: ['AemSource'] };

// What a card shows of a source's health, read by the list and answered by a test alike.
graphql(`
  fragment AdminAemSourceHealth on AemSourceHealth {
    status
    lastSuccessAt
    lastErrorAt
    lastErrorCode
    lastErrorMessage
    circuitState
    consecutiveFailures
  }
`);

const AdminContentSources = graphql(`
  query AdminContentSources {
    contentSources {
      id
      name
      baseUrl
      authKind
      username
      hasSecret
      updatedAt
      health {
        ...AdminAemSourceHealth
      }
    }
  }
`);

const AdminCreateContentSource = graphql(`
  mutation AdminCreateContentSource($input: CreateContentSourceInput!) {
    createContentSource(input: $input) {
      id
      name
    }
  }
`);

const AdminUpdateContentSource = graphql(`
  mutation AdminUpdateContentSource($input: UpdateContentSourceInput!) {
    updateContentSource(input: $input) {
      id
      name
      baseUrl
      authKind
      username
      hasSecret
      updatedAt
    }
  }
`);

const AdminTestContentSource = graphql(`
  mutation AdminTestContentSource($id: ID!) {
    testContentSource(id: $id) {
      id
      updatedAt
      health {
        ...AdminAemSourceHealth
      }
    }
  }
`);

const AdminDeleteContentSource = graphql(`
  mutation AdminDeleteContentSource($id: ID!) {
    deleteContentSource(id: $id)
  }
`);

type Source = AdminContentSourcesQuery['contentSources'][number];

/** The AEM services HQ takes content from: their health for HQ people, adding, changing, testing for HQ admins. */
export function AemSourcesPage() {
  const { hasRole } = useSession();
  const canManage = hasRole(...SOURCE_MANAGERS);
  const [res, reexecute] = useQuery({
    query: AdminContentSources,
    requestPolicy: 'cache-and-network',
    context: SOURCE_CONTEXT,
  });
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Source | null>(null);
  const [removing, setRemoving] = useState<Source | null>(null);
  const [removal, remove] = useMutation(AdminDeleteContentSource);
  const toast = useToast();

  const sources = res.data?.contentSources;
  if (res.error && !sources) {
    return <ErrorNotice error={res.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />;
  }
  if (!sources) return <Loading label="Loading the AEM sources…" />;

  return (
    <>
      <div className="admin-toolbar">
        <p className="muted admin-intro">
          Adobe Experience Manager services HQ takes pages, assets and content fragments from. Every read checks the
          connection; the sign-in secrets are stored encrypted and never shown again.
          {canManage ? null : ' Only HQ administrators change them.'}
        </p>
        {canManage ? (
          <Button variant="primary" onClick={() => setAdding(true)}>
            Add AEM source
          </Button>
        ) : null}
      </div>
      {sources.length ? (
        <ul className="aem-sources" aria-label="AEM sources">
          {sources.map((s) => (
            <SourceCard
              key={s.id}
              source={s}
              canManage={canManage}
              onEdit={() => setEditing(s)}
              onRemove={() => setRemoving(s)}
            />
          ))}
        </ul>
      ) : (
        <Empty title="No AEM source yet.">
          {canManage
            ? 'Add one to pick AEM content in the campaign editor.'
            : 'An HQ administrator adds them; until then, there is no AEM content to pick.'}
        </Empty>
      )}
      {adding ? <SourceDialog onClose={() => setAdding(false)} /> : null}
      {editing ? <SourceDialog source={editing} onClose={() => setEditing(null)} /> : null}
      <ConfirmDialog
        open={!!removing}
        title={`Remove ${removing?.name ?? ''}?`}
        confirmLabel="Remove source"
        danger
        busy={removal.fetching}
        error={removal.error}
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          const r = await remove({ id: removing.id }, SOURCE_CONTEXT);
          if (!r.error) {
            toast.success(`${removing.name} is removed`, { topic: `aem-source:${removing.id}` });
            setRemoving(null);
          }
        }}
      >
        <p>
          HQ can no longer pick content from {removing?.baseUrl}, and its stored secret is deleted. This cannot be
          undone: to use it again, add it again with its secret.
        </p>
      </ConfirmDialog>
    </>
  );
}

function SourceCard({
  source,
  canManage,
  onEdit,
  onRemove,
}: {
  source: Source;
  canManage: boolean;
  onEdit: () => void;
  onRemove: () => void;
}) {
  const toast = useToast();
  const headingId = useId();
  const [testing, test] = useMutation(AdminTestContentSource);
  // The last test's answer, said in the card's live region (the reason is on screen just above it already), for the
  // version of the source it tested: a saved edit makes it stale.
  const [result, setTested] = useState<{ ok: boolean; reason: string | null; version: string } | null>(null);
  const tested = result?.version === source.updatedAt ? result : null;
  const health = describeHealth(source.health, formatDateTime);
  const auth = authKindInfo(source.authKind);

  const runTest = async () => {
    setTested(null);
    const r = await test({ id: source.id }, SOURCE_CONTEXT);
    const after = r.data?.testContentSource.health;
    const version = r.data?.testContentSource.updatedAt ?? '';
    if (r.error || !after) {
      toast.error(`${source.name} could not be tested`, r.error, { topic: `aem-source:${source.id}` });
      return;
    }
    if (after.status === 'OK') {
      setTested({ ok: true, reason: null, version });
      toast.success(`${source.name}: the connection works`, { topic: `aem-source:${source.id}` });
    } else {
      setTested({ ok: false, reason: describeHealth(after, formatDateTime).problem, version });
    }
  };

  return (
    <li className="aem-source" aria-labelledby={headingId} data-source-name={source.name}>
      <div className="aem-source-head">
        <h2 id={headingId} className="aem-source-name">
          {source.name}
        </h2>
        <StatusBadge status={health.status} label={health.label} />
      </div>
      <dl className="aem-source-facts">
        <div>
          <dt>Address</dt>
          <dd className="aem-source-url">{source.baseUrl}</dd>
        </div>
        <div>
          <dt>Sign-in</dt>
          <dd>
            {auth.label}
            {source.authKind === 'BASIC' && source.username ? (
              <span className="admin-sub">as {source.username}</span>
            ) : null}
          </dd>
        </div>
        {auth.secretLabel ? (
          <div>
            <dt>{auth.secretLabel}</dt>
            <dd>{source.hasSecret ? 'Stored, never shown' : <span className="field-error">Missing</span>}</dd>
          </div>
        ) : null}
      </dl>
      <div className="aem-source-health">
        <p className="aem-source-summary">{health.summary}</p>
        {health.problem ? (
          <div className="notice notice--error aem-source-problem" data-error-code={source.health.lastErrorCode}>
            <p className="notice-title">{health.problem}</p>
            <details className="notice-more">
              <summary>Details</summary>
              <p>
                Code <code className="notice-code">{source.health.lastErrorCode ?? 'UNKNOWN'}</code>
                {source.health.circuitState === 'OPEN' ? ' · reads paused (circuit open)' : null}
              </p>
              {source.health.lastErrorMessage ? (
                <p className="aem-source-message">{source.health.lastErrorMessage}</p>
              ) : null}
            </details>
          </div>
        ) : null}
        <p className="aem-source-tested" role="status" aria-live="polite">
          {tested?.ok ? 'Connection works: AEM answered just now.' : null}
          {tested && !tested.ok ? (
            <>
              Connection failed just now.
              {tested.reason ? <span className="visually-hidden"> {tested.reason}</span> : null}
            </>
          ) : null}
        </p>
      </div>
      {canManage ? (
        <div className="row aem-source-actions">
          <Button
            variant="primary"
            busy={testing.fetching}
            aria-label={`Test connection to ${source.name}`}
            onClick={() => void runTest()}
          >
            Test connection
          </Button>
          <Button aria-label={`Edit ${source.name}`} onClick={onEdit}>
            Edit
          </Button>
          <Button variant="danger" aria-label={`Remove ${source.name}`} onClick={onRemove}>
            Remove
          </Button>
        </div>
      ) : null}
    </li>
  );
}

/** Adds a source, or edits `source`: the secret field starts empty and, left empty, keeps the stored secret. */
function SourceDialog({ source, onClose }: { source?: Source; onClose: () => void }) {
  const toast = useToast();
  const [form, setForm] = useState<SourceForm>(() => (source ? sourceFormFrom(source) : emptySourceForm()));
  const [problems, setProblems] = useState<SourceProblems>({});
  const [notice, setNotice] = useState<CombinedError | null>(null);
  const [created, create] = useMutation(AdminCreateContentSource);
  const [updated, update] = useMutation(AdminUpdateContentSource);
  const kindName = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const info = authKindInfo(form.authKind);
  // A refused save takes the keyboard to the first field to correct (its message is read with it).
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [problems]);
  const keepsSecret = !!source && source.authKind === form.authKind && source.hasSecret;
  const set = <K extends keyof SourceForm>(key: K, value: SourceForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    const p = sourceProblems(form, source);
    setProblems(p);
    if (Object.keys(p).length) return;
    let error: CombinedError | undefined;
    if (source) {
      const input = updateInput(source.id, form, source);
      if (!hasChanges(input)) {
        onClose();
        return;
      }
      error = (await update({ input }, SOURCE_CONTEXT)).error;
    } else {
      error = (await create({ input: createInput(form) }, SOURCE_CONTEXT)).error;
    }
    if (error) {
      const server = serverFieldProblems(error.graphQLErrors);
      setProblems(server.fields);
      if (server.rest || error.networkError || !Object.keys(server.fields).length) setNotice(error);
      return;
    }
    toast.success(
      source
        ? `${form.name.trim()} is saved. Test the connection to check it.`
        : `${form.name.trim()} is added. Test the connection to check it.`,
    );
    onClose();
  };

  return (
    <Dialog
      open
      title={source ? `Edit ${source.name}` : 'Add AEM source'}
      onClose={onClose}
      description={
        source
          ? 'Secrets are never shown: leave the secret empty to keep the stored one.'
          : 'An AEM author or publish service, and how the platform signs in to it.'
      }
    >
      <form
        ref={formRef}
        className="stack aem-source-form"
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-label="AEM source"
      >
        <Field label="Name" required error={problems.name} hint="How HQ people see it in the AEM picker">
          <input value={form.name} autoComplete="off" onChange={(e) => set('name', e.target.value)} />
        </Field>
        <Field
          label="Base URL"
          required
          error={problems.baseUrl}
          hint="The service’s address, e.g. https://author-p123-e456.adobeaemcloud.com"
        >
          <input
            type="url"
            inputMode="url"
            value={form.baseUrl}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => set('baseUrl', e.target.value)}
          />
        </Field>
        <fieldset aria-describedby={problems.authKind ? `${kindName}-error` : undefined}>
          <legend>How the platform signs in</legend>
          <div className="admin-options">
            {AUTH_KINDS.map((k) => (
              <label key={k.kind} className="admin-option">
                <input
                  type="radio"
                  name={kindName}
                  value={k.kind}
                  checked={form.authKind === k.kind}
                  onChange={() => set('authKind', k.kind as AemAuthKind)}
                />
                <span>
                  <strong>{k.label}</strong>
                  <span className="muted admin-option-hint">{k.hint}</span>
                </span>
              </label>
            ))}
          </div>
          {problems.authKind ? (
            <p id={`${kindName}-error`} className="field-error">
              {problems.authKind}
            </p>
          ) : null}
        </fieldset>
        {form.authKind === 'BASIC' ? (
          <Field label="AEM user" required error={problems.username}>
            <input
              value={form.username}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => set('username', e.target.value)}
            />
          </Field>
        ) : null}
        {info.secretLabel ? (
          <Field
            label={info.secretLabel}
            required={!keepsSecret}
            error={problems.secret}
            hint={
              keepsSecret
                ? `A ${info.secretLabel.toLowerCase()} is stored. Leave this empty to keep it, or enter a new one.`
                : 'Stored encrypted; never shown again.'
            }
          >
            {info.multiline ? (
              <textarea
                rows={6}
                value={form.secret}
                autoComplete="off"
                spellCheck={false}
                placeholder={keepsSecret ? 'Unchanged' : '{ "integration": { … } }'}
                onChange={(e) => set('secret', e.target.value)}
              />
            ) : (
              <input
                type="password"
                value={form.secret}
                autoComplete="new-password"
                placeholder={keepsSecret ? 'Unchanged' : undefined}
                onChange={(e) => set('secret', e.target.value)}
              />
            )}
          </Field>
        ) : null}
        {source && source.authKind !== form.authKind && authKindInfo(source.authKind).secretLabel ? (
          <Notice kind="warning">
            Saving replaces the stored {authKindInfo(source.authKind).secretLabel?.toLowerCase()}.
          </Notice>
        ) : null}
        <ErrorNotice error={notice} />
        <div className="dialog-actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={created.fetching || updated.fetching}>
            {source ? 'Save changes' : 'Add source'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
