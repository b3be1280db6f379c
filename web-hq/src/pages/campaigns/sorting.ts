import type { CampaignOrder, CampaignOrderField, SortDirection } from '../../gql/graphql';

/** The list's sort as it sits in the address (`?sort=priority&dir=desc`); the server sorts, across all pages. */
export type SortKey = 'name' | 'status' | 'priority' | 'updated';

const FIELDS: Record<SortKey, CampaignOrderField> = {
  name: 'NAME',
  status: 'STATUS',
  priority: 'PRIORITY',
  updated: 'UPDATED',
};

export const SORT_KEYS = Object.keys(FIELDS) as SortKey[];

export function isSortKey(value: string | null | undefined): value is SortKey {
  return !!value && value in FIELDS;
}

/** `campaigns(orderBy)` for the address's sort; an unknown key (an old link) sorts by name. */
export function campaignOrder(key: string | null | undefined, dir: string | null | undefined): CampaignOrder {
  const direction: SortDirection = dir === 'desc' ? 'DESC' : 'ASC';
  return { field: isSortKey(key) ? FIELDS[key] : 'NAME', direction };
}
