import { useMemo, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { PlaybackReportFilter } from '../../gql/graphql';
import { Button, formatDuration, useToast } from '../../ui';

const ReportCampaignNames = graphql(`
  query ReportCampaignNames {
    campaigns(first: 100, filter: { includeArchived: true }) {
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

const ReportStoreNames = graphql(`
  query ReportStoreNames {
    stores(first: 100, filter: { includeArchived: true }) {
      edges {
        node {
          id
          name
          code
        }
      }
    }
  }
`);

const ReportCreativeName = graphql(`
  query ReportCreativeName($id: ID!) {
    creative(id: $id) {
      id
      name
    }
  }
`);

const ReportCsv = graphql(`
  query ReportCsv($filter: PlaybackReportFilter!) {
    playbackReportCsv(filter: $filter)
  }
`);

/** Names for the ids of report rows (the first 100 campaigns; others show a short id). */
export function useCampaignNames(): ReadonlyMap<string, string> {
  const [res] = useQuery({ query: ReportCampaignNames });
  return useMemo(() => new Map(res.data?.campaigns.edges.map((e) => [e.node.id, e.node.name]) ?? []), [res.data]);
}

/** Names for the store ids of report rows (the first 100 stores the viewer may see). */
export function useStoreNames(): ReadonlyMap<string, string> {
  const [res] = useQuery({ query: ReportStoreNames });
  return useMemo(() => new Map(res.data?.stores.edges.map((e) => [e.node.id, e.node.name]) ?? []), [res.data]);
}

export const shortId = (id: string | null | undefined) => (id ? `${id.slice(0, 8)}…` : '—');

export function CreativeName({ id }: { id: string | null | undefined }) {
  const [res] = useQuery({ query: ReportCreativeName, variables: { id: id ?? '' }, pause: !id });
  const name = res.data?.creative?.name;
  return name ? <span>{name}</span> : <code title={id ?? undefined}>{shortId(id)}</code>;
}

const number = new Intl.NumberFormat();
export const formatCount = (n: number) => number.format(n);

export interface Totals {
  plays: number;
  playTimeMs: number;
  displays: number;
}

/** The headline numbers of a report. */
export function TotalsCards({
  totals,
  extra,
}: {
  totals: Totals;
  extra?: { label: string; value: string; note?: string }[];
}) {
  const items: { label: string; value: string; note?: string }[] = [
    { label: 'Plays', value: formatCount(totals.plays) },
    { label: 'Play time', value: totals.playTimeMs ? formatDuration(totals.playTimeMs) : '0 s' },
    { label: 'Displays reached', value: formatCount(totals.displays) },
    ...(extra ?? []),
  ];
  return (
    <dl className="report-totals">
      {items.map((i) => (
        <div key={i.label} className="report-total">
          <dt>{i.label}</dt>
          <dd data-testid={`total-${i.label.toLowerCase().replace(/\s+/g, '-')}`}>{i.value}</dd>
          {i.note ? <dd className="report-total-note">{i.note}</dd> : null}
        </div>
      ))}
    </dl>
  );
}

/**
 * Downloads playbackReportCsv as a file. The graph needs the session's bearer token, so the CSV comes through the
 * GraphQL client (not a plain link to /reports/plays.csv) and is saved from a Blob.
 */
export function CsvButton({ filter, fileName }: { filter: PlaybackReportFilter; fileName: string }) {
  const client = useClient();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const r = await client.query(ReportCsv, { filter }, { requestPolicy: 'network-only' }).toPromise();
      if (r.error || !r.data) {
        toast.error('The CSV could not be made', r.error ?? 'The platform sent no data; try again.', { topic: 'csv' });
        return;
      }
      const blob = new Blob([r.data.playbackReportCsv], { type: 'text/csv;charset=utf-8' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      toast.success(`Downloaded ${fileName}`, { topic: 'csv' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button variant="secondary" busy={busy} onClick={() => void download()}>
      Download CSV
    </Button>
  );
}
