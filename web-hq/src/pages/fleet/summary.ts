import { useCallback, useEffect, useState } from 'react';
import { useClient, type CombinedError, type OperationResult } from 'urql';
import { graphql } from '../../gql';
import type { DisplayStatus, FleetDisplayFilter, FleetSummaryQuery } from '../../gql/graphql';

const SummaryPage = graphql(`
  query FleetSummary($after: String, $filter: FleetDisplayFilter) {
    fleetDisplays(first: 100, after: $after, filter: $filter, orderBy: { field: STORE }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          status
          store {
            id
          }
        }
      }
    }
  }
`);

/** At most this many pages of displays are walked for the summary (100 a page). */
const MAX_PAGES = 50;

export interface FleetIndex {
  stores: number;
  displays: { id: string; storeId: string; status: DisplayStatus }[];
  /** The fleet has more displays than the summary walked */
  truncated: boolean;
  loadedAt: number;
}

/**
 * Every display's status across the whole filtered fleet (not just the page on screen): the counts per status
 * and how many stores they are in. Walks the fleet 100 displays at a time.
 */
export function useFleetIndex(filter: FleetDisplayFilter) {
  const client = useClient();
  const [index, setIndex] = useState<FleetIndex | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const [fetching, setFetching] = useState(true);
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(filter);

  useEffect(() => {
    let cancelled = false;
    const parsed = JSON.parse(key) as FleetDisplayFilter;
    const startedAt = Date.now();
    setFetching(true);
    void (async () => {
      const displays: FleetIndex['displays'] = [];
      let after: string | null = null;
      const stores = new Set<string>();
      for (let page = 0; page < MAX_PAGES; page++) {
        const result: OperationResult<FleetSummaryQuery> = await client
          .query(SummaryPage, { after, filter: parsed }, { requestPolicy: 'network-only' })
          .toPromise();
        if (cancelled) return;
        if (result.error || !result.data) {
          setError(result.error ?? null);
          setFetching(false);
          return;
        }
        const conn: FleetSummaryQuery['fleetDisplays'] = result.data.fleetDisplays;
        for (const { node } of conn.edges) {
          displays.push({ id: node.id, storeId: node.store.id, status: node.status });
          stores.add(node.store.id);
        }
        if (!conn.pageInfo.hasNextPage || !conn.pageInfo.endCursor) {
          setIndex({ stores: stores.size, displays, truncated: false, loadedAt: startedAt });
          setError(null);
          setFetching(false);
          return;
        }
        after = conn.pageInfo.endCursor;
      }
      setIndex({ stores: stores.size, displays, truncated: true, loadedAt: startedAt });
      setError(null);
      setFetching(false);
    })();
    return () => {
      cancelled = true;
    };
  }, [client, key, generation]);

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  return { index, error, fetching, refresh };
}
