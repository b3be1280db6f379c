import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { CampaignStatus, PlaybackReportFilter } from '../../gql/graphql';
import {
  DataTable,
  Empty,
  ErrorNotice,
  Loading,
  Page,
  Section,
  StatusBadge,
  formatDuration,
  statusLabel,
  useCursorPager,
  useDebounced,
  ConnectionPager,
} from '../../ui';
import { RankingChart } from './charts';
import { csvFileName, longDay } from './dates';
import { CsvButton, TotalsCards, formatCount, shortId, useCampaignNames } from './parts';
import { DateRangePicker, useDateRange, type DateRange } from './range';

const PAGE_SIZE = 20;
const STATUSES: CampaignStatus[] = ['LIVE', 'PAUSED', 'APPROVED', 'ENDED', 'IN_REVIEW', 'DRAFT', 'ARCHIVED'];

const AllCampaignsPlayback = graphql(`
  query AllCampaignsPlayback($filter: PlaybackReportFilter!) {
    playbackReport(filter: $filter) {
      totals {
        plays
        playTimeMs
        displays
      }
      rows {
        campaignId
        plays
        playTimeMs
        displays
      }
    }
  }
`);

const ReportCampaignList = graphql(`
  query ReportCampaignList($first: Int!, $after: String, $filter: CampaignFilter) {
    campaigns(first: $first, after: $after, filter: $filter) {
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
          store {
            id
            name
          }
          updatedAt
        }
      }
    }
  }
`);

const reportLink = (id: string, range: DateRange) => `campaigns/${id}?from=${range.from}&to=${range.to}`;

export function ReportsHome() {
  const [range, setRange] = useDateRange();
  return (
    <Page
      title="Reports"
      description="Proof-of-play: how often and how long campaigns played, where and when. Days are each store’s own calendar days."
    >
      <div className="report">
        <DateRangePicker value={range} onChange={setRange} />
        <div className="report-grid report-grid--home">
          <CampaignChooser range={range} />
          <AllCampaigns range={range} />
        </div>
      </div>
    </Page>
  );
}

function AllCampaigns({ range }: { range: DateRange }) {
  const filter = useMemo<PlaybackReportFilter>(
    () => ({ from: range.from, to: range.to, groupBy: ['CAMPAIGN'] }),
    [range.from, range.to],
  );
  const [res, reexecute] = useQuery({ query: AllCampaignsPlayback, variables: { filter } });
  const names = useCampaignNames();
  const report = res.data?.playbackReport;
  const rows = (report?.rows ?? [])
    .map((r) => ({
      key: r.campaignId ?? 'none',
      campaignId: r.campaignId ?? null,
      name:
        (r.campaignId && names.get(r.campaignId)) || (r.campaignId ? `Campaign ${shortId(r.campaignId)}` : 'Overrides'),
      plays: r.plays,
      playTimeMs: r.playTimeMs,
      displays: r.displays,
    }))
    .sort((a, b) => b.plays - a.plays);

  return (
    <Section
      title="All campaigns"
      actions={
        <CsvButton
          filter={{ ...filter, groupBy: ['DAY', 'CAMPAIGN'] }}
          fileName={csvFileName(['plays-all-campaigns', range.from, range.to])}
        />
      }
    >
      {res.error && !report ? (
        <ErrorNotice error={res.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
      ) : !report ? (
        <Loading label="Loading totals…" />
      ) : (
        <>
          <TotalsCards totals={report.totals} extra={[{ label: 'Campaigns', value: formatCount(rows.length) }]} />
          {!rows.length ? (
            <Empty title="No plays recorded in this period." />
          ) : (
            <>
              <RankingChart title="Plays per campaign" rows={rows} limit={10} />
              <DataTable
                caption={`Plays per campaign, ${longDay(range.from)} – ${longDay(range.to)}`}
                hideCaption
                rows={rows}
                rowKey={(r) => r.key}
                columns={[
                  {
                    key: 'campaign',
                    header: 'Campaign',
                    rowHeader: true,
                    render: (r) => (r.campaignId ? <Link to={reportLink(r.campaignId, range)}>{r.name}</Link> : r.name),
                  },
                  { key: 'plays', header: 'Plays', className: 'num', render: (r) => formatCount(r.plays) },
                  { key: 'time', header: 'Play time', className: 'num', render: (r) => formatDuration(r.playTimeMs) },
                  { key: 'displays', header: 'Displays', className: 'num', render: (r) => formatCount(r.displays) },
                ]}
              />
            </>
          )}
        </>
      )}
    </Section>
  );
}

function CampaignChooser({ range }: { range: DateRange }) {
  const searchId = useId();
  const statusId = useId();
  const [text, setText] = useState('');
  const [status, setStatus] = useState<CampaignStatus | ''>('');
  const search = useDebounced(text.trim(), 300);
  const key = `${search}|${status}`;
  return (
    <Section title="Choose a campaign">
      <div className="filters">
        <div className="field">
          <label htmlFor={searchId} className="field-label">
            Name
          </label>
          <input
            id={searchId}
            type="search"
            value={text}
            placeholder="Search campaigns"
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={statusId} className="field-label">
            Status
          </label>
          <select id={statusId} value={status} onChange={(e) => setStatus(e.target.value as CampaignStatus | '')}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <CampaignList key={key} search={search} status={status} range={range} />
    </Section>
  );
}

function CampaignList({ search, status, range }: { search: string; status: CampaignStatus | ''; range: DateRange }) {
  const paging = useCursorPager(PAGE_SIZE);
  const [res] = useQuery({
    query: ReportCampaignList,
    variables: {
      first: PAGE_SIZE,
      after: paging.after,
      filter: {
        ...(search ? { search } : {}),
        ...(status ? { status: [status] } : {}),
        includeArchived: status === 'ARCHIVED',
      },
    },
  });
  const conn = res.data?.campaigns;
  if (res.error && !conn) return <ErrorNotice error={res.error} />;
  if (!conn) return <Loading />;
  return (
    <>
      <DataTable
        caption="Campaigns"
        hideCaption
        rows={conn.edges.map((e) => e.node)}
        rowKey={(c) => c.id}
        empty={<Empty title="No campaign matches." />}
        columns={[
          {
            key: 'name',
            header: 'Campaign',
            rowHeader: true,
            render: (c) => (
              <>
                <Link to={reportLink(c.id, range)}>{c.name}</Link>
                {c.store ? <div className="muted">Store-local: {c.store.name}</div> : null}
              </>
            ),
          },
          { key: 'status', header: 'Status', render: (c) => <StatusBadge status={c.status} /> },
        ]}
      />
      <ConnectionPager connection={conn} paging={paging} label="Campaign pages" />
    </>
  );
}
