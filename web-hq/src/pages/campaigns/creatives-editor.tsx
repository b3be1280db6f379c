import { useRef, useState } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import {
  Button,
  Dialog,
  Empty,
  ErrorNotice,
  Field,
  Loading,
  Pager,
  StatusBadge,
  formatBytes,
  formatDuration,
  useCursorPager,
  useDebounced,
  useToast,
} from '../../ui';
import { AemPickerButton } from './aem-picker';
import { CreativeVariantsButton } from './creative-variants';
import { kindOf, mediaSize, mimeOf, uploadWithProgress, videoDurationMs, type UploadError } from './upload';

export const CreativeFieldsFragment = graphql(`
  fragment CreativeFields on Creative {
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
  }
`);

export interface CreativeInfo {
  id: string;
  name: string;
  kind: string;
  mimeType?: string | null;
  sizeBytes?: number | null;
  durationMs: number;
  url?: string | null;
  status: string;
  failureReason?: string | null;
  /** Display orientations it suits (its own, and those of its orientation versions); empty when unknown. */
  orientations?: readonly string[];
}

const CreateUploadMutation = graphql(`
  mutation CreateCreativeUpload($input: CreateCreativeUploadInput!) {
    createCreativeUpload(input: $input) {
      uploadUrl
      uploadMethod
      uploadHeaders {
        name
        value
      }
      creative {
        ...CreativeFields
      }
    }
  }
`);

const CompleteUploadMutation = graphql(`
  mutation CompleteCreativeUpload($id: ID!) {
    completeCreativeUpload(id: $id) {
      ...CreativeFields
    }
  }
`);

const CreativePickerQuery = graphql(`
  query CreativePicker($first: Int!, $after: String, $filter: CreativeFilter) {
    creatives(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...CreativeFields
        }
      }
    }
  }
`);

const CreativeQuery = graphql(`
  query CreativeById($id: ID!) {
    creative(id: $id) {
      ...CreativeFields
    }
  }
`);

/** How a creative looks: the image, the video (muted, with controls) or the HTML page in a sandbox. */
export function CreativePreview({ creative }: { creative: CreativeInfo }) {
  if (!creative.url) {
    return (
      <div className="creative-preview">
        <span>{creative.status === 'READY' ? 'No preview' : 'Not uploaded yet'}</span>
      </div>
    );
  }
  // An AEM creative plays its copy: an asset's rendition (image, video) or a fragment rendered as HTML.
  const kind =
    creative.kind === 'AEM'
      ? /^image\//.test(creative.mimeType ?? '')
        ? 'IMAGE'
        : /^video\//.test(creative.mimeType ?? '')
          ? 'VIDEO'
          : creative.mimeType === 'text/html'
            ? 'HTML'
            : 'AEM'
      : creative.kind;
  return (
    <div className="creative-preview">
      {kind === 'IMAGE' ? (
        <img src={creative.url} alt={`Preview of ${creative.name}`} loading="lazy" />
      ) : kind === 'VIDEO' ? (
        <video src={creative.url} controls muted preload="metadata" aria-label={`Preview of ${creative.name}`} />
      ) : kind === 'HTML' ? (
        <iframe src={creative.url} title={`Preview of ${creative.name}`} sandbox="allow-scripts" loading="lazy" />
      ) : (
        <span>AEM content</span>
      )}
    </div>
  );
}

function CreativeCard({
  id,
  known,
  index,
  count,
  disabled,
  onMove,
  onRemove,
}: {
  id: string;
  known?: CreativeInfo;
  index: number;
  count: number;
  disabled: boolean;
  onMove: (from: number, to: number) => void;
  onRemove: (id: string) => void;
}) {
  const [result] = useQuery({ query: CreativeQuery, variables: { id }, pause: !!known });
  const creative: CreativeInfo | null | undefined = known ?? result.data?.creative;
  const name = creative?.name ?? id;
  return (
    <li className="creative-card" data-creative-id={id}>
      {creative ? <CreativePreview creative={creative} /> : <div className="creative-preview" />}
      <div className="creative-body">
        <span className="creative-name">
          {index + 1}. {name}
        </span>
        {creative ? (
          <span className="row">
            <StatusBadge status={creative.status} />
            <span className="muted">
              {creative.kind.toLowerCase()} · {formatDuration(creative.durationMs)}
              {creative.sizeBytes ? ` · ${formatBytes(creative.sizeBytes)}` : ''}
            </span>
          </span>
        ) : result.fetching ? (
          <Loading label="Loading creative…" />
        ) : (
          <span className="muted">Unknown creative</span>
        )}
        {creative?.failureReason ? <span className="field-error">{creative.failureReason}</span> : null}
      </div>
      {!disabled ? (
        <div className="creative-actions">
          <Button
            className="button--small"
            disabled={index === 0}
            onClick={() => onMove(index, index - 1)}
            aria-label={`Move ${name} earlier`}
          >
            ↑ Earlier
          </Button>
          <Button
            className="button--small"
            disabled={index === count - 1}
            onClick={() => onMove(index, index + 1)}
            aria-label={`Move ${name} later`}
          >
            ↓ Later
          </Button>
          <Button className="button--small" onClick={() => onRemove(id)} aria-label={`Remove ${name}`}>
            Remove
          </Button>
          {creative?.status === 'READY' && creative.kind !== 'AEM' && creative.kind !== 'QUEUE_BOARD' ? (
            <CreativeVariantsButton creativeId={id} name={name} />
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

interface UploadState {
  name: string;
  progress: number;
  phase: 'preparing' | 'uploading' | 'verifying';
}

/** Upload: createCreativeUpload → XHR PUT to the presigned URL (progress) → completeCreativeUpload. */
export function UploadCreative({
  onUploaded,
  hint: what = 'It is added to this campaign when verified.',
}: {
  onUploaded: (c: CreativeInfo) => void;
  /** What happens to the upload, after the kinds of file taken */
  hint?: string;
}) {
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const [, createUpload] = useMutation(CreateUploadMutation);
  const [, completeUpload] = useMutation(CompleteUploadMutation);
  const [state, setState] = useState<UploadState | null>(null);
  const [error, setError] = useState<CombinedError | Error | null>(null);
  const [hint, setHint] = useState<string | null>(null);

  const upload = async (file: File) => {
    setError(null);
    setHint(null);
    const mimeType = mimeOf(file);
    const kind = kindOf(mimeType, file.name);
    if (!kind) {
      setHint(`“${file.name}” is not an image, a video or an HTML page.`);
      return;
    }
    const name = file.name.replace(/\.[^.]+$/, '') || file.name;
    setState({ name, progress: 0, phase: 'preparing' });
    try {
      const durationMs = kind === 'VIDEO' ? await videoDurationMs(file) : undefined;
      const size = await mediaSize(file, kind);
      const created = await createUpload({
        input: { name, kind, mimeType, sizeBytes: file.size, durationMs, ...size },
      });
      if (created.error || !created.data) throw created.error ?? new Error('No upload URL');
      const { uploadUrl, uploadMethod, uploadHeaders, creative } = created.data.createCreativeUpload;
      setState({ name, progress: 0, phase: 'uploading' });
      await uploadWithProgress({
        url: uploadUrl,
        method: uploadMethod,
        headers: uploadHeaders,
        body: file,
        onProgress: (progress) => setState((s) => (s ? { ...s, progress } : s)),
      });
      setState({ name, progress: 1, phase: 'verifying' });
      const completed = await completeUpload({ id: creative.id });
      if (completed.error || !completed.data) throw completed.error ?? new Error('Upload not verified');
      const done = completed.data.completeCreativeUpload;
      if (done.status !== 'READY') throw new Error(done.failureReason ?? 'The upload did not verify');
      onUploaded(done);
      toast.success(`Uploaded “${done.name}”`);
    } catch (err) {
      setError(err as CombinedError | UploadError);
    } finally {
      setState(null);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <div className="stack">
      <Field
        label="Upload a creative"
        hint={`An image, a video or an HTML page (or a zip of one). ${what}`}
        error={hint}
      >
        <input
          ref={input}
          type="file"
          name="creative-file"
          accept="image/*,video/*,text/html,.html,.htm,.zip"
          disabled={!!state}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void upload(file);
          }}
        />
      </Field>
      {state ? (
        <div className="stack" aria-live="polite">
          <label htmlFor="upload-progress">
            {state.phase === 'preparing'
              ? `Preparing “${state.name}”…`
              : state.phase === 'uploading'
                ? `Uploading “${state.name}”: ${Math.round(state.progress * 100)}%`
                : `Verifying “${state.name}”…`}
          </label>
          <progress id="upload-progress" max={1} value={state.phase === 'preparing' ? undefined : state.progress} />
        </div>
      ) : null}
      <ErrorNotice error={error} />
    </div>
  );
}

function PickCreativeDialog({
  open,
  onClose,
  onPick,
  exclude,
}: {
  open: boolean;
  onClose: () => void;
  onPick: (c: CreativeInfo) => void;
  exclude: readonly string[];
}) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const pager = useCursorPager(10);
  const [result] = useQuery({
    query: CreativePickerQuery,
    variables: { first: 10, after: pager.after, filter: { search: q || null, status: 'READY' } },
    pause: !open,
  });
  const connection = result.data?.creatives;
  return (
    <Dialog open={open} title="Add an existing creative" onClose={onClose}>
      <Field label="Search creatives">
        <input
          type="search"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            pager.reset();
          }}
        />
      </Field>
      <ErrorNotice error={result.error} />
      {result.fetching && !connection ? <Loading label="Loading creatives…" /> : null}
      {connection && connection.edges.length === 0 ? <Empty title="No ready creative matches." /> : null}
      {connection && connection.edges.length > 0 ? (
        <ul className="stack" style={{ listStyle: 'none', padding: 0 }}>
          {connection.edges.map(({ node }) => (
            <li key={node.id} className="row" style={{ justifyContent: 'space-between' }}>
              <span>
                <strong>{node.name}</strong>{' '}
                <span className="muted">
                  {node.kind.toLowerCase()} · {formatDuration(node.durationMs)}
                </span>
              </span>
              <Button
                className="button--small"
                disabled={exclude.includes(node.id)}
                onClick={() => {
                  onPick(node);
                  onClose();
                }}
                aria-label={`Add ${node.name}`}
              >
                {exclude.includes(node.id) ? 'Added' : 'Add'}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      <Pager
        label="Creative pages"
        pageInfo={connection?.pageInfo}
        onNext={pager.next}
        onPrev={pager.prev}
        canPrev={pager.canPrev}
      />
    </Dialog>
  );
}

/** The campaign's creatives in play order: previews, reorder, remove, upload new, add existing. */
export function CreativesEditor({
  creativeIds,
  known,
  onChange,
  onKnown,
  disabled,
}: {
  creativeIds: readonly string[];
  known: Record<string, CreativeInfo>;
  onChange: (ids: string[]) => void;
  onKnown: (c: CreativeInfo) => void;
  disabled: boolean;
}) {
  const [picking, setPicking] = useState(false);
  const add = (c: CreativeInfo) => {
    onKnown(c);
    if (!creativeIds.includes(c.id)) onChange([...creativeIds, c.id]);
  };
  const move = (from: number, to: number) => {
    const next = [...creativeIds];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item!);
    onChange(next);
  };
  return (
    <div>
      {creativeIds.length === 0 ? (
        <Empty title="No creatives yet.">A campaign needs at least one ready creative to play.</Empty>
      ) : (
        <ol className="creatives" aria-label="Creatives in play order">
          {creativeIds.map((id, i) => (
            <CreativeCard
              key={id}
              id={id}
              known={known[id]}
              index={i}
              count={creativeIds.length}
              disabled={disabled}
              onMove={move}
              onRemove={(rid) => onChange(creativeIds.filter((x) => x !== rid))}
            />
          ))}
        </ol>
      )}
      {!disabled ? (
        <div className="grid-2" style={{ marginTop: 16 }}>
          <UploadCreative onUploaded={add} />
          <div className="row" style={{ alignItems: 'flex-start' }}>
            <Button onClick={() => setPicking(true)}>Add an existing creative…</Button>
            <AemPickerButton onPicked={add} />
          </div>
        </div>
      ) : null}
      <PickCreativeDialog open={picking} onClose={() => setPicking(false)} onPick={add} exclude={creativeIds} />
    </div>
  );
}
