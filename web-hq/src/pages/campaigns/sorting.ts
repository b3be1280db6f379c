import type { CampaignStatus } from './transitions';

export type SortKey = 'name' | 'status' | 'priority' | 'reach' | 'updated';

const STATUS_ORDER: Record<CampaignStatus, number> = {
  LIVE: 0,
  PAUSED: 1,
  APPROVED: 2,
  IN_REVIEW: 3,
  DRAFT: 4,
  ENDED: 5,
  ARCHIVED: 6,
};

interface Sortable {
  name: string;
  status: string;
  priority: number;
  matchingDisplayCount: number;
  updatedAt: string;
}

/**
 * Sorts one page of campaigns: `campaigns(filter)` has no sort argument (it returns them by name), so other
 * orders apply within the page shown. Ties keep name order.
 */
export function sortCampaigns<T extends Sortable>(rows: readonly T[], key: SortKey, dir: 'asc' | 'desc'): T[] {
  const value = (r: T): string | number => {
    switch (key) {
      case 'status':
        return STATUS_ORDER[r.status as CampaignStatus] ?? 99;
      case 'priority':
        return r.priority;
      case 'reach':
        return r.matchingDisplayCount;
      case 'updated':
        return Date.parse(r.updatedAt);
      default:
        return r.name.toLocaleLowerCase();
    }
  };
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    const c = typeof va === 'string' ? va.localeCompare(vb as string) : va - (vb as number);
    return c !== 0 ? sign * c : a.name.localeCompare(b.name);
  });
}
