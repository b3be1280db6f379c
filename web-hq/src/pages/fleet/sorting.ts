import type { FleetDisplayOrder, FleetDisplayOrderField } from '../../gql/graphql';

/** The fleet list's sort as it sits in the address (`?sort=lastSeen&dir=desc`); the server sorts every page. */
export type FleetSortKey = 'name' | 'store' | 'status' | 'lastSeen';

const FIELDS: Record<FleetSortKey, FleetDisplayOrderField> = {
  name: 'NAME',
  store: 'STORE',
  status: 'STATUS',
  lastSeen: 'LAST_SEEN',
};

/** Worst first: what needs attention opens the list. */
export const DEFAULT_SORT: { key: FleetSortKey; dir: 'asc' | 'desc' } = { key: 'status', dir: 'asc' };

export const PAGE_SIZES = [10, 25, 50, 100] as const;

export function isFleetSortKey(value: string | null | undefined): value is FleetSortKey {
  return !!value && value in FIELDS;
}

/** The sort of the address, falling back to the default for what it does not know. */
export function fleetSort(key: string | null, dir: string | null): { key: FleetSortKey; dir: 'asc' | 'desc' } {
  if (!isFleetSortKey(key)) return DEFAULT_SORT;
  return { key, dir: dir === 'desc' ? 'desc' : 'asc' };
}

export function fleetOrder(sort: { key: FleetSortKey; dir: 'asc' | 'desc' }): FleetDisplayOrder {
  return { field: FIELDS[sort.key], direction: sort.dir === 'desc' ? 'DESC' : 'ASC' };
}

/** Clicking a column: its natural direction first (latest first for last seen), again to reverse. */
export function nextSort(
  current: { key: FleetSortKey; dir: 'asc' | 'desc' },
  key: FleetSortKey,
): { key: FleetSortKey; dir: 'asc' | 'desc' } {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: key === 'lastSeen' ? 'desc' : 'asc' };
}

export function pageSize(value: string | null): number {
  const n = Number(value);
  return (PAGE_SIZES as readonly number[]).includes(n) ? n : 25;
}
