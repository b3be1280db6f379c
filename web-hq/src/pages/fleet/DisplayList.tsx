import { useEffect, useMemo, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { FleetDisplayFilter, FleetDisplaysQuery } from '../../gql/graphql';
import { ConnectionPager, Empty, ErrorNotice, Loading, formatDateTime, useCursorPager } from '../../ui';
import { DisplayStatusBadge, NowPlayingText } from './parts';
import { fleetOrder, type FleetSortKey } from './sorting';
import { ago, STATUS_LABEL, withLive, type Overlay } from './status';

const FleetDisplays = graphql(`
  query FleetDisplays($first: Int!, $after: String, $filter: FleetDisplayFilter, $orderBy: FleetDisplayOrder) {
    fleetDisplays(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          placement
          orientation
          status
          lastSeenAt
          store {
            id
            name
            code
            timezone
          }
          nowPlaying {
            creativeId
            playlistVersion
            appVersion
            reportedAt
            creative {
              id
              name
            }
          }
        }
      }
    }
  }
`);

export type FleetDisplay = FleetDisplaysQuery['fleetDisplays']['edges'][number]['node'];
type Sort = { key: FleetSortKey; dir: 'asc' | 'desc' };

const COLUMNS: { key: FleetSortKey | null; label: string }[] = [
  { key: 'name', label: 'Display' },
  { key: 'store', label: 'Store' },
  { key: 'status', label: 'Status' },
  { key: 'lastSeen', label: 'Last seen' },
  { key: null, label: 'Now playing' },
  { key: null, label: 'Details' },
];

/**
 * The fleet's displays as one table, filtered, sorted and paged by the server (`fleetDisplays`): a sort applies
 * to the whole fleet, and the next page continues it. Live statuses overlay the rows between loads.
 */
export function DisplayList({
  filter,
  sort,
  onSort,
  size,
  overlay,
  generation,
  onRows,
}: {
  filter: FleetDisplayFilter;
  sort: Sort;
  onSort: (key: FleetSortKey) => void;
  size: number;
  overlay: Overlay;
  /** Changes when the person asks for a reload */
  generation: number;
  onRows: (rows: FleetDisplay[]) => void;
}) {
  const paging = useCursorPager(size);
  const { reset } = paging;
  const orderBy = useMemo(() => fleetOrder(sort), [sort]);
  // A cursor belongs to one order and one page size: a new sort starts at the first page.
  useEffect(() => reset(), [orderBy.field, orderBy.direction, size, reset]);
  const [result, reexecute] = useQuery({
    query: FleetDisplays,
    variables: { first: size, after: paging.after, filter, orderBy },
  });
  useEffect(() => {
    if (generation) reexecute({ requestPolicy: 'network-only' });
  }, [generation, reexecute]);
  const conn = result.data?.fleetDisplays;
  const rows = useMemo(() => conn?.edges.map((e) => e.node) ?? [], [conn]);
  useEffect(() => onRows(rows), [rows, onRows]);

  if (result.error && !conn) return <ErrorNotice error={result.error} />;
  if (!conn) return <Loading label="Loading displays…" />;

  return (
    <section aria-labelledby="fleet-displays-title" className="fleet-stores">
      <div className="section-header">
        <h2 id="fleet-displays-title">Displays</h2>
        <p className="muted">
          {conn.totalCount} {conn.totalCount === 1 ? 'display' : 'displays'}
          {filter.status ? ` ${STATUS_LABEL[filter.status].toLowerCase()}` : ''}
        </p>
      </div>
      {result.error ? <ErrorNotice error={result.error} /> : null}
      {!rows.length ? (
        <Empty title="No display matches">Try another status, region or search.</Empty>
      ) : (
        <div className="table-wrap fleet-table-wrap">
          <table className="table fleet-table" aria-busy={result.fetching}>
            <caption className="visually-hidden">
              Displays, sorted by {COLUMNS.find((c) => c.key === sort.key)?.label.toLowerCase()}{' '}
              {sort.dir === 'asc' ? 'ascending' : 'descending'}
            </caption>
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <SortHeader key={c.label} column={c} sort={sort} onSort={onSort} />
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <DisplayRow key={row.id} display={withLive(row, overlay)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConnectionPager connection={conn} paging={paging} label="Display pages" />
    </section>
  );
}

function SortHeader({
  column,
  sort,
  onSort,
}: {
  column: { key: FleetSortKey | null; label: string };
  sort: Sort;
  onSort: (key: FleetSortKey) => void;
}) {
  const { key, label } = column;
  if (!key) return <th scope="col">{label}</th>;
  const active = sort.key === key;
  return (
    <th scope="col" data-sortable="" aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button type="button" className="sort-button" onClick={() => onSort(key)} data-sort={key}>
        {label}
        <span aria-hidden="true" className="sort-indicator">
          {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

function DisplayRow({ display: d }: { display: FleetDisplay }) {
  return (
    <tr data-display-id={d.id} data-status={d.status}>
      <th scope="row" data-col="name">
        <Link to={`stores/${d.store.id}#display-${d.id}`} className="fleet-display-name">
          {d.name}
        </Link>
        <span className="muted small">
          {[d.placement, d.orientation === 'PORTRAIT' ? 'portrait' : 'landscape'].filter(Boolean).join(' · ')}
        </span>
      </th>
      <td data-col="store">
        <Link to={`stores/${d.store.id}`}>{d.store.name}</Link>
        <span className="muted small fleet-store-code">{d.store.code}</span>
      </td>
      <td data-col="status">
        <DisplayStatusBadge status={d.status} />
      </td>
      <td data-col="lastSeen">
        {d.lastSeenAt ? (
          <>
            <time dateTime={d.lastSeenAt}>{formatDateTime(d.lastSeenAt)}</time>
            <span className="muted small">{ago(d.lastSeenAt)}</span>
          </>
        ) : (
          <span className="muted">Never</span>
        )}
      </td>
      <td data-col="nowPlaying">
        <NowPlayingText status={d.status} nowPlaying={d.nowPlaying} />
      </td>
      <td data-col="details">
        <TechnicalDetails display={d} />
      </td>
    </tr>
  );
}

/** Ids and playlist versions are for support, not for reading: behind a disclosure, per display. */
function TechnicalDetails({ display: d }: { display: FleetDisplay }) {
  const facts: [string, ReactNode][] = [
    ['Display id', <code key="id">{d.id}</code>],
    [
      'Playlist version',
      d.nowPlaying?.playlistVersion ? <code key="v">{d.nowPlaying.playlistVersion}</code> : 'not reported',
    ],
    ['Player version', d.nowPlaying?.appVersion ?? 'not reported'],
    ['Store time zone', d.store.timezone],
  ];
  return (
    <details className="fleet-details">
      <summary>
        Details<span className="visually-hidden"> of {d.name}</span>
      </summary>
      <dl className="fleet-facts">
        {facts.map(([term, value]) => (
          <div key={term} className="fleet-fact">
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
