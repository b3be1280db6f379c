import { useEffect, useId, useState } from 'react';
import { createPortal } from 'react-dom';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { AemTemplate } from '../../gql/graphql';
import { Button, Dialog, Empty, ErrorNotice, Field, Loading, Notice, Tabs, useToast } from '../../ui';
import { folderTrail, fragmentGist, matchFragments, matchNodes, suggestedName } from './aem-content';
import type { CreativeInfo } from './creatives-editor';
import './aem-picker.css';

const AemSourcesQuery = graphql(`
  query AemPickerSources {
    contentSources {
      id
      name
      health {
        status
        lastErrorCode
      }
    }
  }
`);

const AemBrowseQuery = graphql(`
  query AemPickerBrowse($sourceId: ID!, $path: String!) {
    aemBrowse(sourceId: $sourceId, path: $path) {
      path
      parentPath
      nodes {
        name
        path
        title
        kind
        mimeType
      }
    }
  }
`);

const AemFragmentsQuery = graphql(`
  query AemPickerFragments($sourceId: ID!, $path: String, $first: Int, $after: String) {
    aemFragments(sourceId: $sourceId, path: $path, first: $first, after: $after) {
      cursor
      items {
        id
        path
        title
        modelId
        modified
        fields
      }
    }
  }
`);

const CreateAemCreativeMutation = graphql(`
  mutation PickAemCreative($input: CreateAemCreativeInput!) {
    createAemCreative(input: $input) {
      ...CreativeFields
    }
  }
`);

const AemCreativeStatusQuery = graphql(`
  query AemCreativeStatus($id: ID!) {
    creative(id: $id) {
      ...CreativeFields
    }
  }
`);

/** What HQ chose in AEM: an asset (its original rendition plays) or a content fragment (rendered by a template). */
interface Picked {
  kind: 'ASSET' | 'FRAGMENT';
  path: string;
  title: string | null;
  heading?: string;
  detail?: string;
  mimeType?: string | null;
}

const TEMPLATES: { value: AemTemplate; label: string }[] = [
  { value: 'HEADLINE_BODY_IMAGE_PRICE', label: 'Headline, body, image and price (full screen)' },
];

// Content is copied into the platform by the content service (over the bus): usually a second or two.
const COPY_WAIT_MS = 30_000;
const POLL_MS = 500;
const FRAGMENTS_PAGE = 20;

/** "Add from AEM…": browse and search a source's tree, pick an asset or a content fragment, add it as a creative. */
export function AemPickerButton({ onPicked }: { onPicked: (c: CreativeInfo) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Add from AEM…</Button>
      {/* Mounted only while open: every opening starts at the top of the tree with nothing chosen. */}
      {/* In a portal: the editor is a <form>, and the picker has a form of its own (forms never nest). */}
      {open
        ? createPortal(<AemPickerDialog onClose={() => setOpen(false)} onPicked={onPicked} />, document.body)
        : null}
    </>
  );
}

function AemPickerDialog({ onClose, onPicked }: { onClose: () => void; onPicked: (c: CreativeInfo) => void }) {
  const [sources] = useQuery({ query: AemSourcesQuery });
  const list = sources.data?.contentSources ?? [];
  const [sourceId, setSourceId] = useState<string | null>(null);
  const source = list.find((s) => s.id === sourceId) ?? list[0];
  const [picked, setPicked] = useState<Picked | null>(null);

  return (
    <Dialog
      open
      title="Add content from AEM"
      onClose={onClose}
      description="Pick an asset or a content fragment; it is copied into the platform and added to this campaign."
    >
      <div className="aem-picker">
        <ErrorNotice error={sources.error} />
        {sources.fetching && !sources.data ? <Loading label="Loading AEM sources…" /> : null}
        {sources.data && list.length === 0 ? (
          <Empty title="No AEM source is connected.">
            An HQ administrator connects one (base URL and credentials) before content can be picked from AEM.
          </Empty>
        ) : null}
        {source ? (
          <>
            <Field label="AEM source">
              <select value={source.id} onChange={(e) => (setSourceId(e.target.value), setPicked(null))}>
                {list.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                    {s.health.status === 'FAILING' ? ` (failing: ${s.health.lastErrorCode ?? 'error'})` : ''}
                  </option>
                ))}
              </select>
            </Field>
            {picked ? (
              <AddPicked
                sourceId={source.id}
                picked={picked}
                onBack={() => setPicked(null)}
                onAdded={(c) => {
                  onPicked(c);
                  onClose();
                }}
              />
            ) : (
              <AemBrowser key={source.id} sourceId={source.id} onPick={setPicked} />
            )}
          </>
        ) : null}
      </div>
    </Dialog>
  );
}

/** The tree of one source: a folder trail, a search over the folder, and its fragments or assets in tabs. */
function AemBrowser({ sourceId, onPick }: { sourceId: string; onPick: (p: Picked) => void }) {
  const [path, setPath] = useState('/content/dam');
  const [tab, setTab] = useState<'fragments' | 'assets'>('fragments');
  const [search, setSearch] = useState('');
  const [browse] = useQuery({ query: AemBrowseQuery, variables: { sourceId, path } });
  const level = browse.data?.aemBrowse;
  const folders = matchNodes(level?.nodes.filter((n) => n.kind === 'FOLDER') ?? [], search);
  const trail = folderTrail(path);
  const open = (p: string) => {
    setPath(p);
    setSearch('');
  };

  return (
    <div className="stack">
      <nav aria-label="AEM folder">
        <ol className="aem-trail">
          {trail.map((t, i) => (
            <li key={t.path}>
              {i === trail.length - 1 ? (
                <span aria-current="location">{t.name}</span>
              ) : (
                <button type="button" className="link-button" onClick={() => open(t.path)}>
                  {t.name}
                </button>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <Field label="Search this folder" hint="Names, titles and a fragment’s text; every word must match.">
        <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
      </Field>
      <ErrorNotice error={browse.error} />
      {browse.fetching && !level ? <Loading label="Reading the folder from AEM…" /> : null}
      {folders.length > 0 ? (
        <ul className="aem-folders" aria-label="Folders">
          {folders.map((f) => (
            <li key={f.path}>
              <Button
                className="button--small"
                onClick={() => open(f.path)}
                aria-label={`Open folder ${f.title ?? f.name}`}
              >
                <span aria-hidden="true">▸ </span>
                {f.title ?? f.name}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      <Tabs
        label="What to pick"
        tabs={[
          { id: 'fragments', label: 'Content fragments' },
          { id: 'assets', label: 'Assets' },
        ]}
        selected={tab}
        onSelect={(id) => setTab(id as 'fragments' | 'assets')}
      >
        {tab === 'fragments' ? (
          <FragmentList sourceId={sourceId} path={path} search={search} onPick={onPick} />
        ) : (
          <AssetList nodes={level?.nodes ?? []} search={search} fetching={browse.fetching} onPick={onPick} />
        )}
      </Tabs>
    </div>
  );
}

function AssetList({
  nodes,
  search,
  fetching,
  onPick,
}: {
  nodes: { name: string; path: string; title?: string | null; kind: string; mimeType?: string | null }[];
  search: string;
  fetching: boolean;
  onPick: (p: Picked) => void;
}) {
  const assets = matchNodes(
    nodes.filter((n) => n.kind === 'ASSET'),
    search,
  );
  if (assets.length === 0) {
    return fetching ? null : <Empty title={search ? 'No asset here matches.' : 'No assets in this folder.'} />;
  }
  return (
    <ul className="aem-items" aria-label="Assets">
      {assets.map((a) => (
        <li key={a.path} className="aem-item">
          <span className="aem-item-text">
            <strong>{a.title ?? a.name}</strong>
            <span className="muted aem-path">
              {a.mimeType ?? 'asset'} · {a.path}
            </span>
          </span>
          <Button
            className="button--small"
            onClick={() => onPick({ kind: 'ASSET', path: a.path, title: a.title ?? null, mimeType: a.mimeType })}
            aria-label={`Choose asset ${a.title ?? a.name}`}
          >
            Choose
          </Button>
        </li>
      ))}
    </ul>
  );
}

function FragmentList({
  sourceId,
  path,
  search,
  onPick,
}: {
  sourceId: string;
  path: string;
  search: string;
  onPick: (p: Picked) => void;
}) {
  // Pages of AEM's cursor API, kept as they load ("Show more" appends the next one).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  useEffect(() => setCursors([null]), [sourceId, path]);
  return (
    <div className="stack">
      <ul className="aem-items" aria-label="Content fragments">
        {cursors.map((after, i) => (
          <FragmentPage
            key={after ?? 'first'}
            sourceId={sourceId}
            path={path}
            after={after}
            search={search}
            onPick={onPick}
            onMore={i === cursors.length - 1 ? (next) => setCursors((c) => [...c, next]) : undefined}
          />
        ))}
      </ul>
    </div>
  );
}

function FragmentPage({
  sourceId,
  path,
  after,
  search,
  onPick,
  onMore,
}: {
  sourceId: string;
  path: string;
  after: string | null;
  search: string;
  onPick: (p: Picked) => void;
  onMore?: (cursor: string) => void;
}) {
  const [result] = useQuery({
    query: AemFragmentsQuery,
    variables: { sourceId, path, first: FRAGMENTS_PAGE, after },
  });
  const page = result.data?.aemFragments;
  const items = matchFragments(page?.items ?? [], search);
  return (
    <>
      {result.error ? (
        <li>
          <ErrorNotice error={result.error} />
        </li>
      ) : null}
      {result.fetching && !page ? (
        <li>
          <Loading label="Reading content fragments from AEM…" />
        </li>
      ) : null}
      {page && !after && !page.cursor && items.length === 0 ? (
        <li>
          <Empty title={search ? 'No content fragment here matches.' : 'No content fragments under this folder.'} />
        </li>
      ) : null}
      {items.map((f) => {
        const gist = fragmentGist(f);
        return (
          <li key={f.id} className="aem-item">
            <span className="aem-item-text">
              <strong>{gist.heading}</strong>
              {gist.detail ? <span>{gist.detail}</span> : null}
              <span className="muted aem-path">{f.path}</span>
            </span>
            <Button
              className="button--small"
              onClick={() => onPick({ kind: 'FRAGMENT', path: f.path, title: f.title ?? null, ...gist })}
              aria-label={`Choose fragment ${gist.heading}`}
            >
              Choose
            </Button>
          </li>
        );
      })}
      {page?.cursor && onMore ? (
        <li>
          <Button className="button--small" onClick={() => onMore(page.cursor!)}>
            Show more fragments
          </Button>
        </li>
      ) : null}
    </>
  );
}

/** The chosen content as a creative: its name, how long it plays, the template of a fragment; then copy and add. */
function AddPicked({
  sourceId,
  picked,
  onBack,
  onAdded,
}: {
  sourceId: string;
  picked: Picked;
  onBack: () => void;
  onAdded: (c: CreativeInfo) => void;
}) {
  const toast = useToast();
  const client = useClient();
  const formId = useId();
  const [name, setName] = useState(() => suggestedName(picked));
  const [seconds, setSeconds] = useState('10');
  const [template, setTemplate] = useState<AemTemplate>('HEADLINE_BODY_IMAGE_PRICE');
  const [, create] = useMutation(CreateAemCreativeMutation);
  const [phase, setPhase] = useState<'idle' | 'creating' | 'copying'>('idle');
  const [error, setError] = useState<CombinedError | Error | null>(null);
  const durationMs = Math.round(Number(seconds) * 1000);
  const badDuration = !Number.isFinite(durationMs) || durationMs < 1000 || durationMs > 3_600_000;

  const submit = async () => {
    setError(null);
    setPhase('creating');
    try {
      const created = await create({
        input: {
          name: name.trim(),
          aemPath: picked.path,
          durationMs,
          sourceId,
          template: picked.kind === 'FRAGMENT' ? template : null,
        },
      });
      if (created.error || !created.data) throw created.error ?? new Error('The creative was not created');
      let creative: CreativeInfo = created.data.createAemCreative;
      // Wait for the copy (READY) or its failure, so the campaign shows what will play; a slow AEM adds it pending.
      setPhase('copying');
      const until = Date.now() + COPY_WAIT_MS;
      while (creative.status !== 'READY' && creative.status !== 'FAILED' && Date.now() < until) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        const read = await client
          .query(AemCreativeStatusQuery, { id: creative.id }, { requestPolicy: 'network-only' })
          .toPromise();
        if (read.data?.creative) creative = read.data.creative;
      }
      if (creative.status === 'FAILED') throw new Error(creative.failureReason ?? 'AEM content could not be copied');
      onAdded(creative);
      toast.success(
        creative.status === 'READY'
          ? `Added “${creative.name}” from AEM`
          : `Added “${creative.name}”; it is still being copied from AEM`,
      );
    } catch (err) {
      setError(err as CombinedError | Error);
      setPhase('idle');
    }
  };

  return (
    <form
      id={formId}
      className="stack"
      aria-label="Add the chosen content"
      onSubmit={(e) => {
        e.preventDefault();
        // React bubbles through the portal to the campaign's own form: this submit is the picker's alone.
        e.stopPropagation();
        if (!badDuration && name.trim()) void submit();
      }}
    >
      <div className="aem-chosen" data-testid="aem-chosen">
        <span className="muted">{picked.kind === 'FRAGMENT' ? 'Content fragment' : 'Asset'}</span>
        <strong>{picked.heading ?? picked.title ?? picked.path.split('/').pop()}</strong>
        {picked.detail ? <span>{picked.detail}</span> : null}
        <span className="muted aem-path">{picked.path}</span>
      </div>
      <Field label="Creative name" required error={name.trim() ? null : 'A name is needed.'}>
        <input value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="Plays for (seconds)" required error={badDuration ? 'Between 1 second and 1 hour.' : null}>
        <input
          type="number"
          inputMode="decimal"
          min={1}
          max={3600}
          step={1}
          value={seconds}
          onChange={(e) => setSeconds(e.target.value)}
        />
      </Field>
      {picked.kind === 'FRAGMENT' ? (
        <Field label="Template" hint="How the fragment’s fields are laid out on screen.">
          <select value={template} onChange={(e) => setTemplate(e.target.value as AemTemplate)}>
            {TEMPLATES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      <ErrorNotice error={error} />
      {phase !== 'idle' ? (
        <Loading label={phase === 'creating' ? 'Creating the creative…' : 'Copying the content from AEM…'} />
      ) : null}
      {picked.kind === 'ASSET' && picked.mimeType && !/^(image|video)\//.test(picked.mimeType) ? (
        <Notice kind="warning">Players show images, videos and HTML; this asset is {picked.mimeType}.</Notice>
      ) : null}
      <div className="dialog-actions">
        <Button onClick={onBack} disabled={phase !== 'idle'}>
          Back to AEM
        </Button>
        <Button type="submit" variant="primary" disabled={phase !== 'idle' || badDuration || !name.trim()}>
          Add to campaign
        </Button>
      </div>
    </form>
  );
}
