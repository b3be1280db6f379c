import { badInput } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { isUuid } from '../../ids.js';
import type { LocationScope } from '../../scope.js';
import { Device } from '../device/device.entity.js';
import { Display } from '../display/display.entity.js';
import type { StoreService } from '../store/store.service.js';
import { Zone } from './zone.entity.js';
import { zoneInUse, zoneNotFound } from './zone.errors.js';
import type { CreateZoneInput, UpdateZoneInput } from './zone.input.js';

export class ZoneService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stores: StoreService,
  ) {}

  async get(scope: LocationScope, id: string): Promise<Zone> {
    if (!isUuid(id)) throw zoneNotFound(id);
    const qb = await scope.scoped(Zone, 'z', { store: 'storeId' });
    const zone = await qb.andWhere('z.id = :id', { id }).getOne();
    if (!zone) throw zoneNotFound(id);
    return zone;
  }

  async create(scope: LocationScope, input: CreateZoneInput): Promise<Zone> {
    const store = await this.stores.get(scope, input.storeId);
    if (store.archivedAt) throw badInput('storeId: the store is archived', { field: 'storeId' });
    scope.assertCanManageStore(store.id);
    return this.dataSource.getRepository(Zone).save({
      tenantId: store.tenantId,
      storeId: store.id,
      name: input.name.trim(),
      kind: input.kind,
      archivedAt: null,
    });
  }

  async update(scope: LocationScope, input: UpdateZoneInput): Promise<Zone> {
    const zone = await this.get(scope, input.id);
    scope.assertCanManageStore(zone.storeId);
    if (input.name != null) zone.name = input.name.trim();
    if (input.kind != null) zone.kind = input.kind;
    return this.dataSource.getRepository(Zone).save(zone);
  }

  async archive(scope: LocationScope, id: string): Promise<Zone> {
    const zone = await this.get(scope, id);
    scope.assertCanManageStore(zone.storeId);
    if (zone.archivedAt) return zone;
    const inUse = await Promise.all(
      [Display, Device].map((entity) =>
        this.dataSource
          .getRepository(entity)
          .createQueryBuilder('x')
          .where('x.tenantId = :t AND x.zoneId = :id AND x.archivedAt IS NULL', { t: zone.tenantId, id })
          .getCount(),
      ),
    );
    if (inUse.some((n) => n > 0)) throw zoneInUse(id);
    zone.archivedAt = new Date();
    return this.dataSource.getRepository(Zone).save(zone);
  }
}
