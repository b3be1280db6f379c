import type { DataSource } from 'typeorm';
import { isUniqueViolation } from '../../db-errors.js';
import { isUuid } from '../../ids.js';
import type { LocationScope } from '../../scope.js';
import { Store } from '../store/store.entity.js';
import { Region } from './region.entity.js';
import { regionCodeTaken, regionInUse, regionNotFound } from './region.errors.js';
import type { CreateRegionInput, UpdateRegionInput } from './region.input.js';

export class RegionService {
  constructor(private readonly dataSource: DataSource) {}

  async list(scope: LocationScope, includeArchived = false): Promise<Region[]> {
    const qb = await scope.scoped(Region, 'r', { store: null });
    if (!includeArchived) qb.andWhere('r.archivedAt IS NULL');
    return qb.orderBy('r.name', 'ASC').addOrderBy('r.id', 'ASC').getMany();
  }

  async get(scope: LocationScope, id: string): Promise<Region> {
    if (!isUuid(id)) throw regionNotFound(id);
    const qb = await scope.scoped(Region, 'r', { store: null });
    const region = await qb.andWhere('r.id = :id', { id }).getOne();
    if (!region) throw regionNotFound(id);
    return region;
  }

  async create(scope: LocationScope, input: CreateRegionInput): Promise<Region> {
    scope.assertHqAdmin();
    try {
      return await this.dataSource.getRepository(Region).save({
        tenantId: scope.tenantId,
        name: input.name.trim(),
        code: input.code,
        archivedAt: null,
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw regionCodeTaken(input.code);
      throw err;
    }
  }

  async update(scope: LocationScope, input: UpdateRegionInput): Promise<Region> {
    scope.assertHqAdmin();
    const region = await this.get(scope, input.id);
    if (input.name !== undefined && input.name !== null) region.name = input.name.trim();
    if (input.code !== undefined && input.code !== null) region.code = input.code;
    try {
      return await this.dataSource.getRepository(Region).save(region);
    } catch (err) {
      if (isUniqueViolation(err)) throw regionCodeTaken(region.code);
      throw err;
    }
  }

  async archive(scope: LocationScope, id: string): Promise<Region> {
    scope.assertHqAdmin();
    const region = await this.get(scope, id);
    const activeStores = await this.dataSource
      .getRepository(Store)
      .createQueryBuilder('s')
      .where('s.tenantId = :t AND s.regionId = :id AND s.archivedAt IS NULL', { t: scope.tenantId, id })
      .getCount();
    if (activeStores > 0) throw regionInUse(id);
    region.archivedAt ??= new Date();
    return this.dataSource.getRepository(Region).save(region);
  }
}
