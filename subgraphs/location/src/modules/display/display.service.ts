import { badInput, paginate, type Connection } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import { emitDisplay } from '../../events.js';
import { isUuid } from '../../ids.js';
import type { LocationScope } from '../../scope.js';
import { normaliseTags } from '../../validation.js';
import type { StoreService } from '../store/store.service.js';
import { DisplayGroupMember } from '../display-group/display-group.entity.js';
import { Zone } from '../zone/zone.entity.js';
import { Display, Orientation } from './display.entity.js';
import { displayNotFound, zoneNotInStore } from './display.errors.js';
import type { CreateDisplayInput, DisplayFilter, UpdateDisplayInput } from './display.input.js';

/** The most displays one bulk change may touch. */
export const MAX_BULK = 500;

export class DisplayService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly stores: StoreService,
    private readonly onCommit: () => void = () => {},
  ) {}

  async list(
    scope: LocationScope,
    args: { first?: number | null; after?: string | null; filter?: DisplayFilter | null },
  ): Promise<Connection<Display>> {
    const qb = await scope.scoped(Display, 'd', { store: 'storeId', display: 'id' });
    const filter = args.filter ?? {};
    if (!filter.includeArchived) qb.andWhere('d.archivedAt IS NULL');
    if (filter.storeId && !isUuid(filter.storeId)) throw badInput('filter.storeId: not a store id');
    if (filter.storeId) qb.andWhere('d.storeId = :storeId', { storeId: filter.storeId });
    if (filter.tag) qb.andWhere(':tag = ANY(d.tags)', { tag: filter.tag.trim().toLowerCase() });
    if (filter.groupId && !isUuid(filter.groupId)) throw badInput('filter.groupId: not a display group id');
    if (filter.groupId) {
      const members = this.dataSource
        .getRepository(DisplayGroupMember)
        .createQueryBuilder('m')
        .select('m.displayId')
        .where('m.groupId = :groupId');
      qb.andWhere(`d.id IN (${members.getQuery()})`, { groupId: filter.groupId });
    }
    if (filter.zoneId && !isUuid(filter.zoneId)) throw badInput('filter.zoneId: not a zone id');
    if (filter.zoneId) qb.andWhere('d.zoneId = :zoneId', { zoneId: filter.zoneId });
    if (filter.orientation) qb.andWhere('d.orientation = :orientation', { orientation: filter.orientation });
    if (filter.search?.trim()) {
      const pattern = `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('d.name ILIKE :pattern', { pattern });
    }
    return paginate(qb, { first: args.first, after: args.after, sortColumn: 'name' });
  }

  async get(scope: LocationScope, id: string): Promise<Display> {
    if (!isUuid(id)) throw displayNotFound(id);
    const qb = await scope.scoped(Display, 'd', { store: 'storeId', display: 'id' });
    const display = await qb.andWhere('d.id = :id', { id }).getOne();
    if (!display) throw displayNotFound(id);
    return display;
  }

  async create(scope: LocationScope, input: CreateDisplayInput): Promise<Display> {
    const store = await this.stores.get(scope, input.storeId);
    if (store.archivedAt) throw badInput('storeId: the store is archived', { field: 'storeId' });
    scope.assertCanManageStore(store.id);
    return this.write(async (manager) => {
      // Only null means no zone: an empty or malformed id is refused, never written (it is not a uuid).
      if (input.zoneId != null) await assertZone(manager, store.tenantId, store.id, input.zoneId);
      const display = manager.create(Display, {
        tenantId: store.tenantId,
        storeId: store.id,
        zoneId: input.zoneId ?? null,
        name: input.name.trim(),
        orientation: input.orientation,
        resolution: input.resolution ? { ...input.resolution } : defaultResolution(input.orientation),
        tags: normaliseTags(input.tags) ?? [],
        placement: input.placement?.trim() || null,
        archivedAt: null,
      });
      const saved = await manager.save(display);
      await emitDisplay(manager, saved);
      return saved;
    });
  }

  async update(scope: LocationScope, input: UpdateDisplayInput): Promise<Display> {
    const display = await this.get(scope, input.id);
    scope.assertCanManageStore(display.storeId);
    if (input.storeId && input.storeId !== display.storeId) {
      // Moving needs the right to manage both stores.
      const target = await this.stores.get(scope, input.storeId);
      if (target.archivedAt) throw badInput('storeId: the store is archived', { field: 'storeId' });
      scope.assertCanManageStore(target.id);
      display.storeId = target.id;
      if (input.zoneId === undefined) display.zoneId = null;
    }
    return this.write(async (manager) => {
      if (input.zoneId !== undefined) {
        if (input.zoneId !== null) await assertZone(manager, display.tenantId, display.storeId, input.zoneId);
        display.zoneId = input.zoneId ?? null;
      }
      if (input.name != null) display.name = input.name.trim();
      if (input.orientation != null) display.orientation = input.orientation;
      if (input.resolution != null) display.resolution = { ...input.resolution };
      if (input.tags != null) display.tags = normaliseTags(input.tags) ?? [];
      if (input.placement !== undefined) display.placement = input.placement?.trim() || null;
      const saved = await manager.save(display);
      await emitDisplay(manager, saved);
      return saved;
    });
  }

  async archive(scope: LocationScope, id: string): Promise<Display> {
    const display = await this.get(scope, id);
    scope.assertCanManageStore(display.storeId);
    if (display.archivedAt) return display;
    return this.write(async (manager) => {
      display.archivedAt = new Date();
      const saved = await manager.save(display);
      await emitDisplay(manager, saved);
      return saved;
    });
  }

  /**
   * Moves many displays into one zone (or out of their zones) at once: all or none, in one transaction. The zone
   * must belong to every display's store.
   */
  async setZone(scope: LocationScope, displayIds: string[], zoneId: string | null): Promise<Display[]> {
    const displays = await this.many(scope, displayIds);
    return this.write(async (manager) => {
      const saved: Display[] = [];
      for (const display of displays) {
        if (zoneId !== null) await assertZone(manager, display.tenantId, display.storeId, zoneId);
        display.zoneId = zoneId;
        saved.push(await manager.save(display));
        await emitDisplay(manager, display);
      }
      return saved;
    });
  }

  /** Archives many displays at once: all or none (already archived ones stay as they are). */
  async archiveMany(scope: LocationScope, displayIds: string[]): Promise<Display[]> {
    const displays = await this.many(scope, displayIds);
    return this.write(async (manager) => {
      const now = new Date();
      const saved: Display[] = [];
      for (const display of displays) {
        if (display.archivedAt) {
          saved.push(display);
          continue;
        }
        display.archivedAt = now;
        saved.push(await manager.save(display));
        await emitDisplay(manager, display);
      }
      return saved;
    });
  }

  /** The displays of a bulk change, each one the viewer may manage; NOT_FOUND names the first missing id. */
  private async many(scope: LocationScope, displayIds: string[]): Promise<Display[]> {
    const ids = [...new Set(displayIds)];
    if (!ids.length) throw badInput('displayIds: name at least one display', { field: 'displayIds' });
    if (ids.length > MAX_BULK) {
      throw badInput(`displayIds: at most ${MAX_BULK} displays at once`, { field: 'displayIds', max: MAX_BULK });
    }
    const missing = ids.find((id) => !isUuid(id));
    if (missing) throw displayNotFound(missing);
    const qb = await scope.scoped(Display, 'd', { store: 'storeId', display: 'id' });
    const found = await qb.andWhere('d.id IN (:...ids)', { ids }).getMany();
    const byId = new Map(found.map((d) => [d.id, d]));
    const absent = ids.find((id) => !byId.has(id));
    if (absent) throw displayNotFound(absent);
    const displays = ids.map((id) => byId.get(id)!);
    for (const d of displays) scope.assertCanManageStore(d.storeId);
    return displays;
  }

  private async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.onCommit();
    return result;
  }
}

function defaultResolution(orientation: Orientation) {
  return orientation === Orientation.PORTRAIT ? { width: 1080, height: 1920 } : { width: 1920, height: 1080 };
}

export async function assertZone(manager: EntityManager, tenantId: string, storeId: string, zoneId: string) {
  const zone = isUuid(zoneId)
    ? await manager
        .getRepository(Zone)
        .createQueryBuilder('z')
        .where('z.tenantId = :tenantId AND z.storeId = :storeId AND z.id = :zoneId AND z.archivedAt IS NULL', {
          tenantId,
          storeId,
          zoneId,
        })
        .getOne()
    : null;
  if (!zone) throw zoneNotInStore(zoneId);
}
