import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { DisplayStatus, FleetStoresQuery, StoreFilter } from '../../gql/graphql';
import { Button, Empty, ErrorNotice, Loading, Page, formatDateTime, useCursorPager, ConnectionPager } from '../../ui';
import { CampaignReach } from './CampaignReach';
import { DisplayFinder } from './DisplayFinder';
import { DisplayStatusBadge, LiveFeedNote, LiveLog } from './parts';
import { StatusFeed, useLiveStatuses, type StatusChange } from './live';
import { useFleetIndex } from './summary';
import {
  STATUSES,
  STATUS_LABEL,
  countByStatus,
  describeChange,
  isDisplayStatus,
  withLive,
  type Overlay,
} from './status';

const PAGE_SIZE = 10;

const FleetRegions = graphql(`
  query FleetRegions {
    regions {
      id
      name
      code
    }
  }
`);

const FleetStores = graphql(`
  query FleetStores($first: Int!, $after: String, $filter: StoreFilter) {
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
          region {
            id
            name
          }
          displays {
            id
            name
            placement
            orientation
            status
            lastSeenAt
            nowPlaying {
              creativeId
              playlistVersion
              reportedAt
            }
          }
        }
      }
    }
  }
`);

type StoreNode = FleetStoresQuery['stores']['edges'][number]['node'];

export function FleetPage() {
  const [params, setParams] = useSearchParams();
  const regionId = params.get('region') ?? '';
  const search = params.get('q') ?? '';
  const statusParam = params.get('status');
  const campaignId = params.get('campaign');
  const status: DisplayStatus | null = isDisplayStatus(statusParam) ? statusParam : null;

  const setParam = useCallback(
    (name: string, value: string | null) =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          if (value) next.set(name, value);
          else next.delete(name);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  const onSearch = useCallback((v: string) => setParam('q', v || null), [setParam]);

  const filter = useMemo<StoreFilter>(
    () => ({ ...(regionId ? { regionId } : {}), ...(search ? { search } : {}) }),
    [regionId, search],
  );
  const filterKey = JSON.stringify(filter);

  const [regions] = useQuery({ query: FleetRegions });
  const [generation, setGeneration] = useState(0);
  const fleet = useFleetIndex(filter);

  // Names of the displays on screen (filled as pages load), to put live changes into words.
  const displayNames = useMemo(() => new Map<string, string>(), []);
  const storeOfDisplay = useMemo(() => new Map<string, string>(), []);
  const live = useLiveStatuses(
    useCallback(
      (c: StatusChange) => {
        const name = displayNames.get(c.displayId);
        if (!name) return '';
        return describeChange(name, storeOfDisplay.get(c.displayId), c.status, c.previous);
      },
      [displayNames, storeOfDisplay],
    ),
  );

  const onNames = useCallback(
    (stores: StoreNode[]) => {
      for (const s of stores) {
        for (const d of s.displays) {
          displayNames.set(d.id, d.name);
          storeOfDisplay.set(d.id, s.name);
        }
      }
    },
    [displayNames, storeOfDisplay],
  );

  const counts = useMemo(
    () => countByStatus((fleet.index?.displays ?? []).map((d) => withLive(d, live.overlay))),
    [fleet.index, live.overlay],
  );

  return (
    <Page title="Fleet">
      <div className="fleet">
        <p className="fleet-lede">
          Every store’s displays and how they are doing, updated live as displays come online, go offline or fall behind
          their playlist.
        </p>

        <section className="section" aria-labelledby="fleet-filters-title">
          <h2 id="fleet-filters-title" className="visually-hidden">
            Filters
          </h2>
          <div className="filters fleet-filters">
            <StoreSearch value={search} onChange={onSearch} />
            <div className="field">
              <label htmlFor="fleet-region" className="field-label">
                Region
              </label>
              <select id="fleet-region" value={regionId} onChange={(e) => setParam('region', e.target.value || null)}>
                <option value="">All regions</option>
                {regions.data?.regions.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name} ({r.code})
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="fleet-status" className="field-label">
                Display status
              </label>
              <select
                id="fleet-status"
                value={status ?? ''}
                onChange={(e) => setParam('status', e.target.value || null)}
              >
                <option value="">Any status</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {STATUS_LABEL[s]}
                  </option>
                ))}
              </select>
            </div>
            <DisplayFinder />
          </div>
        </section>

        <section className="section" aria-labelledby="fleet-summary-title">
          <div className="section-header">
            <h2 id="fleet-summary-title">Summary</h2>
            <div className="row">
              <LiveFeedNote state={live.feed} />
              <Button
                variant="ghost"
                busy={fleet.fetching && !!fleet.index}
                onClick={() => {
                  live.reset();
                  fleet.refresh();
                  setGeneration((g) => g + 1);
                }}
              >
                Refresh
              </Button>
            </div>
          </div>
          {fleet.error ? (
            <ErrorNotice error={fleet.error} />
          ) : !fleet.index ? (
            <Loading />
          ) : (
            <>
              <p className="muted">
                {fleet.index.stores} {fleet.index.stores === 1 ? 'store' : 'stores'}
                {regionId || search ? ' matching the filters' : ''}, {counts.total}{' '}
                {counts.total === 1 ? 'display' : 'displays'}
                {fleet.index.truncated ? ' (the first 5,000 stores)' : ''}. Choose a status to show only those displays.
              </p>
              <ul className="fleet-counts" aria-label="Displays by status">
                <li>
                  <button
                    type="button"
                    className="fleet-count"
                    aria-pressed={status === null}
                    onClick={() => setParam('status', null)}
                  >
                    <span className="fleet-count-value">{counts.total}</span>
                    <span className="fleet-count-label">All displays</span>
                  </button>
                </li>
                {STATUSES.map((s) => (
                  <li key={s}>
                    <button
                      type="button"
                      className="fleet-count"
                      data-status={s}
                      data-testid={`fleet-count-${s}`}
                      aria-pressed={status === s}
                      onClick={() => setParam('status', status === s ? null : s)}
                    >
                      <span className="fleet-count-value">{counts[s]}</span>
                      <span className="fleet-count-label">
                        <DisplayStatusBadge status={s} />
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <LiveLog log={live.log} />
        </section>

        {campaignId && (
          <CampaignReach campaignId={campaignId} overlay={live.overlay} onClear={() => setParam('campaign', null)} />
        )}

        <StoreList
          key={filterKey}
          filter={filter}
          status={status}
          overlay={live.overlay}
          generation={generation}
          onNames={onNames}
        />

        <StatusFeed onChange={live.onChange} onState={live.onState} />
        <div
          className="visually-hidden"
          role="status"
          aria-live="polite"
          aria-atomic="true"
          data-testid="fleet-announcer"
        >
          {live.announcement}
        </div>
      </div>
    </Page>
  );
}

/** Store name or code search; applied as you type (after a short pause) or with Enter. */
function StoreSearch({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const t = setTimeout(() => onChange(text.trim()), 350);
    return () => clearTimeout(t);
  }, [text, value, onChange]);
  return (
    <form
      className="field"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onChange(text.trim());
      }}
    >
      <label htmlFor="fleet-store-search" className="field-label">
        Store name or code
      </label>
      <input
        id="fleet-store-search"
        type="search"
        value={text}
        placeholder="e.g. London"
        onChange={(e) => setText(e.target.value)}
      />
    </form>
  );
}

function StoreList({
  filter,
  status,
  overlay,
  generation,
  onNames,
}: {
  filter: StoreFilter;
  status: DisplayStatus | null;
  overlay: Overlay;
  /** Changes when the person asks for a reload */
  generation: number;
  onNames: (stores: StoreNode[]) => void;
}) {
  const paging = useCursorPager(PAGE_SIZE);
  const [result, reexecute] = useQuery({
    query: FleetStores,
    variables: { first: PAGE_SIZE, after: paging.after, filter },
  });
  useEffect(() => {
    if (generation) reexecute({ requestPolicy: 'network-only' });
  }, [generation, reexecute]);
  const conn = result.data?.stores;
  const stores = useMemo(() => conn?.edges.map((e) => e.node) ?? [], [conn]);
  useEffect(() => onNames(stores), [stores, onNames]);

  if (result.error && !conn) return <ErrorNotice error={result.error} />;
  if (!conn) return <Loading />;

  const shown = stores.map((s) => ({
    store: s,
    displays: s.displays.map((d) => withLive(d, overlay)).filter((d) => !status || d.status === status),
  }));
  const hidden = shown.filter((s) => status && !s.displays.length);
  const visible = shown.filter((s) => !status || s.displays.length);

  return (
    <section aria-labelledby="fleet-stores-title" className="fleet-stores">
      <div className="section-header">
        <h2 id="fleet-stores-title">Stores</h2>
        <p className="muted">
          {conn.totalCount} {conn.totalCount === 1 ? 'store' : 'stores'}
        </p>
      </div>
      {result.error ? <ErrorNotice error={result.error} /> : null}
      {!stores.length ? (
        <Empty title="No stores match">Try another region or search.</Empty>
      ) : (
        <>
          {visible.map(({ store, displays }) => (
            <StoreDisplays key={store.id} store={store} displays={displays} status={status} />
          ))}
          {!visible.length ? (
            <Empty title={`No ${STATUS_LABEL[status!].toLowerCase()} displays on this page`}>
              {conn.pageInfo.hasNextPage ? 'Other pages may have some.' : 'Choose another status to see more.'}
            </Empty>
          ) : null}
          {hidden.length ? (
            <p className="muted">
              Also on this page, with no {STATUS_LABEL[status!].toLowerCase()} display:{' '}
              {hidden.map(({ store }, i) => (
                <span key={store.id}>
                  {i ? ', ' : ''}
                  <Link to={`stores/${store.id}`}>{store.name}</Link>
                </span>
              ))}
              .
            </p>
          ) : null}
        </>
      )}
      <ConnectionPager connection={conn} paging={paging} label="Store pages" />
    </section>
  );
}

type DisplayNode = StoreNode['displays'][number];

function StoreDisplays({
  store,
  displays,
  status,
}: {
  store: StoreNode;
  displays: DisplayNode[];
  status: DisplayStatus | null;
}) {
  const headingId = useId();
  const counts = countByStatus(displays);
  return (
    <article className="fleet-store" aria-labelledby={headingId} data-store-id={store.id}>
      <header className="fleet-store-head">
        <h3 id={headingId}>
          <Link to={`stores/${store.id}`}>{store.name}</Link>
        </h3>
        <p className="muted">
          {store.code}
          {store.region ? ` · ${store.region.name}` : ''} · {store.timezone}
          {status ? '' : ` · ${counts.ONLINE} of ${counts.total} online`}
        </p>
      </header>
      {!store.displays.length ? (
        <p className="muted">No displays yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Displays of {store.name}</caption>
            <thead>
              <tr>
                <th scope="col">Display</th>
                <th scope="col">Status</th>
                <th scope="col">Last seen</th>
                <th scope="col">Now playing</th>
                <th scope="col">Placement</th>
              </tr>
            </thead>
            <tbody>
              {displays.map((d) => (
                <tr key={d.id} data-display-id={d.id} data-status={d.status}>
                  <th scope="row">
                    <Link to={`stores/${store.id}#display-${d.id}`} className="fleet-display-name">
                      {d.name}
                    </Link>
                    <code className="fleet-id" title="Display id">
                      {d.id}
                    </code>
                  </th>
                  <td>
                    <DisplayStatusBadge status={d.status} />
                  </td>
                  <td>{d.lastSeenAt ? formatDateTime(d.lastSeenAt) : 'Never'}</td>
                  <td>
                    {d.nowPlaying?.playlistVersion ? (
                      <span title={`Playlist version ${d.nowPlaying.playlistVersion}`}>
                        Playlist <code>{d.nowPlaying.playlistVersion.slice(0, 8)}</code>
                      </span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>
                    {d.placement ?? <span className="muted">—</span>}
                    <span className="muted"> · {d.orientation === 'PORTRAIT' ? 'portrait' : 'landscape'}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}
