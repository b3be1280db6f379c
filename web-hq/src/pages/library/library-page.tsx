import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { useSession } from '@phub/web-kit';
import { graphql } from '../../gql';
import type { CreativeKind, CreativeOrientation, CreativeSort, LibraryQuery } from '../../gql/graphql';
import {
  Button,
  ConnectionPager,
  Dialog,
  Empty,
  ErrorNotice,
  Field,
  Loading,
  Page,
  StatusBadge,
  formatBytes,
  formatDuration,
  statusLabel,
  useCursorPager,
  useDebounced,
  useToast,
} from '../../ui';
import { CreativePreview, UploadCreative } from '../campaigns/creatives-editor';
import {
  canManageCreative,
  describeSize,
  mayUpload,
  FIT_LABELS,
  parseTags,
  showFilter,
  type FitMode,
  type Show,
} from './library';
import './library.css';

const PAGE_SIZE = 12;

const LibraryDoc = graphql(`
  query Library($first: Int!, $after: String, $filter: CreativeFilter, $sort: CreativeSort) {
    creatives(first: $first, after: $after, filter: $filter, sort: $sort) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          kind
          mimeType
          sizeBytes
          durationMs
          url
          status
          failureReason
          width
          height
          orientation
          orientations
          fitMode
          tags
          archivedAt
          createdBy
          createdAt
          variants {
            locale
            orientation
          }
          usedBy {
            campaignId
            campaignName
            campaignStatus
            inRevision
          }
        }
      }
    }
  }
`);

const UpdateCreativeDoc = graphql(`
  mutation UpdateCreative($input: UpdateCreativeInput!) {
    updateCreative(input: $input) {
      id
      name
      tags
      fitMode
    }
  }
`);
const ArchiveCreativeDoc = graphql(`
  mutation ArchiveLibraryCreative($id: ID!) {
    archiveCreative(id: $id) {
      id
      archivedAt
    }
  }
`);
const RestoreCreativeDoc = graphql(`
  mutation RestoreLibraryCreative($id: ID!) {
    restoreCreative(id: $id) {
      id
      archivedAt
    }
  }
`);

type LibraryCreative = NonNullable<LibraryQuery['creatives']>['edges'][number]['node'];

const KINDS: CreativeKind[] = [
  'IMAGE' as CreativeKind,
  'VIDEO' as CreativeKind,
  'HTML' as CreativeKind,
  'AEM' as CreativeKind,
  'QUEUE_BOARD' as CreativeKind,
];
const KIND_LABELS: Record<string, string> = {
  IMAGE: 'Image',
  VIDEO: 'Video',
  HTML: 'HTML page',
  AEM: 'AEM content',
  QUEUE_BOARD: 'Queue board',
};

/** The tenant's creatives: find, rename, tag, archive, and see where each is used. */
export function LibraryPage() {
  const { viewer } = useSession();
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState('');
  const [orientation, setOrientation] = useState('');
  const [tag, setTag] = useState('');
  const [show, setShow] = useState<Show>('active');
  const [sort, setSort] = useState<'NAME' | 'NEWEST'>('NAME');
  const paging = useCursorPager(PAGE_SIZE);
  const q = useDebounced(search.trim(), 300);
  const tagQ = useDebounced(tag.trim(), 300);
  const [editing, setEditing] = useState<LibraryCreative | null>(null);
  const [result, refetch] = useQuery({
    query: LibraryDoc,
    variables: {
      first: PAGE_SIZE,
      after: paging.after,
      sort: sort as CreativeSort,
      filter: {
        search: q || null,
        kind: (kind || null) as CreativeKind | null,
        orientation: (orientation || null) as CreativeOrientation | null,
        tag: tagQ || null,
        ...showFilter(show),
      },
    },
  });
  const connection = result.data?.creatives;
  const filtered = !!(q || kind || orientation || tagQ || show !== 'active');
  const change =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      paging.reset();
    };

  return (
    <Page
      title="Media library"
      description="Every creative of your organisation: its size and shape, where it plays, and its tags."
    >
      {viewer && mayUpload(viewer.roles) ? (
        <details className="library-upload">
          <summary>Upload to the library</summary>
          <UploadCreative
            hint="It joins the library when verified, ready for any campaign."
            onUploaded={() => {
              paging.reset();
              refetch({ requestPolicy: 'network-only' });
            }}
          />
        </details>
      ) : null}
      <form role="search" className="filters" aria-label="Filter creatives" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search name or tag">
          <input
            type="search"
            value={search}
            onChange={(e) => change(setSearch)(e.target.value)}
            placeholder="e.g. autumn"
          />
        </Field>
        <Field label="Kind">
          <select value={kind} onChange={(e) => change(setKind)(e.target.value)}>
            <option value="">Any kind</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Shape">
          <select value={orientation} onChange={(e) => change(setOrientation)(e.target.value)}>
            <option value="">Any shape</option>
            <option value="LANDSCAPE">Landscape</option>
            <option value="PORTRAIT">Portrait</option>
            <option value="SQUARE">Square</option>
          </select>
        </Field>
        <Field label="Tag">
          <input value={tag} onChange={(e) => change(setTag)(e.target.value)} placeholder="e.g. window" />
        </Field>
        <Field label="Show">
          <select value={show} onChange={(e) => change(setShow)(e.target.value as Show)}>
            <option value="active">In the library</option>
            <option value="used">Used by a campaign</option>
            <option value="unused">Not used anywhere</option>
            <option value="archived">Archived</option>
          </select>
        </Field>
        <Field label="Order">
          <select value={sort} onChange={(e) => change(setSort)(e.target.value as 'NAME' | 'NEWEST')}>
            <option value="NAME">Name (A–Z)</option>
            <option value="NEWEST">Newest first</option>
          </select>
        </Field>
      </form>

      <ErrorNotice error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
      {result.fetching && !connection ? <Loading label="Loading creatives…" /> : null}
      {connection && connection.edges.length === 0 ? (
        <Empty title={filtered ? 'No creative matches these filters.' : 'The library is empty.'}>
          {filtered
            ? 'Clear the search or the filters to see more.'
            : 'Creatives uploaded in a campaign’s editor appear here.'}
        </Empty>
      ) : null}
      {connection && connection.edges.length > 0 ? (
        <ul className="library-grid" aria-label={`Creatives (${connection.totalCount})`}>
          {connection.edges.map(({ node }) => (
            <LibraryCard
              key={node.id}
              creative={node}
              canManage={!!viewer && canManageCreative(viewer, node)}
              onEdit={() => setEditing(node)}
            />
          ))}
        </ul>
      ) : null}
      <ConnectionPager connection={connection} paging={paging} label="Library pages" />
      {editing ? <EditCreativeDialog creative={editing} onClose={() => setEditing(null)} /> : null}
    </Page>
  );
}

function LibraryCard({
  creative: c,
  canManage,
  onEdit,
}: {
  creative: LibraryCreative;
  canManage: boolean;
  onEdit: () => void;
}) {
  const toast = useToast();
  const [archiving, archive] = useMutation(ArchiveCreativeDoc);
  const [restoring, restore] = useMutation(RestoreCreativeDoc);
  const [error, setError] = useState<CombinedError | null>(null);
  const versions = c.variants.map((v) => v.locale ?? `${(v.orientation ?? '').toLowerCase()} version`);
  const headingId = `creative-${c.id}`;
  return (
    <li className="library-card" data-creative-id={c.id} aria-labelledby={headingId}>
      {c.kind === 'QUEUE_BOARD' ? (
        // Built in: the player draws it from the store's live queue, there is no file to show.
        <div className="creative-preview">
          <span>Live queue board</span>
        </div>
      ) : (
        <CreativePreview creative={c} />
      )}
      <div className="library-body">
        <h2 className="library-name" id={headingId}>
          {c.name}
        </h2>
        <div className="row">
          {c.status !== 'READY' ? <StatusBadge status={c.status} /> : null}
          <span className="badge badge--neutral">{KIND_LABELS[c.kind] ?? c.kind}</span>
          {c.archivedAt ? <span className="badge badge--muted">Archived</span> : null}
        </div>
        <dl className="library-meta">
          <dt>Size</dt>
          <dd data-testid="creative-size">{c.kind === 'QUEUE_BOARD' ? 'Drawn to fit any screen' : describeSize(c)}</dd>
          <dt>Plays</dt>
          <dd>
            {formatDuration(c.durationMs)}
            {c.sizeBytes ? ` · ${formatBytes(c.sizeBytes)}` : ''}
          </dd>
          <dt>Fit</dt>
          <dd data-testid="creative-fit">{FIT_LABELS[c.fitMode as FitMode]}</dd>
          {versions.length ? (
            <>
              <dt>Versions</dt>
              <dd>{versions.join(', ')}</dd>
            </>
          ) : null}
          <dt>Tags</dt>
          <dd data-testid="creative-tags">
            {c.tags.length ? (
              <span className="chips">
                {c.tags.map((t) => (
                  <span key={t} className="tag">
                    {t}
                  </span>
                ))}
              </span>
            ) : (
              <span className="muted">None</span>
            )}
          </dd>
          <dt>Used in</dt>
          <dd data-testid="where-used">
            {c.usedBy.length ? (
              <ul className="plain-list">
                {c.usedBy.map((u) => (
                  <li key={u.campaignId}>
                    <Link to={`/campaigns/${u.campaignId}`}>{u.campaignName}</Link>{' '}
                    <span className="muted">
                      ({statusLabel(u.campaignStatus).toLowerCase()}
                      {u.inRevision ? ', in an edit under review' : ''})
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <span className="muted">No campaign</span>
            )}
          </dd>
        </dl>
        {c.failureReason ? <p className="field-error">{c.failureReason}</p> : null}
        {canManage ? (
          <div className="row">
            {!c.archivedAt ? (
              <Button className="button--small" onClick={onEdit} aria-label={`Edit ${c.name}`}>
                Edit
              </Button>
            ) : null}
            {c.archivedAt ? (
              <Button
                className="button--small"
                busy={restoring.fetching}
                aria-label={`Restore ${c.name}`}
                onClick={async () => {
                  setError(null);
                  const res = await restore({ id: c.id }, { additionalTypenames: ['Creative'] });
                  if (res.error) return setError(res.error);
                  toast.success(`“${c.name}” is back in the library.`);
                }}
              >
                Restore
              </Button>
            ) : (
              <Button
                className="button--small"
                busy={archiving.fetching}
                aria-label={`Archive ${c.name}`}
                onClick={async () => {
                  setError(null);
                  const res = await archive({ id: c.id }, { additionalTypenames: ['Creative'] });
                  if (res.error) return setError(res.error);
                  toast.success(
                    c.usedBy.length
                      ? `Archived “${c.name}”; the campaigns using it keep it until they are edited.`
                      : `Archived “${c.name}”.`,
                  );
                }}
              >
                Archive
              </Button>
            )}
          </div>
        ) : null}
        <ErrorNotice error={error} />
      </div>
    </li>
  );
}

function EditCreativeDialog({ creative, onClose }: { creative: LibraryCreative; onClose: () => void }) {
  const toast = useToast();
  const [name, setName] = useState(creative.name);
  const [tags, setTags] = useState(creative.tags.join(', '));
  const [fit, setFit] = useState(creative.fitMode as FitMode);
  const [saving, update] = useMutation(UpdateCreativeDoc);
  const [error, setError] = useState<CombinedError | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    if (!name.trim()) return setHint('A creative needs a name.');
    setHint(null);
    const res = await update(
      { input: { id: creative.id, name: name.trim(), tags: parseTags(tags), fitMode: fit as never } },
      { additionalTypenames: ['Creative'] },
    );
    if (res.error) return setError(res.error);
    toast.success(`Saved “${name.trim()}”.`);
    onClose();
  };
  return (
    <Dialog
      open
      title="Edit creative"
      description={`${describeSize(creative)}. Screens playing it follow a new fit at once.`}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" busy={saving.fetching} onClick={() => void save()}>
            Save
          </Button>
        </>
      }
    >
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Field label="Name" required error={hint}>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </Field>
        <Field label="Tags" hint="Separated by commas, e.g. autumn, window">
          <input value={tags} onChange={(e) => setTags(e.target.value)} />
        </Field>
        <Field label="On a screen of another shape">
          <select value={fit} onChange={(e) => setFit(e.target.value as FitMode)}>
            {(Object.keys(FIT_LABELS) as FitMode[]).map((f) => (
              <option key={f} value={f}>
                {FIT_LABELS[f]}
              </option>
            ))}
          </select>
        </Field>
        <ErrorNotice error={error} />
      </form>
    </Dialog>
  );
}
