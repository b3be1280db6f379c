import { useState } from 'react';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { LocationDisplaysQuery, LocationPickersQuery, Orientation } from '../../gql/graphql';
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
import { commonStore, selectionState, toggle, toggleAll } from './manage';

const PAGE_SIZE = 25;

const DisplaysDoc = graphql(`
  query LocationDisplays($first: Int!, $after: String, $filter: DisplayFilter) {
    displays(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          orientation
          tags
          placement
          archivedAt
          store {
            id
            name
          }
          zone {
            id
            name
          }
          groups {
            id
            name
          }
        }
      }
    }
  }
`);

/** What the forms and filters choose from: stores with their zones, and the display groups. */
export const PickersDoc = graphql(`
  query LocationPickers {
    stores(first: 100) {
      edges {
        node {
          id
          name
          zones {
            id
            name
          }
        }
      }
    }
    displayGroups(first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);
const CreateDisplayDoc = graphql(`
  mutation LocationCreateDisplay($input: CreateDisplayInput!) {
    createDisplay(input: $input) {
      id
      name
    }
  }
`);
const UpdateDisplayDoc = graphql(`
  mutation LocationUpdateDisplay($input: UpdateDisplayInput!) {
    updateDisplay(input: $input) {
      id
      name
      orientation
      tags
      placement
      zone {
        id
        name
      }
    }
  }
`);
const ArchiveDisplaysDoc = graphql(`
  mutation LocationArchiveDisplays($displayIds: [ID!]!) {
    archiveDisplays(displayIds: $displayIds) {
      id
      archivedAt
    }
  }
`);
const SetZoneDoc = graphql(`
  mutation LocationSetDisplaysZone($displayIds: [ID!]!, $zoneId: ID) {
    setDisplaysZone(displayIds: $displayIds, zoneId: $zoneId) {
      id
      zone {
        id
        name
      }
    }
  }
`);
const AddToGroupDoc = graphql(`
  mutation LocationAddDisplaysToGroup($groupId: ID!, $displayIds: [ID!]!) {
    addDisplaysToGroup(groupId: $groupId, displayIds: $displayIds) {
      id
      name
      displayCount
    }
  }
`);

type DisplayRow = NonNullable<LocationDisplaysQuery['displays']>['edges'][number]['node'];
type Pickers = LocationPickersQuery;
type Selected = Map<string, { id: string; name: string; storeId: string }>;

const ORIENTATION_LABELS: Record<string, string> = { LANDSCAPE: 'Landscape', PORTRAIT: 'Portrait' };

/** Displays: find, create, edit, archive, and act on many at once (group, zone, archive). */
export function DisplaysTab() {
  const canManage = useCanManage();
  const [search, setSearch] = useState('');
  const [storeId, setStoreId] = useState('');
  const [groupId, setGroupId] = useState('');
  const [archived, setArchived] = useState(false);
  const q = useDebounced(search.trim(), 300);
  const paging = useCursorPager(PAGE_SIZE);
  const dialog = useDialog<DisplayRow>();
  const [selected, setSelected] = useState<Selected>(new Map());
  const [pickers] = useQuery({ query: PickersDoc });
  const [result, refetch] = useQuery({
    query: DisplaysDoc,
    variables: {
      first: PAGE_SIZE,
      after: paging.after,
      filter: { search: q || null, storeId: storeId || null, groupId: groupId || null, includeArchived: archived },
    },
  });
  const connection = result.data?.displays;
  const rows = connection?.edges.map((e) => e.node) ?? [];
  const selectable = rows.filter((d) => !d.archivedAt);
  const shownIds = selectable.map((d) => d.id);
  const ids = new Set(selected.keys());
  const state = selectionState(ids, shownIds);
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  const setFilter =
    (set: (v: string) => void) =>
    (v: string): void => {
      set(v);
      paging.reset();
    };

  const columns: Column<DisplayRow>[] = [
    ...(canManage
      ? [
          {
            key: 'select',
            header: (
              <input
                type="checkbox"
                aria-label="Select every display shown"
                checked={state === 'all'}
                ref={(el) => {
                  if (el) el.indeterminate = state === 'some';
                }}
                disabled={!shownIds.length}
                onChange={() => {
                  const next = toggleAll(ids, shownIds);
                  setSelected(
                    new Map(
                      [...next].map((id) => {
                        const row = rows.find((r) => r.id === id);
                        return [id, selected.get(id) ?? { id, name: row!.name, storeId: row!.store.id }];
                      }),
                    ),
                  );
                }}
              />
            ),
            className: 'cell-check',
            render: (d: DisplayRow) =>
              d.archivedAt ? null : (
                <input
                  type="checkbox"
                  aria-label={`Select ${d.name} (${d.store.name})`}
                  checked={ids.has(d.id)}
                  onChange={() => {
                    const next = new Map(selected);
                    if (toggle(ids, d.id).has(d.id)) next.set(d.id, { id: d.id, name: d.name, storeId: d.store.id });
                    else next.delete(d.id);
                    setSelected(next);
                  }}
                />
              ),
          } satisfies Column<DisplayRow>,
        ]
      : []),
    { key: 'name', header: 'Display', rowHeader: true, render: (d) => d.name },
    { key: 'store', header: 'Store', render: (d) => d.store.name },
    { key: 'zone', header: 'Zone', render: (d) => d.zone?.name ?? <span className="muted">None</span> },
    { key: 'orientation', header: 'Shape', render: (d) => ORIENTATION_LABELS[d.orientation] ?? d.orientation },
    {
      key: 'groups',
      header: 'Groups',
      render: (d) => (d.groups.length ? d.groups.map((g) => g.name).join(', ') : <span className="muted">None</span>),
    },
    { key: 'tags', header: 'Tags', render: (d) => <TagList tags={d.tags} /> },
    {
      key: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      render: (d) =>
        d.archivedAt ? (
          <span className="badge badge--muted">Archived</span>
        ) : canManage ? (
          <span className="row">
            <Button className="button--small" aria-label={`Edit ${d.name}`} onClick={() => dialog.open('edit', d)}>
              Edit
            </Button>
            <Button
              className="button--small"
              aria-label={`Archive ${d.name}`}
              onClick={() => dialog.open('archive', d)}
            >
              Archive
            </Button>
          </span>
        ) : null,
    },
  ];

  const stores = pickers.data?.stores.edges.map((e) => e.node) ?? [];
  const groups = pickers.data?.displayGroups.edges.map((e) => e.node) ?? [];
  return (
    <div className="stack">
      <div className="locations-bar">
        <form role="search" className="filters" aria-label="Filter displays" onSubmit={(e) => e.preventDefault()}>
          <Field label="Search name">
            <input type="search" value={search} onChange={(e) => setFilter(setSearch)(e.target.value)} />
          </Field>
          <Field label="Store">
            <select value={storeId} onChange={(e) => setFilter(setStoreId)(e.target.value)}>
              <option value="">Every store</option>
              {stores.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Group">
            <select value={groupId} onChange={(e) => setFilter(setGroupId)(e.target.value)}>
              <option value="">Any group</option>
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
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
            New display
          </Button>
        ) : null}
      </div>
      {canManage && selected.size ? (
        <BulkBar
          selected={selected}
          pickers={pickers.data}
          onDone={(keep) => {
            if (!keep) setSelected(new Map());
            refresh();
          }}
          onClear={() => setSelected(new Map())}
        />
      ) : null}
      <ErrorNotice error={result.error ?? pickers.error} onRetry={refresh} />
      {result.fetching && !connection ? <Loading label="Loading displays…" /> : null}
      {connection ? (
        <DataTable
          caption={`Displays (${connection.totalCount})`}
          columns={columns}
          rows={rows}
          rowKey={(d) => d.id}
          empty="No display matches these filters."
        />
      ) : null}
      <ConnectionPager connection={connection} paging={paging} label="Display pages" />
      {dialog.state?.kind === 'new' || dialog.state?.kind === 'edit' ? (
        <DisplayForm display={dialog.state.row} pickers={pickers.data} onClose={dialog.close} onSaved={refresh} />
      ) : null}
      {dialog.state?.kind === 'archive' && dialog.state.row ? (
        <ArchiveDisplays
          displays={[{ id: dialog.state.row.id, name: dialog.state.row.name }]}
          onClose={dialog.close}
          onDone={refresh}
        />
      ) : null}
    </div>
  );
}

function BulkBar({
  selected,
  pickers,
  onDone,
  onClear,
}: {
  selected: Selected;
  pickers: Pickers | undefined;
  onDone: (keepSelection: boolean) => void;
  onClear: () => void;
}) {
  const toast = useToast();
  const client = useClient();
  const [groupId, setGroupId] = useState('');
  const [zoneId, setZoneId] = useState('');
  const [archiving, setArchiving] = useState(false);
  const [busy, setBusy] = useState<'group' | 'zone' | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const list = [...selected.values()];
  const storeId = commonStore(list);
  const zones = pickers?.stores.edges.find((e) => e.node.id === storeId)?.node.zones ?? [];
  const groups = pickers?.displayGroups.edges.map((e) => e.node) ?? [];
  const n = list.length;
  const noun = n === 1 ? 'display' : 'displays';

  const addToGroup = async () => {
    if (!groupId) return;
    setBusy('group');
    setError(null);
    const res = await client
      .mutation(AddToGroupDoc, { groupId, displayIds: list.map((d) => d.id) }, { additionalTypenames: ['Display'] })
      .toPromise();
    setBusy(null);
    if (res.error) return setError(res.error);
    toast.success(`Added ${n} ${noun} to “${res.data!.addDisplaysToGroup.name}”.`);
    onDone(true);
  };
  // One request for all of them: all or none, and one refresh of the list.
  const setZone = async () => {
    setBusy('zone');
    setError(null);
    const res = await client
      .mutation(
        SetZoneDoc,
        { displayIds: list.map((d) => d.id), zoneId: zoneId || null },
        { additionalTypenames: ['Display'] },
      )
      .toPromise();
    setBusy(null);
    if (res.error) return setError(res.error);
    toast.success(zoneId ? `Moved ${n} ${noun}.` : `Took ${n} ${noun} out of their zone.`);
    onDone(true);
  };

  return (
    <section className="bulk-bar" aria-label="Bulk actions">
      <p className="bulk-count" role="status">
        <strong>{n}</strong> {noun} selected
      </p>
      <div className="bulk-actions">
        <Field label="Add to group">
          <select value={groupId} onChange={(e) => setGroupId(e.target.value)}>
            <option value="">Choose a group</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </Field>
        <Button disabled={!groupId} busy={busy === 'group'} onClick={() => void addToGroup()}>
          Add to group
        </Button>
        <Field label="Zone" hint={storeId ? undefined : 'Select displays of one store to set their zone'}>
          <select value={zoneId} disabled={!storeId} onChange={(e) => setZoneId(e.target.value)}>
            <option value="">No zone</option>
            {zones.map((z) => (
              <option key={z.id} value={z.id}>
                {z.name}
              </option>
            ))}
          </select>
        </Field>
        <Button disabled={!storeId} busy={busy === 'zone'} onClick={() => void setZone()}>
          Set zone
        </Button>
        <Button variant="danger" onClick={() => setArchiving(true)}>
          Archive {n} {noun}
        </Button>
        <Button variant="ghost" onClick={onClear}>
          Clear selection
        </Button>
      </div>
      <ErrorNotice error={error} />
      {archiving ? (
        <ArchiveDisplays displays={list} onClose={() => setArchiving(false)} onDone={() => onDone(false)} />
      ) : null}
    </section>
  );
}

function ArchiveDisplays({
  displays,
  onClose,
  onDone,
}: {
  displays: { id: string; name: string }[];
  onClose: () => void;
  onDone: () => void;
}) {
  const toast = useToast();
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | null>(null);
  const one = displays.length === 1 ? displays[0]! : null;
  return (
    <ConfirmDialog
      title={one ? `Archive ${one.name}?` : `Archive ${displays.length} displays?`}
      confirmLabel={one ? 'Archive display' : `Archive ${displays.length} displays`}
      busy={busy}
      onClose={onClose}
      error={error}
      onConfirm={async () => {
        setBusy(true);
        const res = await client
          .mutation(ArchiveDisplaysDoc, { displayIds: displays.map((d) => d.id) }, { additionalTypenames: ['Display'] })
          .toPromise();
        setBusy(false);
        if (res.error) return setError(res.error);
        toast.success(one ? `Archived “${one.name}”.` : `Archived ${displays.length} displays.`);
        onDone();
        onClose();
      }}
    >
      <p>
        {one ? 'It stops' : 'They stop'} playing campaigns and {one ? 'leaves' : 'leave'} the fleet; reports keep{' '}
        {one ? 'its' : 'their'} history.
      </p>
      {!one ? (
        <ul className="plain-list">
          {displays.slice(0, 8).map((d) => (
            <li key={d.id}>{d.name}</li>
          ))}
          {displays.length > 8 ? <li>and {displays.length - 8} more</li> : null}
        </ul>
      ) : null}
    </ConfirmDialog>
  );
}

function DisplayForm({
  display,
  pickers,
  onClose,
  onSaved,
}: {
  display?: DisplayRow;
  pickers: Pickers | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const toast = useToast();
  const stores = pickers?.stores.edges.map((e) => e.node) ?? [];
  const [storeId, setStoreId] = useState(display?.store.id ?? '');
  const [name, setName] = useState(display?.name ?? '');
  const [orientation, setOrientation] = useState<string>(display?.orientation ?? 'LANDSCAPE');
  const [zoneId, setZoneId] = useState(display?.zone?.id ?? '');
  const [placement, setPlacement] = useState(display?.placement ?? '');
  const [tags, setTags] = useState(display?.tags.join(', ') ?? '');
  const [hints, setHints] = useState<Record<string, string | null>>({});
  const [creating, create] = useMutation(CreateDisplayDoc);
  const [updating, update] = useMutation(UpdateDisplayDoc);
  const [error, setError] = useState<CombinedError | null>(null);
  const zones = stores.find((s) => s.id === storeId)?.zones ?? [];
  const save = async () => {
    setError(null);
    const parsed = tagsOrHint(tags);
    const next = {
      name: name.trim() ? null : 'A display needs a name.',
      store: storeId ? null : 'Choose the store it stands in.',
      tags: parsed.hint,
    };
    setHints(next);
    if (Object.values(next).some(Boolean)) return;
    const fields = {
      name: name.trim(),
      orientation: orientation as Orientation,
      zoneId: zoneId || null,
      placement: placement.trim() || null,
      tags: parsed.tags,
    };
    const res = display
      ? await update(
          { input: { id: display.id, ...(storeId !== display.store.id ? { storeId } : {}), ...fields } },
          { additionalTypenames: ['Display'] },
        )
      : await create({ input: { storeId, ...fields } }, { additionalTypenames: ['Display'] });
    if (res.error) return setError(res.error);
    toast.success(display ? `Saved “${fields.name}”.` : `Created the display “${fields.name}”.`);
    onSaved();
    onClose();
  };
  return (
    <FormDialog
      title={display ? `Edit ${display.name}` : 'New display'}
      saveLabel={display ? 'Save' : 'Create display'}
      busy={creating.fetching || updating.fetching}
      error={error}
      onSave={() => void save()}
      onClose={onClose}
    >
      <Field label="Name" required error={hints.name}>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
      </Field>
      <Field label="Store" required error={hints.store}>
        <select
          value={storeId}
          onChange={(e) => {
            setStoreId(e.target.value);
            setZoneId('');
          }}
        >
          <option value="">Choose a store</option>
          {stores.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Zone">
        <select value={zoneId} onChange={(e) => setZoneId(e.target.value)} disabled={!storeId}>
          <option value="">No zone</option>
          {zones.map((z) => (
            <option key={z.id} value={z.id}>
              {z.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Shape">
        <select value={orientation} onChange={(e) => setOrientation(e.target.value)}>
          <option value="LANDSCAPE">Landscape</option>
          <option value="PORTRAIT">Portrait</option>
        </select>
      </Field>
      <Field label="Placement" hint="Where in the store, e.g. entrance, left wall">
        <input value={placement} onChange={(e) => setPlacement(e.target.value)} maxLength={200} />
      </Field>
      <TagsField value={tags} onChange={setTags} error={hints.tags} />
    </FormDialog>
  );
}
