import { useCallback, useEffect, useState } from 'react';
import { useClient, type CombinedError, type OperationResult } from 'urql';
import { graphql } from '../../gql';
import type { DisplayStatus, FleetSummaryQuery, StoreFilter } from '../../gql/graphql';

const SummaryPage = graphql(`
  query FleetSummary($after: String, $filter: StoreFilter) {
    stores(first: 100, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          displays {
            id
            status
          }
        }
      }
    }
  }
`);

/** At most this many stores are walked for the summary (100 a page). */
const MAX_PAGES = 50;

export interface FleetIndex {
  stores: number;
  displays: { id: string; storeId: string; status: DisplayStatus }[];
  /** The fleet has more stores than the summary walked */
  truncated: boolean;
  loadedAt: number;
}

/**
 * Every display's status across all stores matching the filter (not just the page on screen): the counts per
 * status. Walks the stores connection 100 at a time.
 */
export function useFleetIndex(filter: StoreFilter) {
  const client = useClient();
  const [index, setIndex] = useState<FleetIndex | null>(null);
  const [error, setError] = useState<CombinedError | null>(null);
  const [fetching, setFetching] = useState(true);
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(filter);

  useEffect(() => {
    let cancelled = false;
    const parsed = JSON.parse(key) as StoreFilter;
    const startedAt = Date.now();
    setFetching(true);
    void (async () => {
      const displays: FleetIndex['displays'] = [];
      let after: string | null = null;
      let stores = 0;
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
        const conn: FleetSummaryQuery['stores'] = result.data.stores;
        stores = conn.totalCount;
        for (const { node } of conn.edges)
          for (const d of node.displays) displays.push({ id: d.id, storeId: node.id, status: d.status });
        if (!conn.pageInfo.hasNextPage || !conn.pageInfo.endCursor) {
          setIndex({ stores, displays, truncated: false, loadedAt: startedAt });
          setError(null);
          setFetching(false);
          return;
        }
        after = conn.pageInfo.endCursor;
      }
      setIndex({ stores, displays, truncated: true, loadedAt: startedAt });
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
