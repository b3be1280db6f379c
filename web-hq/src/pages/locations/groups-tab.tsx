import { useState } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { LocationGroupsQuery } from '../../gql/graphql';
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

const GroupsDoc = graphql(`
  query LocationGroups($first: Int!, $after: String, $filter: DisplayGroupFilter) {
    displayGroups(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          description
          tags
          archivedAt
          displayCount
          displays {
            id
            name
            store {
              id
              name
            }
          }
        }
      }
    }
  }
`);
const CreateGroupDoc = graphql(`
  mutation LocationCreateGroup($input: CreateDisplayGroupInput!) {
    createDisplayGroup(input: $input) {
      id
      name
    }
  }
`);
const UpdateGroupDoc = graphql(`
  mutation LocationUpdateGroup($input: UpdateDisplayGroupInput!) {
    updateDisplayGroup(input: $input) {
      id
      name
      description
      tags
    }
  }
`);
const ArchiveGroupDoc = graphql(`
  mutation LocationArchiveGroup($id: ID!) {
    archiveDisplayGroup(id: $id) {
      id
      archivedAt
    }
  }
`);
const RestoreGroupDoc = graphql(`
  mutation LocationRestoreGroup($id: ID!) {
    restoreDisplayGroup(id: $id) {
      id
      archivedAt
    }
  }
`);
const RemoveFromGroupDoc = graphql(`
  mutation LocationRemoveFromGroup($groupId: ID!, $displayIds: [ID!]!) {
    removeDisplaysFromGroup(groupId: $groupId, displayIds: $displayIds) {
      id
      displayCount
    }
  }
`);

type GroupRow = NonNullable<LocationGroupsQuery['displayGroups']>['edges'][number]['node'];

/** Display groups: named sets of displays across stores. Displays join them from the Displays tab (bulk). */
export function GroupsTab() {
  const canManage = useCanManage();
  const toast = useToast();
  const [search, setSearch] = useState('');
  const [archived, setArchived] = useState(false);
  const q = useDebounced(search.trim(), 300);
  const paging = useCursorPager(PAGE_SIZE);
  const dialog = useDialog<GroupRow>();
  const [restoring, restore] = useMutation(RestoreGroupDoc);
  const [, remove] = useMutation(RemoveFromGroupDoc);
  const [error, setError] = useState<CombinedError | null>(null);
  const [result, refetch] = useQuery({
    query: GroupsDoc,
    variables: { first: PAGE_SIZE, after: paging.after, filter: { search: q || null, includeArchived: archived } },
  });
  const connection = result.data?.displayGroups;
  const rows = connection?.edges.map((e) => e.node) ?? [];
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  const columns: Column<GroupRow>[] = [
    {
      key: 'name',
      header: 'Group',
      rowHeader: true,
      render: (g) => (
        <>
          {g.name}
          {g.description ? <span className="muted group-description">{g.description}</span> : null}
        </>
      ),
    },
    {
      key: 'displays',
      header: 'Displays',
      render: (g) =>
        g.displays.length ? (
          <details className="group-members">
            <summary>
              {g.displayCount} {g.displayCount === 1 ? 'display' : 'displays'}
            </summary>
            <ul className="plain-list">
              {g.displays.map((d) => (
                <li key={d.id}>
                  {d.name} <span className="muted">({d.store.name})</span>
                  {canManage && !g.archivedAt ? (
                    <Button
                      variant="ghost"
                      className="button--small"
                      aria-label={`Remove ${d.name} from ${g.name}`}
                      onClick={async () => {
                        const res = await remove(
                          { groupId: g.id, displayIds: [d.id] },
                          { additionalTypenames: ['DisplayGroup', 'Display'] },
                        );
                        if (res.error) return setError(res.error);
                        toast.success(`Removed “${d.name}” from “${g.name}”.`);
                        refresh();
                      }}
                    >
                      Remove
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
          </details>
        ) : (
          <span className="muted">None yet</span>
        ),
    },
    { key: 'tags', header: 'Tags', render: (g) => <TagList tags={g.tags} /> },
    {
      key: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      render: (g) =>
        !canManage ? (
          g.archivedAt ? (
            <span className="badge badge--muted">Archived</span>
          ) : null
        ) : g.archivedAt ? (
          <span className="row">
            <span className="badge badge--muted">Archived</span>
            <Button
              className="button--small"
              busy={restoring.fetching}
              aria-label={`Restore ${g.name}`}
              onClick={async () => {
                setError(null);
                const res = await restore({ id: g.id }, { additionalTypenames: ['DisplayGroup'] });
                if (res.error) return setError(res.error);
                toast.success(`“${g.name}” is back.`);
                refresh();
              }}
            >
              Restore
            </Button>
          </span>
        ) : (
          <span className="row">
            <Button className="button--small" aria-label={`Edit ${g.name}`} onClick={() => dialog.open('edit', g)}>
              Edit
            </Button>
            <Button
              className="button--small"
              aria-label={`Archive ${g.name}`}
              onClick={() => dialog.open('archive', g)}
            >
              Archive
            </Button>
          </span>
        ),
    },
  ];
  return (
    <div className="stack">
      <div className="locations-bar">
        <form role="search" className="filters" aria-label="Filter display groups" onSubmit={(e) => e.preventDefault()}>
          <Field label="Search name">
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
            New group
          </Button>
        ) : null}
      </div>
      <ErrorNotice error={result.error ?? error} onRetry={refresh} />
      {result.fetching && !connection ? <Loading label="Loading groups…" /> : null}
      {connection ? (
        <DataTable
          caption={`Display groups (${connection.totalCount})`}
          columns={columns}
          rows={rows}
          rowKey={(g) => g.id}
          empty={
            q ? 'No group matches this search.' : 'No groups yet: create one, then add displays from the Displays tab.'
          }
        />
      ) : null}
      <ConnectionPager connection={connection} paging={paging} label="Group pages" />
      {dialog.state?.kind === 'new' || dialog.state?.kind === 'edit' ? (
        <GroupForm group={dialog.state.row} onClose={dialog.close} onSaved={refresh} />
      ) : null}
      {dialog.state?.kind === 'archive' && dialog.state.row ? (
        <ArchiveGroup group={dialog.state.row} onClose={dialog.close} onDone={refresh} />
      ) : null}
    </div>
  );
}

function GroupForm({ group, onClose, onSaved }: { group?: GroupRow; onClose: () => void; onSaved: () => void }) {
  const toast = useToast();
  const [name, setName] = useState(group?.name ?? '');
  const [description, setDescription] = useState(group?.description ?? '');
  const [tags, setTags] = useState(group?.tags.join(', ') ?? '');
  const [hints, setHints] = useState<Record<string, string | null>>({});
  const [creating, create] = useMutation(CreateGroupDoc);
  const [updating, update] = useMutation(UpdateGroupDoc);
  const [error, setError] = useState<CombinedError | null>(null);
  const save = async () => {
    setError(null);
    const parsed = tagsOrHint(tags);
    const next = { name: name.trim() ? null : 'A group needs a name.', tags: parsed.hint };
    setHints(next);
    if (Object.values(next).some(Boolean)) return;
    const fields = { name: name.trim(), description: description.trim() || null, tags: parsed.tags };
    const res = group
      ? await update({ input: { id: group.id, ...fields } }, { additionalTypenames: ['DisplayGroup'] })
      : await create({ input: fields }, { additionalTypenames: ['DisplayGroup'] });
    if (res.error) return setError(res.error);
    toast.success(group ? `Saved “${fields.name}”.` : `Created the group “${fields.name}”.`);
    onSaved();
    onClose();
  };
  return (
    <FormDialog
      title={group ? `Edit ${group.name}` : 'New display group'}
      saveLabel={group ? 'Save' : 'Create group'}
      busy={creating.fetching || updating.fetching}
      error={error}
      onSave={() => void save()}
      onClose={onClose}
    >
      <Field label="Name" required error={hints.name} hint="e.g. Window screens">
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
      </Field>
      <Field label="Description">
        <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} />
      </Field>
      <TagsField value={tags} onChange={setTags} error={hints.tags} />
    </FormDialog>
  );
}

function ArchiveGroup({ group, onClose, onDone }: { group: GroupRow; onClose: () => void; onDone: () => void }) {
  const toast = useToast();
  const [state, archive] = useMutation(ArchiveGroupDoc);
  const [error, setError] = useState<CombinedError | null>(null);
  return (
    <ConfirmDialog
      title={`Archive ${group.name}?`}
      confirmLabel="Archive group"
      busy={state.fetching}
      error={error}
      onClose={onClose}
      onConfirm={async () => {
        const res = await archive({ id: group.id }, { additionalTypenames: ['DisplayGroup'] });
        if (res.error) return setError(res.error);
        toast.success(`Archived “${group.name}”.`);
        onDone();
        onClose();
      }}
    >
      <p>
        Its {group.displayCount} displays keep playing; they stay in the group, so restoring it brings it back as it
        was.
      </p>
    </ConfirmDialog>
  );
}
