import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { describeReach } from '../campaigns/revision';
import type { PlaybackReportFilter } from '../../gql/graphql';
import {
  ButtonLink,
  DataTable,
  Empty,
  ErrorNotice,
  Loading,
  Page,
  Section,
  StatusBadge,
  formatDuration,
  type Column,
} from '../../ui';
import { DailyChart, RankingChart, type NamedMetrics } from './charts';
import { csvFileName, daysBetween, fillDays, longDay, playsPerDay, type DayMetrics } from './dates';
import { CreativeName, CsvButton, TotalsCards, formatCount, shortId, useStoreNames } from './parts';
import { DateRangePicker, useDateRange } from './range';
import { campaignWhere } from '../campaigns/targeting';

const ReportCampaign = graphql(`
  query ReportCampaign($id: ID!) {
    campaign(id: $id) {
      id
      name
      status
      description
      store {
        id
        name
      }
      targeting {
        include {
          kind
          value
        }
        exclude {
          kind
          value
        }
      }
      reach {
        asIfLive
        matchingCount
        playingCount
        outrankedCount
      }
    }
  }
`);

const CampaignPlayback = graphql(`
  query CampaignPlayback(
    $byDay: PlaybackReportFilter!
    $byStore: PlaybackReportFilter!
    $byCreative: PlaybackReportFilter!
  ) {
    byDay: playbackReport(filter: $byDay) {
      totals {
        plays
        playTimeMs
        displays
      }
      rows {
        day
        plays
        playTimeMs
        displays
      }
    }
    byStore: playbackReport(filter: $byStore) {
      rows {
        storeId
        plays
        playTimeMs
        displays
      }
    }
    byCreative: playbackReport(filter: $byCreative) {
      rows {
        creativeId
        plays
        playTimeMs
        displays
      }
    }
  }
`);

interface Row {
  key: string;
  plays: number;
  playTimeMs: number;
  displays: number;
}

const metricColumns = <T extends Row>(): Column<T>[] => [
  { key: 'plays', header: 'Plays', className: 'num', render: (r) => formatCount(r.plays) },
  { key: 'time', header: 'Play time', className: 'num', render: (r) => formatDuration(r.playTimeMs) },
  { key: 'displays', header: 'Displays', className: 'num', render: (r) => formatCount(r.displays) },
];

export function CampaignReport() {
  const { campaignId = '' } = useParams();
  const [range, setRange] = useDateRange();
  const [campaignRes] = useQuery({ query: ReportCampaign, variables: { id: campaignId } });
  const campaign = campaignRes.data?.campaign;

  const base = useMemo<PlaybackReportFilter>(
    () => ({ from: range.from, to: range.to, campaignId }),
    [range.from, range.to, campaignId],
  );
  const [report, reexecute] = useQuery({
    query: CampaignPlayback,
    variables: {
      byDay: { ...base, groupBy: ['DAY'] },
      byStore: { ...base, groupBy: ['STORE'] },
      byCreative: { ...base, groupBy: ['CREATIVE'] },
    },
  });
  const storeNames = useStoreNames();

  const title = campaign ? `Report: ${campaign.name}` : 'Campaign report';
  const csvFilter = useMemo<PlaybackReportFilter>(() => ({ ...base, groupBy: ['DAY', 'STORE', 'CREATIVE'] }), [base]);

  if (campaignRes.error && !campaignRes.data) {
    return (
      <Page title={title} actions={<BackToReports />}>
        <ErrorNotice error={campaignRes.error} />
      </Page>
    );
  }
  if (campaignRes.data && !campaign) {
    return (
      <Page title="Campaign not found" actions={<BackToReports />}>
        <Empty title="No campaign has this id, or you may not see it.">
          <Link to="/reports">Choose another campaign</Link>
        </Empty>
      </Page>
    );
  }

  const data = report.data;
  const days: DayMetrics[] = data ? fillDays(data.byDay.rows, range.from, range.to) : [];
  const stores: (Row & NamedMetrics)[] =
    data?.byStore.rows.map((r) => ({
      key: r.storeId ?? 'none',
      name: (r.storeId && storeNames.get(r.storeId)) || shortId(r.storeId),
      plays: r.plays,
      playTimeMs: r.playTimeMs,
      displays: r.displays,
    })) ?? [];
  stores.sort((a, b) => b.plays - a.plays);
  const creatives: (Row & { creativeId: string | null })[] =
    data?.byCreative.rows.map((r) => ({ ...r, key: r.creativeId ?? 'none', creativeId: r.creativeId ?? null })) ?? [];
  creatives.sort((a, b) => b.plays - a.plays);
  // The table lists the days with plays, newest first (the chart shows every day).
  const dayRows: (Row & DayMetrics)[] = days.filter((d) => d.plays > 0).map((d) => ({ key: d.day, ...d }));
  const totals = data?.byDay.totals;
  const nDays = daysBetween(range.from, range.to);

  return (
    <Page
      title={title}
      description={
        campaign ? (
          <span className="report-campaign-meta">
            <StatusBadge status={campaign.status} />
            <span>{campaignWhere(campaign)}</span>
            <Link to={`/campaigns/${campaign.id}`}>Open the campaign</Link>
          </span>
        ) : null
      }
      actions={
        <>
          <BackToReports />
          <CsvButton
            filter={csvFilter}
            fileName={csvFileName(['plays', campaign?.name ?? campaignId, range.from, range.to])}
          />
        </>
      }
    >
      <div className="report">
        {campaign ? (
          <Section title="Reach now">
            <p data-testid="report-reach-now">
              <strong>{describeReach(campaign.reach)}</strong>{' '}
              <Link to={`/fleet?campaign=${campaign.id}`}>See them in the fleet</Link>
            </p>
            <p className="muted small">
              The same count as the editor, the campaign list and the fleet. “Displays reached” in the totals below are
              the displays that reported plays in the chosen period.
            </p>
          </Section>
        ) : null}
        <DateRangePicker value={range} onChange={setRange} />
        {report.error && !data ? (
          <ErrorNotice error={report.error} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        ) : !data || !totals ? (
          <Loading label="Loading the report…" />
        ) : (
          <>
            <Section title="Totals">
              <TotalsCards
                totals={totals}
                extra={[
                  { label: 'Stores', value: formatCount(stores.length) },
                  {
                    label: 'Plays per day',
                    value: playsPerDay(totals.plays, nDays),
                    note: `average of ${formatCount(nDays)} days`,
                  },
                ]}
              />
            </Section>
            {!totals.plays ? (
              <Empty title="No plays recorded in this period.">
                Displays report proof-of-play as they play the campaign; choose another period, or check the campaign’s
                status and targeting.
              </Empty>
            ) : (
              <>
                <Section title="By day">
                  <DailyChart days={days} />
                </Section>
                <div className="report-grid">
                  <Section title="By store">
                    <RankingChart title="Plays per store" rows={stores} />
                    <DataTable
                      caption={`Plays per store, ${longDay(range.from)} – ${longDay(range.to)}`}
                      hideCaption
                      rows={stores}
                      rowKey={(r) => r.key}
                      columns={[
                        { key: 'store', header: 'Store', rowHeader: true, render: (r) => r.name },
                        ...metricColumns<(typeof stores)[number]>(),
                      ]}
                    />
                  </Section>
                  <Section title="By creative">
                    <DataTable
                      caption="Plays per creative"
                      hideCaption
                      rows={creatives}
                      rowKey={(r) => r.key}
                      columns={[
                        {
                          key: 'creative',
                          header: 'Creative',
                          rowHeader: true,
                          render: (r) => <CreativeName id={r.creativeId} />,
                        },
                        ...metricColumns<(typeof creatives)[number]>(),
                      ]}
                    />
                  </Section>
                </div>
                <Section title="Day by day (days with plays)">
                  <DataTable
                    caption={`Plays per day (store-local days), ${longDay(range.from)} – ${longDay(range.to)}`}
                    hideCaption
                    rows={[...dayRows].reverse()}
                    empty={<Empty title="No day had plays." />}
                    rowKey={(r) => r.key}
                    columns={[
                      { key: 'day', header: 'Day', rowHeader: true, render: (r) => longDay(r.day) },
                      ...metricColumns<(typeof dayRows)[number]>(),
                    ]}
                  />
                </Section>
              </>
            )}
          </>
        )}
      </div>
    </Page>
  );
}

function BackToReports() {
  const [params] = useSearchParams();
  const from = params.get('from');
  const to = params.get('to');
  return (
    <ButtonLink to={from && to ? `/reports?from=${from}&to=${to}` : '/reports'} variant="secondary">
      ← All campaigns
    </ButtonLink>
  );
}
