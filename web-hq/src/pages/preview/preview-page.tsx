import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery, useSubscription } from 'urql';
import { mediaKind } from './moment';
import { CreativePicture, ScreenAt } from './screen-at';
import { useCatalog, type Catalog } from './catalog';
import './preview.css';
import { graphql } from '../../gql';
import {
  Button,
  DataTable,
  Empty,
  ErrorNotice,
  Field,
  Loading,
  Page,
  Section,
  formatDuration,
  useDebounced,
  type Column,
} from '../../ui';
import { addDays, dayLabel, localTime, todayIn, zoneLabel, zonedDay, zonedTime } from './time';

const DisplayPickerQuery = graphql(`
  query PreviewDisplays($search: String) {
    displays(first: 50, filter: { search: $search }) {
      totalCount
      edges {
        node {
          id
          name
          orientation
          store {
            id
            name
          }
        }
      }
    }
  }
`);

const PreviewDisplayQuery = graphql(`
  query PreviewDisplay($id: ID!) {
    display(id: $id) {
      id
      name
      orientation
      tags
      resolution {
        width
        height
      }
      store {
        id
        name
        timezone
      }
    }
  }
`);

const PlaylistPreviewQuery = graphql(`
  query PlaylistPreview($displayId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
    playlistPreview(displayId: $displayId, from: $from, to: $to) {
      from
      to
      version
      items {
        campaignId
        overrideId
        creativeId
        mimeType
        durationMs
      }
    }
  }
`);

const PlaylistChangedSubscription = graphql(`
  subscription PreviewPlaylistChanged($displayId: ID!) {
    playlistChanged(displayId: $displayId) {
      displayId
      version
    }
  }
`);

const CampaignPickerQuery = graphql(`
  query PreviewCampaigns($search: String) {
    campaigns(first: 50, filter: { search: $search }) {
      edges {
        node {
          id
          name
          status
        }
      }
    }
  }
`);

const ExplainQuery = graphql(`
  query ExplainPlaylist($displayId: ID!, $campaignId: ID!, $at: DateTimeISO) {
    explainPlaylist(displayId: $displayId, campaignId: $campaignId, at: $at) {
      eligible
      playing
      summary
      checks {
        check
        pass
        message
        rule {
          kind
          value
        }
        outrankedBy {
          campaignId
          name
          priority
        }
      }
    }
  }
`);

type Segment = {
  from: string;
  to: string;
  version: string;
  items: {
    campaignId?: string | null;
    overrideId?: string | null;
    creativeId: string;
    mimeType: string;
    durationMs: number;
  }[];
};

/** A colour per playlist version, from a palette that keeps white text readable (≥ 4.5:1). */
const PALETTE = ['#1f4fbf', '#1c6b34', '#8a3ffc', '#a2191f', '#005d5d', '#6e4b00', '#9f1853', '#3a3a8c'];
function versionColour(version: string): string {
  let h = 0;
  for (const ch of version) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

/** "07:00–11:00" in store-local time, clamped to the day (its end shows as 24:00). */
function span(seg: { from: string; to: string }, day: { from: Date; to: Date }, timeZone: string): string {
  const from = Date.parse(seg.from) <= day.from.getTime() ? '00:00' : localTime(seg.from, timeZone);
  const to = Date.parse(seg.to) >= day.to.getTime() ? '24:00' : localTime(seg.to, timeZone);
  return `${from}–${to}`;
}

/** The campaigns of a stretch by name ("Autumn Sale, Breakfast"), each once; overrides as such. */
function stretchNames(seg: Segment, catalog: Catalog): string {
  const names: string[] = [];
  for (const i of seg.items) {
    const name = i.campaignId
      ? (catalog.campaigns.get(i.campaignId)?.name ?? 'a campaign')
      : i.overrideId
        ? 'Emergency override'
        : 'Store content';
    if (!names.includes(name)) names.push(name);
  }
  return names.length ? names.join(', ') : 'nothing scheduled';
}

function Timeline({
  segments,
  day,
  timeZone,
  selected,
  onSelect,
  catalog,
}: {
  segments: Segment[];
  day: { from: Date; to: Date };
  timeZone: string;
  selected: number;
  onSelect: (i: number) => void;
  catalog: Catalog;
}) {
  const total = day.to.getTime() - day.from.getTime();
  return (
    <div className="preview-timeline">
      <div className="timeline" role="group" aria-label="What plays over the day">
        {segments.map((s, i) => {
          const start = Math.max(Date.parse(s.from), day.from.getTime());
          const end = Math.min(Date.parse(s.to), day.to.getTime());
          const share = ((end - start) / total) * 100;
          const names = stretchNames(s, catalog);
          const label = `${span(s, day, timeZone)}: ${names}`;
          const pictures = [...new Set(s.items.map((item) => item.creativeId))].slice(0, share > 20 ? 3 : 1);
          return (
            <button
              key={`${s.from}-${i}`}
              type="button"
              className="timeline-segment"
              style={{ width: `${share}%`, background: s.items.length ? versionColour(s.version) : '#4f5864' }}
              aria-pressed={selected === i}
              // Wide enough to show its words: they are its name (an aria-label would have to repeat them exactly).
              aria-label={share > 6 ? undefined : label}
              title={label}
              onClick={() => onSelect(i)}
            >
              {share > 6 ? (
                <span className="timeline-segment-body">
                  <span className="timeline-segment-time">{span(s, day, timeZone)}</span>
                  <span className="visually-hidden">: </span>
                  <span className="timeline-segment-names">{names}</span>
                  {share > 10 && s.items.length ? (
                    <span className="timeline-thumbs">
                      {pictures.map((id) => (
                        <CreativePicture
                          key={id}
                          creative={catalog.creatives.get(id)}
                          mimeType={s.items.find((item) => item.creativeId === id)!.mimeType}
                          className="timeline-thumb"
                          decorative
                        />
                      ))}
                    </span>
                  ) : null}
                </span>
              ) : null}
            </button>
          );
        })}
      </div>
      <div className="timeline-axis" aria-hidden="true">
        {[0, 6, 12, 18, 24].map((h) => (
          <span key={h}>{String(h).padStart(2, '0')}:00</span>
        ))}
      </div>
    </div>
  );
}

function Explain({
  displayId,
  campaignId,
  at,
  timeZone,
}: {
  displayId: string;
  campaignId: string;
  at: string;
  timeZone: string;
}) {
  const [r] = useQuery({ query: ExplainQuery, variables: { displayId, campaignId, at } });
  const e = r.data?.explainPlaylist;
  if (r.fetching && !e) return <Loading label="Explaining…" />;
  if (r.error) return <ErrorNotice error={r.error} />;
  if (!e) return null;
  return (
    <div className="stack" data-testid="explanation">
      <p>
        <strong>{e.playing ? 'Playing' : 'Not playing'}</strong> at {localTime(at, timeZone)} on{' '}
        {dayLabel(todayIn(timeZone, new Date(at)))}, {zoneLabel(timeZone, at)}.{' '}
        {e.eligible ? 'It passes all of its own checks.' : 'It fails at least one of its own checks.'}
      </p>
      <p>{e.summary}</p>
      <ul className="checks" aria-label="Checks">
        {e.checks.map((c) => (
          <li key={c.check}>
            <span className={c.pass ? 'check-pass' : 'check-fail'} aria-label={c.pass ? 'Passes' : 'Fails'}>
              {c.pass ? '✓' : '✕'}
            </span>
            <span>{c.check.toLowerCase().replace(/_/g, ' ')}</span>
            <span>
              {c.message}
              {c.outrankedBy ? (
                <>
                  {' '}
                  (outranked by <Link to={`/campaigns/${c.outrankedBy.campaignId}`}>{c.outrankedBy.name}</Link>,
                  priority {c.outrankedBy.priority})
                </>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Pick a display and a day: the versions it will play over that store-local day, and why a campaign (not) plays. */
export function PreviewPage() {
  const [params, setParams] = useSearchParams();
  const displayId = params.get('display') ?? '';
  const campaignId = params.get('campaign') ?? '';
  const [displaySearch, setDisplaySearch] = useState('');
  const [campaignSearch, setCampaignSearch] = useState('');
  // null: follow the day (the stretch playing now, today; else the first)
  const [selected, setSelected] = useState<number | null>(null);
  // HH:MM, store-local: the moment the screen is drawn and campaigns are explained at ('' = now or the stretch)
  const [moment, setMoment] = useState('');
  const dq = useDebounced(displaySearch.trim(), 300);
  const cq = useDebounced(campaignSearch.trim(), 300);

  const setParam = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };

  const [displays] = useQuery({ query: DisplayPickerQuery, variables: { search: dq || null } });
  const [campaigns] = useQuery({ query: CampaignPickerQuery, variables: { search: cq || null } });
  const [display] = useQuery({ query: PreviewDisplayQuery, variables: { id: displayId }, pause: !displayId });
  const timeZone = display.data?.display?.store.timezone;
  const day = params.get('day') || (timeZone ? todayIn(timeZone) : new Date().toISOString().slice(0, 10));
  const range = useMemo(() => (timeZone ? zonedDay(day, timeZone) : null), [day, timeZone]);
  const [preview, refreshPreview] = useQuery({
    query: PlaylistPreviewQuery,
    variables: { displayId, from: range?.from.toISOString() ?? '', to: range?.to.toISOString() ?? '' },
    pause: !displayId || !range,
  });
  // Live: when the display's playlist changes (an approval, a pause, an override…), resolve the day again.
  const [live] = useSubscription(
    { query: PlaylistChangedSubscription, variables: { displayId }, pause: !displayId },
    (_prev: string | undefined, event) => {
      refreshPreview({ requestPolicy: 'network-only' });
      return event.playlistChanged.version;
    },
  );
  const segments: Segment[] = useMemo(() => preview.data?.playlistPreview ?? [], [preview.data]);
  // "Now", fixed per day shown so the queries below do not refetch on every render.
  const now = useMemo(() => new Date(), [day]); // eslint-disable-line react-hooks/exhaustive-deps
  const isToday = !!range && range.from <= now && now < range.to;
  const nowIndex = segments.findIndex((s) => Date.parse(s.from) <= now.getTime() && now.getTime() < Date.parse(s.to));
  // The moment: a chosen store-local time; else now (today, nothing clicked); else the clicked stretch's start.
  const chosen = moment && timeZone ? zonedTime(day, moment, timeZone) : null;
  const chosenIndex = chosen
    ? segments.findIndex((s) => Date.parse(s.from) <= chosen.getTime() && chosen.getTime() < Date.parse(s.to))
    : -1;
  const currentIndex = chosenIndex >= 0 ? chosenIndex : (selected ?? (isToday && nowIndex >= 0 ? nowIndex : 0));
  const current = segments[Math.min(currentIndex, Math.max(0, segments.length - 1))];
  const at =
    chosen?.toISOString() ??
    (selected === null && isToday
      ? now.toISOString()
      : current
        ? new Date(Math.max(Date.parse(current.from), range?.from.getTime() ?? 0)).toISOString()
        : (range?.from.toISOString() ?? now.toISOString()));
  const catalog = useCatalog(
    useMemo(() => segments.flatMap((s) => s.items.flatMap((i) => (i.campaignId ? [i.campaignId] : []))), [segments]),
    useMemo(() => segments.flatMap((s) => s.items.map((i) => i.creativeId)), [segments]),
  );

  const itemColumns: Column<Segment['items'][number] & { key: string }>[] = [
    { key: 'n', header: '#', render: (i) => i.key.split(':')[0] },
    {
      key: 'campaign',
      header: 'Campaign',
      rowHeader: true,
      render: (i) =>
        i.campaignId ? (
          <Link to={`/campaigns/${i.campaignId}`}>{catalog.campaigns.get(i.campaignId)?.name ?? 'A campaign'}</Link>
        ) : i.overrideId ? (
          'Emergency override'
        ) : (
          'Store content'
        ),
    },
    {
      key: 'creative',
      header: 'Creative',
      render: (i) => (
        <span className="preview-creative">
          <CreativePicture
            creative={catalog.creatives.get(i.creativeId)}
            mimeType={i.mimeType}
            className="preview-thumb"
            decorative
          />
          {catalog.creatives.get(i.creativeId)?.name ?? (catalog.fetching ? '…' : 'A creative')}
        </span>
      ),
    },
    { key: 'type', header: 'Type', render: (i) => mediaKind(i.mimeType) },
    { key: 'duration', header: 'Duration', className: 'num', render: (i) => formatDuration(i.durationMs) },
  ];

  const d = display.data?.display;
  return (
    <Page
      title="Preview"
      description="What a display will play over a day, and why a campaign is or is not playing there."
    >
      <Section title="Display and day">
        <div className="cols-3">
          <Field
            label="Find a display"
            hint={displays.data ? `${displays.data.displays.totalCount} display(s)` : undefined}
          >
            <input type="search" value={displaySearch} onChange={(e) => setDisplaySearch(e.target.value)} />
          </Field>
          <Field label="Display">
            <select
              value={displayId}
              onChange={(e) => {
                setSelected(null);
                setParam('display', e.target.value);
              }}
            >
              <option value="">Choose a display…</option>
              {d && !displays.data?.displays.edges.some((e) => e.node.id === d.id) ? (
                <option value={d.id}>
                  {d.name} — {d.store.name}
                </option>
              ) : null}
              {displays.data?.displays.edges.map(({ node }) => (
                <option key={node.id} value={node.id}>
                  {node.name} — {node.store.name} ({node.orientation.toLowerCase()})
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="Day"
            hint={timeZone ? `In the store’s time: ${zoneLabel(timeZone, range?.from)}` : 'In the store’s time'}
          >
            <input
              type="date"
              value={day}
              onChange={(e) => {
                setSelected(null);
                setParam('day', e.target.value);
              }}
            />
          </Field>
        </div>
        <div className="row">
          <Button className="button--small" onClick={() => setParam('day', addDays(day, -1))}>
            ← Previous day
          </Button>
          <Button className="button--small" onClick={() => setParam('day', timeZone ? todayIn(timeZone) : '')}>
            Today
          </Button>
          <Button className="button--small" onClick={() => setParam('day', addDays(day, 1))}>
            Next day →
          </Button>
        </div>
        <ErrorNotice error={displays.error ?? display.error} />
      </Section>

      {!displayId ? (
        <Empty title="Choose a display to see its day.">Search by display name, then pick a display.</Empty>
      ) : (
        <>
          <Section title={d ? `Timeline: ${d.name}, ${d.store.name}` : 'Timeline'}>
            {d ? (
              <p className="muted">
                {d.orientation.toLowerCase()} · tags: {d.tags.length ? d.tags.join(', ') : 'none'} ·{' '}
                <Link to={`/fleet/stores/${d.store.id}`}>{d.store.name}</Link>
              </p>
            ) : null}
            <p className="muted" aria-live="polite" data-testid="preview-live">
              {live.error
                ? 'Live updates are unavailable; reload to see changes.'
                : live.data
                  ? 'Updated live: the display’s playlist changed.'
                  : 'Live: the timeline updates when this display’s playlist changes.'}
            </p>
            <ErrorNotice error={preview.error} />
            {preview.fetching && !preview.data ? <Loading label="Resolving the day's playlists…" /> : null}
            {preview.data && segments.length === 0 ? <Empty title="Nothing plays on this display that day." /> : null}
            {range && timeZone && segments.length ? (
              <>
                <p className="muted" data-testid="preview-zone">
                  {dayLabel(day)}, in {d ? `${d.store.name}’s` : 'the store’s'} time: {zoneLabel(timeZone, range.from)}.
                </p>
                <Timeline
                  segments={segments}
                  day={range}
                  timeZone={timeZone}
                  selected={currentIndex}
                  onSelect={(i) => {
                    setMoment('');
                    setSelected(i);
                  }}
                  catalog={catalog}
                />
                <div className="preview-moment">
                  <div className="stack">
                    <h3>The screen at a moment</h3>
                    <Field
                      label="Time (in the store’s time)"
                      hint="Default: now (today), else the start of the stretch chosen on the timeline"
                    >
                      <input type="time" value={moment} onChange={(e) => setMoment(e.target.value)} />
                    </Field>
                  </div>
                  {d ? (
                    <ScreenAt
                      segment={segments.find(
                        (s) => Date.parse(s.from) <= Date.parse(at) && Date.parse(at) < Date.parse(s.to),
                      )}
                      instant={new Date(at)}
                      timeZone={timeZone}
                      resolution={d.resolution}
                      displayName={d.name}
                      catalog={catalog}
                    />
                  ) : null}
                </div>
                {current ? (
                  <div className="stack" style={{ marginTop: 16 }}>
                    <h3>
                      {span(current, range, timeZone)}: {stretchNames(current, catalog)}
                    </h3>
                    {current.items.length ? (
                      <DataTable
                        caption="Items played in a loop"
                        columns={itemColumns}
                        rows={current.items.map((item, i) => ({ ...item, key: `${i + 1}:${item.creativeId}` }))}
                        rowKey={(i) => i.key}
                      />
                    ) : (
                      <Empty title="Nothing plays in this stretch." />
                    )}
                  </div>
                ) : null}
              </>
            ) : null}
          </Section>

          <Section title="Why is a campaign (not) playing here?">
            <div className="cols-3">
              <Field label="Find a campaign">
                <input type="search" value={campaignSearch} onChange={(e) => setCampaignSearch(e.target.value)} />
              </Field>
              <Field label="Campaign">
                <select value={campaignId} onChange={(e) => setParam('campaign', e.target.value)}>
                  <option value="">Choose a campaign…</option>
                  {campaigns.data?.campaigns.edges.map(({ node }) => (
                    <option key={node.id} value={node.id}>
                      {node.name} ({node.status.toLowerCase().replace('_', ' ')})
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <p className="muted">At the moment chosen above{timeZone ? ` (${localTime(at, timeZone)})` : ''}.</p>
            {campaignId ? (
              <Explain displayId={displayId} campaignId={campaignId} at={at} timeZone={timeZone ?? 'UTC'} />
            ) : (
              <Empty title="Choose a campaign to see every check with its verdict." />
            )}
          </Section>
        </>
      )}
    </Page>
  );
}
