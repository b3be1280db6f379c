import { useMemo } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { RetailCampaignsQuery } from '../gql/graphql';

const RetailCampaigns = graphql(`
  query RetailCampaigns {
    campaigns(first: 100, filter: { status: [LIVE, PAUSED, APPROVED] }) {
      edges {
        node {
          id
          name
          status
          storeId
          pausedStoreIds
          matchingDisplays {
            id
          }
          landing {
            headline
          }
        }
      }
    }
  }
`);

export type StoreCampaign = RetailCampaignsQuery['campaigns']['edges'][number]['node'];

/** The campaigns a person may see that can play (by name), shared by the pages (one query, cached). */
export function useStoreCampaigns() {
  const [result, reexecute] = useQuery({ query: RetailCampaigns });
  const list = useMemo(() => result.data?.campaigns.edges.map((e) => e.node) ?? [], [result.data]);
  const byId = useMemo(() => new Map(list.map((c) => [c.id, c])), [list]);
  return { result, reexecute, list, byId };
}

/**
 * Campaigns that concern a store: its own (store-local) ones, and tenant-wide ones whose targeting reaches one of
 * its displays. `paused` says whether the store took it off its displays.
 */
export function campaignsForStore(
  campaigns: readonly Pick<StoreCampaign, 'id' | 'storeId' | 'pausedStoreIds' | 'matchingDisplays'>[],
  storeId: string,
  displayIds: readonly string[],
): { id: string; local: boolean; paused: boolean }[] {
  const here = new Set(displayIds);
  return campaigns
    .filter((c) => c.storeId === storeId || (!c.storeId && c.matchingDisplays.some((d) => here.has(d.id))))
    .map((c) => ({ id: c.id, local: c.storeId === storeId, paused: c.pausedStoreIds.includes(storeId) }));
}
