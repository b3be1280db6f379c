import { useMemo } from 'react';
import { useQuery } from 'urql';

export interface CatalogCampaign {
  id: string;
  name: string;
}
export interface CatalogCreative {
  id: string;
  name: string;
  url: string | null;
  mimeType: string | null;
}
export interface Catalog {
  campaigns: ReadonlyMap<string, CatalogCampaign>;
  creatives: ReadonlyMap<string, CatalogCreative>;
  fetching: boolean;
}

/** At most this many of each are named in one request (a day of one display names far fewer). */
const MAX = 60;

/**
 * The names (and pictures) of the campaigns and creatives a day's playlists mention, in one request: one aliased
 * field per id, since the graph reads them by id. Ids the viewer may not see stay out of the maps.
 */
export function useCatalog(campaignIds: readonly string[], creativeIds: readonly string[]): Catalog {
  const campaigns = useMemo(() => [...new Set(campaignIds)].sort().slice(0, MAX), [campaignIds]);
  const creatives = useMemo(() => [...new Set(creativeIds)].sort().slice(0, MAX), [creativeIds]);
  const query = useMemo(() => {
    const vars = [...campaigns.map((_, i) => `$c${i}: ID!`), ...creatives.map((_, i) => `$k${i}: ID!`)];
    const fields = [
      ...campaigns.map((_, i) => `c${i}: campaign(id: $c${i}) { id name }`),
      ...creatives.map((_, i) => `k${i}: creative(id: $k${i}) { id name url mimeType }`),
    ];
    // urql parses the document even while paused: with nothing to name, a valid one that is never sent.
    if (!vars.length) return 'query PreviewCatalog { __typename }';
    return `query PreviewCatalog(${vars.join(', ')}) { ${fields.join(' ')} }`;
  }, [campaigns, creatives]);
  const variables = useMemo(
    () => ({
      ...Object.fromEntries(campaigns.map((id, i) => [`c${i}`, id])),
      ...Object.fromEntries(creatives.map((id, i) => [`k${i}`, id])),
    }),
    [campaigns, creatives],
  );
  const [result] = useQuery<Record<string, CatalogCampaign | CatalogCreative | null>>({
    query,
    variables,
    pause: !campaigns.length && !creatives.length,
  });
  return useMemo(() => {
    const data = result.data ?? {};
    const byId = <T extends { id: string }>(prefix: string, ids: string[]) =>
      new Map(
        ids.flatMap((_, i) => {
          const v = data[`${prefix}${i}`] as T | null | undefined;
          return v ? [[v.id, v] as const] : [];
        }),
      );
    return {
      campaigns: byId<CatalogCampaign>('c', campaigns),
      creatives: byId<CatalogCreative>('k', creatives),
      fetching: result.fetching,
    };
  }, [result.data, result.fetching, campaigns, creatives]);
}
