import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useSession } from '@phub/web-kit';
import { graphql } from '../../gql';
import type { LayoutsQuery } from '../../gql/graphql';
import { Button, Empty, ErrorNotice, Field, Loading, Page, Section, useToast } from '../../ui';
import {
  KIND_LABELS,
  mainRegion,
  newRegion,
  overlaps,
  PRESETS,
  regionProblems,
  toRegionInput,
  type RegionDraft,
  type RegionKind,
} from './layouts';
import './layouts.css';

const LayoutsDoc = graphql(`
  query Layouts {
    layouts {
      id
      name
      updatedAt
      regions {
        name
        kind
        x
        y
        width
        height
        text
        main
      }
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
`);

const LayoutStoresDoc = graphql(`
  query LayoutStores {
    stores(first: 100) {
      edges {
        node {
          id
          name
          displays {
            id
            name
          }
        }
      }
    }
  }
`);

const CreateLayoutDoc = graphql(`
  mutation CreateLayout($input: LayoutInput!) {
    createLayout(input: $input) {
      id
      name
    }
  }
`);

const UpdateLayoutDoc = graphql(`
  mutation UpdateLayout($id: ID!, $input: LayoutInput!) {
    updateLayout(id: $id, input: $input) {
      id
      name
    }
  }
`);

const SetDisplayLayoutDoc = graphql(`
  mutation SetDisplayLayout($displayId: ID!, $layoutId: ID) {
    setDisplayLayout(displayId: $displayId, layoutId: $layoutId) {
      id
    }
  }
`);

type SavedLayout = LayoutsQuery['layouts'][number];

const KINDS: RegionKind[] = ['CONTENT', 'TICKER', 'QUEUE_BOARD'];
const NEW = 'new';

const draftOf = (layout: SavedLayout): RegionDraft[] =>
  layout.regions.map((r) => ({ ...r, kind: r.kind as RegionKind, text: r.text ?? '' }));

/** Layouts: split a screen into regions, see it scaled as you type, and give it to displays. */
export function LayoutsPage() {
  const { hasRole } = useSession();
  const canEdit = hasRole('HQ_ADMIN', 'HQ_EDITOR');
  const [result, refetch] = useQuery({ query: LayoutsDoc });
  const layouts = result.data?.layouts;
  const [selected, setSelected] = useState<string | null>(null);
  const current = layouts?.find((l) => l.id === selected) ?? null;
  const reload = () => refetch({ requestPolicy: 'network-only' });

  // Open the first layout once they have loaded (or the designer for a first one).
  useEffect(() => {
    if (selected === null && layouts) setSelected(layouts[0]?.id ?? (canEdit ? NEW : null));
  }, [layouts, selected, canEdit]);

  return (
    <Page
      title="Layouts"
      description="Split a screen into regions — main content, a side panel, a ticker, the queue board — each playing its own content. Campaigns choose a region by its name; those that name none play in the main region."
      actions={
        canEdit ? (
          <Button variant="primary" onClick={() => setSelected(NEW)}>
            New layout
          </Button>
        ) : null
      }
    >
      <ErrorNotice error={result.error} onRetry={reload} />
      {result.fetching && !layouts ? <Loading label="Loading layouts…" /> : null}
      <div className="layouts">
        <nav className="layouts-list" aria-label="Layouts">
          {layouts && layouts.length === 0 ? <Empty title="No layouts yet.">Displays play full screen.</Empty> : null}
          <ul>
            {layouts?.map((l) => (
              <li key={l.id}>
                <button
                  type="button"
                  className="layouts-item"
                  aria-current={l.id === selected ? 'true' : undefined}
                  onClick={() => setSelected(l.id)}
                >
                  <span className="layouts-item-name">{l.name}</span>
                  <span className="layouts-item-meta">
                    {l.regions.length} regions · {l.displays.length} {l.displays.length === 1 ? 'display' : 'displays'}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="layouts-main">
          {selected === NEW || current ? (
            <LayoutDesigner
              key={current?.id ?? NEW}
              layout={current}
              canEdit={canEdit}
              onSaved={(id) => {
                setSelected(id);
                reload();
              }}
            />
          ) : null}
          {current ? <LayoutDisplays layout={current} canEdit={canEdit} onChanged={reload} /> : null}
        </div>
      </div>
    </Page>
  );
}

function LayoutDesigner({
  layout,
  canEdit,
  onSaved,
}: {
  layout: SavedLayout | null;
  canEdit: boolean;
  onSaved: (id: string) => void;
}) {
  const toast = useToast();
  const [name, setName] = useState(layout?.name ?? '');
  const [regions, setRegions] = useState<RegionDraft[]>(layout ? draftOf(layout) : PRESETS[0]!.regions);
  const [tried, setTried] = useState(false);
  const [created, create] = useMutation(CreateLayoutDoc);
  const [updated, update] = useMutation(UpdateLayoutDoc);
  const problems = regionProblems(regions);
  const nameProblem = name.trim() ? null : 'Give the layout a name.';
  const saving = created.fetching || updated.fetching;
  const error = created.error ?? updated.error;
  const set = (i: number, patch: Partial<RegionDraft>) =>
    setRegions((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const save = async () => {
    setTried(true);
    if (problems.length || nameProblem) return;
    const input = { name: name.trim(), regions: toRegionInput(regions) };
    const res = layout ? await update({ id: layout.id, input }) : await create({ input });
    const saved = res.data && ('updateLayout' in res.data ? res.data.updateLayout : res.data.createLayout);
    if (!saved) return;
    toast.success(`Saved “${saved.name}”.`);
    onSaved(saved.id);
  };

  return (
    <Section title={layout ? `Design “${layout.name}”` : 'New layout'} id="layout-designer">
      <form
        className="layout-designer"
        aria-label="Layout designer"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="layout-designer-top">
          <Field label="Name" required error={tried ? nameProblem : null}>
            <input value={name} onChange={(e) => setName(e.target.value)} disabled={!canEdit} maxLength={120} />
          </Field>
          {canEdit && !layout ? (
            <Field label="Start from">
              <select
                defaultValue="0"
                onChange={(e) => setRegions(PRESETS[Number(e.target.value)]!.regions.map((r) => ({ ...r })))}
              >
                {PRESETS.map((p, i) => (
                  <option key={p.label} value={i}>
                    {p.label}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
        </div>
        <LayoutPreview regions={regions} />
        <ul className="layout-regions" aria-label="Regions">
          {regions.map((r, i) => (
            <li key={i}>
              <fieldset className="layout-region" disabled={!canEdit}>
                <legend>
                  Region {i + 1}
                  {r.name === mainRegion(regions) ? ' (main)' : ''}
                </legend>
                <Field label="Name">
                  <input value={r.name} onChange={(e) => set(i, { name: e.target.value })} maxLength={32} />
                </Field>
                <Field label="Shows">
                  <select value={r.kind} onChange={(e) => set(i, { kind: e.target.value as RegionKind })}>
                    {KINDS.map((k) => (
                      <option key={k} value={k}>
                        {KIND_LABELS[k]}
                      </option>
                    ))}
                  </select>
                </Field>
                {(['x', 'y', 'width', 'height'] as const).map((key) => (
                  <Field key={key} label={{ x: 'Left %', y: 'Top %', width: 'Width %', height: 'Height %' }[key]}>
                    <input
                      type="number"
                      inputMode="decimal"
                      min={0}
                      max={100}
                      step={1}
                      value={Number.isFinite(r[key]) ? r[key] : ''}
                      onChange={(e) => set(i, { [key]: e.target.value === '' ? NaN : Number(e.target.value) })}
                    />
                  </Field>
                ))}
                {r.kind === 'TICKER' ? (
                  <Field label="Ticker text" className="layout-region-text">
                    <input value={r.text} onChange={(e) => set(i, { text: e.target.value })} maxLength={500} />
                  </Field>
                ) : null}
                {canEdit ? (
                  <Button
                    variant="ghost"
                    className="layout-region-remove"
                    onClick={() => setRegions((rs) => rs.filter((_, j) => j !== i))}
                    aria-label={`Remove region ${r.name || i + 1}`}
                  >
                    Remove
                  </Button>
                ) : null}
                {tried
                  ? problems
                      .filter((p) => p.index === i)
                      .map((p) => (
                        <p key={p.message} className="layout-problem" role="alert">
                          {p.message}
                        </p>
                      ))
                  : null}
              </fieldset>
            </li>
          ))}
        </ul>
        {tried
          ? problems
              .filter((p) => p.index === 'layout')
              .map((p) => (
                <p key={p.message} className="layout-problem" role="alert">
                  {p.message}
                </p>
              ))
          : null}
        <ErrorNotice error={error} />
        {canEdit ? (
          <div className="layout-actions">
            <Button onClick={() => setRegions((rs) => [...rs, newRegion(rs)])} disabled={regions.length >= 8}>
              Add region
            </Button>
            <Button type="submit" variant="primary" busy={saving}>
              {layout ? 'Save layout' : 'Create layout'}
            </Button>
          </div>
        ) : null}
      </form>
    </Section>
  );
}

/** The screen scaled down, each region where it will be (16:9). */
export function LayoutPreview({ regions }: { regions: readonly RegionDraft[] }) {
  const main = mainRegion(regions);
  const clash = overlaps(regions);
  return (
    <figure className="layout-preview-figure">
      <div className="layout-preview" role="img" aria-label={`Preview: ${regions.map((r) => r.name).join(', ')}`}>
        {regions.map((r, i) =>
          [r.x, r.y, r.width, r.height].every(Number.isFinite) ? (
            <div
              key={i}
              className={`layout-preview-region layout-preview-${r.kind.toLowerCase()}`}
              data-region={r.name}
              style={{ left: `${r.x}%`, top: `${r.y}%`, width: `${r.width}%`, height: `${r.height}%` }}
            >
              <span className="layout-preview-label">{r.name}</span>
              <span className="layout-preview-kind">
                {r.kind === 'TICKER' ? r.text || 'Ticker' : KIND_LABELS[r.kind].replace(/ \(.*\)$/, '')}
                {r.name === main ? ' · main region' : ''}
              </span>
            </div>
          ) : null,
        )}
      </div>
      <figcaption>
        A 16:9 screen. {clash.length ? `Overlapping: ${clash.map((p) => p.join(' and ')).join('; ')}.` : null}
      </figcaption>
    </figure>
  );
}

function LayoutDisplays({
  layout,
  canEdit,
  onChanged,
}: {
  layout: SavedLayout;
  canEdit: boolean;
  onChanged: () => void;
}) {
  const toast = useToast();
  const [stores] = useQuery({ query: LayoutStoresDoc, pause: !canEdit });
  const [assigned, assign] = useMutation(SetDisplayLayoutDoc);
  const [displayId, setDisplayId] = useState('');
  const playing = useMemo(() => new Set(layout.displays.map((d) => d.id)), [layout.displays]);

  const run = async (id: string, layoutId: string | null, done: string) => {
    const res = await assign({ displayId: id, layoutId });
    if (res.error) return;
    toast.success(done);
    setDisplayId('');
    onChanged();
  };

  return (
    <Section title="Displays playing it" id="layout-displays">
      {layout.displays.length === 0 ? <p className="layout-hint">No display plays this layout yet.</p> : null}
      <ul className="layout-displays">
        {layout.displays.map((d) => (
          <li key={d.id}>
            <span>
              {d.name} <span className="layout-hint">· {d.store?.name ?? 'store unknown'}</span>
            </span>
            {canEdit ? (
              <Button
                variant="ghost"
                aria-label={`Play full screen on ${d.name}`}
                onClick={() => void run(d.id, null, `${d.name} plays full screen again.`)}
              >
                Remove
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
      {canEdit ? (
        <form
          className="layout-assign"
          aria-label="Assign to a display"
          onSubmit={(e) => {
            e.preventDefault();
            if (displayId) void run(displayId, layout.id, `The display now plays “${layout.name}”.`);
          }}
        >
          <Field label="Display" hint="It switches to the layout within seconds.">
            <select value={displayId} onChange={(e) => setDisplayId(e.target.value)}>
              <option value="">Choose a display…</option>
              {stores.data?.stores.edges.map(({ node: s }) => (
                <optgroup key={s.id} label={s.name}>
                  {s.displays.map((d) => (
                    <option key={d.id} value={d.id} disabled={playing.has(d.id)}>
                      {d.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </Field>
          <Button type="submit" variant="primary" busy={assigned.fetching} disabled={!displayId}>
            Assign
          </Button>
        </form>
      ) : null}
      <ErrorNotice error={assigned.error ?? stores.error} />
    </Section>
  );
}
