import DataLoader from 'dataloader';
import type { ObjectLiteral } from 'typeorm';
import { Device } from './modules/device/device.entity.js';
import { Display } from './modules/display/display.entity.js';
import type { DisplayGroup } from './modules/display-group/display-group.entity.js';
import type { DisplayGroupService } from './modules/display-group/display-group.service.js';
import { Region } from './modules/region/region.entity.js';
import { Store } from './modules/store/store.entity.js';
import { Zone } from './modules/zone/zone.entity.js';
import { isUuid } from './ids.js';
import type { LocationScope } from './scope.js';

/** Batches lookups by id within one request: a list of 100 references is one query. */
function byId<T extends ObjectLiteral & { id: string }>(
  scope: LocationScope,
  entity: new () => T,
  columns: { store: string | null; display?: string },
) {
  return new DataLoader<string, T | null>(async (ids) => {
    const valid = ids.filter(isUuid);
    if (!valid.length) return ids.map(() => null);
    const qb = await scope.scoped(entity, 'e', columns);
    const rows = await qb.andWhere('e.id IN (:...ids)', { ids: valid }).getMany();
    const found = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** Batches "children of these stores" lookups, e.g. `stores { displays }`. */
function byStore<T extends ObjectLiteral & { storeId: string; name: string; archivedAt: Date | null }>(
  scope: LocationScope,
  entity: new () => T,
  columns: { store: string | null; display?: string },
) {
  return new DataLoader<string, T[]>(async (storeIds) => {
    const qb = await scope.scoped(entity, 'e', columns);
    const rows = await qb
      .andWhere('e.storeId IN (:...storeIds)', { storeIds: storeIds.filter(isUuid) })
      .andWhere('e.archivedAt IS NULL')
      .orderBy('e.name', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .getMany();
    return storeIds.map((id) => rows.filter((r) => r.storeId === id));
  });
}

export function createLoaders(scope: LocationScope, groups: DisplayGroupService) {
  return {
    displaysByGroup: new DataLoader<string, Display[]>((ids) => groups.displaysOf(scope, ids)),
    groupsByDisplay: new DataLoader<string, DisplayGroup[]>((ids) => groups.groupsOf(scope, ids)),
    region: byId(scope, Region, { store: null }),
    store: byId(scope, Store, { store: 'id' }),
    display: byId(scope, Display, { store: 'storeId', display: 'id' }),
    zone: byId(scope, Zone, { store: 'storeId' }),
    device: byId(scope, Device, { store: 'storeId' }),
    displaysByStore: byStore(scope, Display, { store: 'storeId', display: 'id' }),
    zonesByStore: byStore(scope, Zone, { store: 'storeId' }),
    devicesByStore: byStore(scope, Device, { store: 'storeId' }),
  };
}
export type LocationLoaders = ReturnType<typeof createLoaders>;
