import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { describeReach } from './revision';
import type { CampaignStatus as GqlCampaignStatus } from '../../gql/graphql';
import { useSession } from '@phub/web-kit';
import {
  ButtonLink,
  DataTable,
  Empty,
  ErrorNotice,
  Field,
  Loading,
  Page,
  ConnectionPager,
  StatusBadge,
  formatDateTime,
  statusLabel,
  useCursorPager,
  useDebounced,
  type Column,
  type SortState,
} from '../../ui';
import { describeDayparts } from './daypart-grid';
import { campaignOrder, isSortKey } from './sorting';
import { canCreateCampaign, type CampaignStatus } from './transitions';

export const CampaignListQuery = graphql(`
  query CampaignList($first: Int!, $after: String, $filter: CampaignFilter, $orderBy: CampaignOrder) {
    campaigns(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          status
          priority
          weight
          storeId
          updatedAt
          matchingDisplayCount
          pendingRevision {
            id
          }
          reach {
            asIfLive
            matchingCount
            playingCount
            outrankedCount
          }
          schedule {
            startDate
            endDate
            dayparts {
              days
              from
              to
            }
          }
        }
      }
    }
  }
`);

const STATUSES: CampaignStatus[] = ['DRAFT', 'IN_REVIEW', 'APPROVED', 'LIVE', 'PAUSED', 'ENDED', 'ARCHIVED'];
const PAGE_SIZE = 20;

type Row = {
  id: string;
  name: string;
  status: string;
  priority: number;
  weight: number;
  storeId?: string | null;
  updatedAt: string;
  matchingDisplayCount: number;
  pendingRevision?: { id: string } | null;
  reach: { asIfLive: boolean; matchingCount: number; playingCount: number; outrankedCount: number };
  schedule: {
    startDate?: string | null;
    endDate?: string | null;
    dayparts: { days: string[]; from: string; to: string }[];
  };
};

function dateRange(s: Row['schedule']): string {
  if (!s.startDate && !s.endDate) return 'Always';
  return `${s.startDate ?? '…'} → ${s.endDate ?? '…'}`;
}

export function CampaignListPage() {
  const { viewer } = useSession();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const statuses = useMemo(
    () => (params.get('status')?.split(',').filter(Boolean) ?? []) as CampaignStatus[],
    [params],
  );
  const sortParam = params.get('sort');
  const sort: SortState = {
    key: isSortKey(sortParam) ? sortParam : 'name',
    dir: params.get('dir') === 'desc' ? 'desc' : 'asc',
  };
  const orderBy = campaignOrder(sort.key, sort.dir);
  const q = useDebounced(search.trim(), 300);
  const pager = useCursorPager(PAGE_SIZE);
  const { reset } = pager;

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };

  useEffect(() => {
    if ((params.get('q') ?? '') !== q) update({ q: q || null });
    reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);
  // A cursor belongs to one filter and one order: back to the first page when either changes.
  useEffect(() => reset(), [statuses, sort.key, sort.dir, reset]);

  const includeArchived = statuses.includes('ARCHIVED');
  const filter = {
    search: q || null,
    status: statuses.length ? (statuses as GqlCampaignStatus[]) : null,
    includeArchived,
  };
  const [result, refetch] = useQuery({
    query: CampaignListQuery,
    variables: { first: PAGE_SIZE, after: pager.after, filter, orderBy },
  });
  const connection = result.data?.campaigns;
  const rows: Row[] = useMemo(() => connection?.edges.map((e) => e.node) ?? [], [connection]);

  const toggleStatus = (s: CampaignStatus) => {
    const next = statuses.includes(s) ? statuses.filter((x) => x !== s) : [...statuses, s];
    update({ status: next.join(',') || null });
  };
  const onSort = (key: string) => update({ sort: key, dir: sort.key === key && sort.dir === 'asc' ? 'desc' : 'asc' });

  const columns: Column<Row>[] = [
    {
      key: 'name',
      header: 'Name',
      sortable: true,
      rowHeader: true,
      render: (c) => <Link to={`/campaigns/${c.id}`}>{c.name}</Link>,
    },
    {
      key: 'status',
      header: 'Status',
      sortable: true,
      // A live campaign with an edit in review stays live; the second badge says a change waits.
      render: (c) => (
        <span className="row">
          <StatusBadge status={c.status} />
          {c.pendingRevision ? <StatusBadge status="IN_REVIEW" label="Changes in review" /> : null}
        </span>
      ),
    },
    { key: 'priority', header: 'Priority', sortable: true, className: 'num', render: (c) => c.priority },
    { key: 'weight', header: 'Weight', className: 'num', render: (c) => c.weight },
    {
      key: 'reach',
      header: 'Plays now / matches',
      className: 'num',
      // Live ones: where they play now of the displays they match, and where a higher priority outranks them.
      render: (c) => (
        <span data-testid="list-reach" title={describeReach(c.reach)}>
          {c.reach.asIfLive ? `– / ${c.reach.matchingCount}` : `${c.reach.playingCount} / ${c.reach.matchingCount}`}
          {!c.reach.asIfLive && c.reach.outrankedCount ? (
            <span className="muted small"> ({c.reach.outrankedCount} outranked)</span>
          ) : null}
        </span>
      ),
    },
    {
      key: 'schedule',
      header: 'Schedule',
      render: (c) => (
        <span>
          {dateRange(c.schedule)}
          <br />
          <span className="muted">{describeDayparts(c.schedule.dayparts as never)}</span>
        </span>
      ),
    },
    { key: 'updated', header: 'Updated', sortable: true, render: (c) => formatDateTime(c.updatedAt) },
  ];

  const filtered = !!q || statuses.length > 0;
  return (
    <Page
      title="Campaigns"
      description="What plays on in-store screens: search, filter by status and open a campaign to edit it."
      actions={
        viewer && canCreateCampaign(viewer) ? (
          <ButtonLink to="/campaigns/new" variant="primary">
            New campaign
          </ButtonLink>
        ) : null
      }
    >
      <form role="search" className="filters" aria-label="Filter campaigns" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search by name">
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. Spring" />
        </Field>
        <fieldset>
          <legend>Status</legend>
          <div className="chips">
            {STATUSES.map((s) => (
              <label key={s} className="checkbox">
                <input type="checkbox" checked={statuses.includes(s)} onChange={() => toggleStatus(s)} />
                {statusLabel(s)}
              </label>
            ))}
          </div>
        </fieldset>
        <Field label="Sort by" hint="Sorts the whole list, not just this page.">
          <select
            value={`${sort.key}:${sort.dir}`}
            onChange={(e) => {
              const [key, dir] = e.target.value.split(':');
              update({ sort: key!, dir: dir! });
            }}
          >
            <option value="name:asc">Name (A–Z)</option>
            <option value="name:desc">Name (Z–A)</option>
            <option value="updated:desc">Recently updated</option>
            <option value="priority:desc">Priority (high first)</option>
            <option value="priority:asc">Priority (low first)</option>
            <option value="status:asc">Status (live first)</option>
            <option value="status:desc">Status (archived first)</option>
            <option value="updated:asc">Least recently updated</option>
          </select>
        </Field>
      </form>

      <ErrorNotice error={result.error} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
      {result.fetching && !connection ? <Loading label="Loading campaigns…" /> : null}
      {connection ? (
        connection.totalCount === 0 && rows.length === 0 ? (
          <Empty title={filtered ? 'No campaign matches these filters.' : 'There are no campaigns yet.'}>
            {filtered
              ? 'Clear the search or the status filters to see more.'
              : 'Create the first one with “New campaign”.'}
          </Empty>
        ) : (
          <>
            <DataTable
              caption={`Campaigns (${connection.totalCount})`}
              hideCaption
              columns={columns}
              rows={rows}
              rowKey={(c) => c.id}
              sort={sort}
              onSort={onSort}
            />
            <ConnectionPager connection={connection} paging={pager} label="Campaign pages" />
          </>
        )
      ) : null}
    </Page>
  );
}
