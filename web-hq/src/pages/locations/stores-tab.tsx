import { useMemo, useState } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { LocationStoresQuery } from '../../gql/graphql';
import {
  Button,
  ConnectionPager,
  DataTable,
  ErrorNotice,
  Field,
  Loading,
  useCursorPager,
  useDebounced,
  useToast,
  type Column,
} from '../../ui';
import { ConfirmDialog, FormDialog, TagList, TagsField, tagsOrHint, useCanManage, useDialog } from './common';

const PAGE_SIZE = 20;

const StoresDoc = graphql(`
  query LocationStores($first: Int!, $after: String, $filter: StoreFilter) {
    stores(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          code
          timezone
          tags
          archivedAt
          region {
            id
            name
          }
          displays {
            id
          }
        }
      }
    }
    regions {
      id
      name
    }
  }
`);
const CreateStoreDoc = graphql(`
  mutation LocationCreateStore($input: CreateStoreInput!) {
    createStore(input: $input) {
      id
      name
    }
  }
`);
const UpdateStoreDoc = graphql(`
  mutation LocationUpdateStore($input: UpdateStoreInput!) {
    updateStore(input: $input) {
      id
      name
      code
      timezone
      tags
      region {
        id
        name
      }
    }
  }
`);
const ArchiveStoreDoc = graphql(`
  mutation LocationArchiveStore($id: ID!) {
    archiveStore(id: $id) {
      id
      archivedAt
    }
  }
`);

type StoreRow = NonNullable<LocationStoresQuery['stores']>['edges'][number]['node'];
type Region = LocationStoresQuery['regions'][number];

const TIMEZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['Europe/London', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'];
  }
})();

/** Stores: find, create, edit (name, code, time zone, region, tags) and archive. */
export function StoresTab() {
  const canManage = useCanManage();
  const [search, setSearch] = useState('');
  const [archived, setArchived] = useState(false);
  const q = useDebounced(search.trim(), 300);
  const paging = useCursorPager(PAGE_SIZE);
  const dialog = useDialog<StoreRow>();
  const [result, refetch] = useQuery({
    query: StoresDoc,
    variables: { first: PAGE_SIZE, after: paging.after, filter: { search: q || null, includeArchived: archived } },
  });
  const connection = result.data?.stores;
  const rows = connection?.edges.map((e) => e.node) ?? [];
  const columns: Column<StoreRow>[] = [
    { key: 'name', header: 'Store', rowHeader: true, render: (s) => s.name },
    { key: 'code', header: 'Code', render: (s) => <code>{s.code}</code> },
    { key: 'region', header: 'Region', render: (s) => s.region?.name ?? <span className="muted">None</span> },
    { key: 'tz', header: 'Time zone', render: (s) => s.timezone },
    { key: 'displays', header: 'Displays', render: (s) => s.displays.length },
    { key: 'tags', header: 'Tags', render: (s) => <TagList tags={s.tags} /> },
    {
      key: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      render: (s) =>
        s.archivedAt ? (
          <span className="badge badge--muted">Archived</span>
        ) : canManage ? (
          <span className="row">
            <Button className="button--small" aria-label={`Edit ${s.name}`} onClick={() => dialog.open('edit', s)}>
              Edit
            </Button>
            <Button
              className="button--small"
              aria-label={`Archive ${s.name}`}
              onClick={() => dialog.open('archive', s)}
            >
              Archive
            </Button>
          </span>
        ) : null,
    },
  ];
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  return (
    <div className="stack">
      <div className="locations-bar">
        <form role="search" className="filters" aria-label="Filter stores" onSubmit={(e) => e.preventDefault()}>
          <Field label="Search name or code">
            <input
              type="search"
              value={search}
              onChange={(e) => {
                setSearch(e.target.value);
                paging.reset();
              }}
            />
          </Field>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={archived}
              onChange={(e) => {
                setArchived(e.target.checked);
                paging.reset();
              }}
            />
            Show archived
          </label>
        </form>
        {canManage ? (
          <Button variant="primary" onClick={() => dialog.open('new')}>
            New store
          </Button>
        ) : null}
      </div>
      <ErrorNotice error={result.error} onRetry={refresh} />
      {result.fetching && !connection ? <Loading label="Loading stores…" /> : null}
      {connection ? (
        <DataTable
          caption={`Stores (${connection.totalCount})`}
          columns={columns}
          rows={rows}
          rowKey={(s) => s.id}
          empty={q ? 'No store matches this search.' : 'No stores yet.'}
        />
      ) : null}
      <ConnectionPager connection={connection} paging={paging} label="Store pages" />
      {dialog.state?.kind === 'new' || dialog.state?.kind === 'edit' ? (
        <StoreForm
          store={dialog.state.row}
          regions={result.data?.regions ?? []}
          onClose={dialog.close}
          onSaved={refresh}
        />
      ) : null}
      {dialog.state?.kind === 'archive' && dialog.state.row ? (
        <ArchiveStore store={dialog.state.row} onClose={dialog.close} />
      ) : null}
    </div>
  );
}

function StoreForm({
  store,
  regions,
  onClose,
  onSaved,
}: {
  store?: StoreRow;
  regions: readonly Region[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const toast = useToast();
  const [name, setName] = useState(store?.name ?? '');
  const [code, setCode] = useState(store?.code ?? '');
  const [timezone, setTimezone] = useState(store?.timezone ?? 'Europe/London');
  const [regionId, setRegionId] = useState(store?.region?.id ?? '');
  const [tags, setTags] = useState(store?.tags.join(', ') ?? '');
  const [hints, setHints] = useState<Record<string, string | null>>({});
  const [creating, create] = useMutation(CreateStoreDoc);
  const [updating, update] = useMutation(UpdateStoreDoc);
  const [error, setError] = useState<CombinedError | null>(null);
  const zones = useMemo(() => TIMEZONES, []);
  const save = async () => {
    setError(null);
    const parsed = tagsOrHint(tags);
    const next = {
      name: name.trim() ? null : 'A store needs a name.',
      code: /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(code.trim())
        ? null
        : 'Up to 32 letters, digits, _ or -, starting with a letter or digit.',
      timezone: zones.includes(timezone) || timezone === 'UTC' ? null : 'Choose a time zone such as Europe/London.',
      tags: parsed.hint,
    };
    setHints(next);
    if (Object.values(next).some(Boolean)) return;
    const fields = {
      name: name.trim(),
      code: code.trim(),
      timezone,
      regionId: regionId || null,
      tags: parsed.tags,
    };
    const res = store
      ? await update({ input: { id: store.id, ...fields } }, { additionalTypenames: ['Store'] })
      : await create({ input: fields }, { additionalTypenames: ['Store'] });
    if (res.error) return setError(res.error);
    toast.success(store ? `Saved “${fields.name}”.` : `Created the store “${fields.name}”.`);
    onSaved();
    onClose();
  };
  return (
    <FormDialog
      title={store ? `Edit ${store.name}` : 'New store'}
      saveLabel={store ? 'Save' : 'Create store'}
      busy={creating.fetching || updating.fetching}
      error={error}
      onSave={() => void save()}
      onClose={onClose}
    >
      <Field label="Name" required error={hints.name}>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
      </Field>
      <Field label="Code" required hint="Unique in your organisation, e.g. LON-02" error={hints.code}>
        <input value={code} onChange={(e) => setCode(e.target.value)} maxLength={32} />
      </Field>
      <Field label="Time zone" required hint="Schedules play in the store’s own time" error={hints.timezone}>
        <input value={timezone} onChange={(e) => setTimezone(e.target.value)} list="location-timezones" />
      </Field>
      <datalist id="location-timezones">
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <Field label="Region">
        <select value={regionId} onChange={(e) => setRegionId(e.target.value)}>
          <option value="">No region</option>
          {regions.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </Field>
      <TagsField value={tags} onChange={setTags} error={hints.tags} />
    </FormDialog>
  );
}

function ArchiveStore({ store, onClose }: { store: StoreRow; onClose: () => void }) {
  const toast = useToast();
  const [state, archive] = useMutation(ArchiveStoreDoc);
  const [error, setError] = useState<CombinedError | null>(null);
  return (
    <ConfirmDialog
      title={`Archive ${store.name}?`}
      confirmLabel="Archive store"
      busy={state.fetching}
      error={error}
      onClose={onClose}
      onConfirm={async () => {
        const res = await archive({ id: store.id }, { additionalTypenames: ['Store', 'Display'] });
        if (res.error) return setError(res.error);
        toast.success(`Archived “${store.name}” and its displays.`);
        onClose();
      }}
    >
      <p>
        Its {store.displays.length} displays are archived with it and stop playing campaigns. Campaigns and reports keep
        their history.
      </p>
    </ConfirmDialog>
  );
}
