import { badInput } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { isUniqueViolation } from '../../db-errors.js';
import { isUuid } from '../../ids.js';
import type { LocationScope } from '../../scope.js';
import { normaliseTags } from '../../validation.js';
import { assertZone } from '../display/display.service.js';
import type { StoreService } from '../store/store.service.js';
import { Device } from './device.entity.js';
import { deviceNotFound, serialTaken } from './device.errors.js';
import type { CreateDeviceInput, UpdateDeviceInput } from './device.input.js';

export class DeviceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stores: StoreService,
  ) {}

  async get(scope: LocationScope, id: string): Promise<Device> {
    if (!isUuid(id)) throw deviceNotFound(id);
    const qb = await scope.scoped(Device, 'x', { store: 'storeId' });
    const device = await qb.andWhere('x.id = :id', { id }).getOne();
    if (!device) throw deviceNotFound(id);
    return device;
  }

  async create(scope: LocationScope, input: CreateDeviceInput): Promise<Device> {
    const store = await this.stores.get(scope, input.storeId);
    if (store.archivedAt) throw badInput('storeId: the store is archived', { field: 'storeId' });
    scope.assertCanManageStore(store.id);
    try {
      return await this.dataSource.transaction(async (manager) => {
        if (input.zoneId) await assertZone(manager, store.tenantId, store.id, input.zoneId);
        return manager.save(
          manager.create(Device, {
            tenantId: store.tenantId,
            storeId: store.id,
            zoneId: input.zoneId ?? null,
            kind: input.kind,
            name: input.name.trim(),
            serial: input.serial,
            tags: normaliseTags(input.tags) ?? [],
            archivedAt: null,
          }),
        );
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw serialTaken(input.serial);
      throw err;
    }
  }

  async update(scope: LocationScope, input: UpdateDeviceInput): Promise<Device> {
    const device = await this.get(scope, input.id);
    scope.assertCanManageStore(device.storeId);
    return this.dataSource.transaction(async (manager) => {
      if (input.zoneId !== undefined) {
        if (input.zoneId) await assertZone(manager, device.tenantId, device.storeId, input.zoneId);
        device.zoneId = input.zoneId ?? null;
      }
      if (input.name != null) device.name = input.name.trim();
      if (input.tags != null) device.tags = normaliseTags(input.tags) ?? [];
      return manager.save(device);
    });
  }

  async archive(scope: LocationScope, id: string): Promise<Device> {
    const device = await this.get(scope, id);
    scope.assertCanManageStore(device.storeId);
    device.archivedAt ??= new Date();
    return this.dataSource.getRepository(Device).save(device);
  }
}
