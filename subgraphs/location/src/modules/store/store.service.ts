import { badInput, paginate, type Connection } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../db-errors.js';
import { isUuid } from '../../ids.js';
import { emitDisplay, emitStore } from '../../events.js';
import type { LocationScope } from '../../scope.js';
import { normaliseTags } from '../../validation.js';
import { Display } from '../display/display.entity.js';
import { Region } from '../region/region.entity.js';
import { regionNotFound } from '../region/region.errors.js';
import { Store, type OpeningHoursException, type StoreContact } from './store.entity.js';
import { openingHoursExceptionInvalid, openingHoursInvalid, storeCodeTaken, storeNotFound } from './store.errors.js';
import type {
  CreateStoreInput,
  OpeningHoursExceptionInput,
  StoreContactInput,
  StoreFilter,
  UpdateStoreInput,
} from './store.input.js';

export class StoreService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly onCommit: () => void = () => {},
  ) {}

  async list(
    scope: LocationScope,
    args: { first?: number | null; after?: string | null; filter?: StoreFilter | null },
  ): Promise<Connection<Store>> {
    const qb = await scope.scoped(Store, 's', { store: 'id' });
    const filter = args.filter ?? {};
    if (!filter.includeArchived) qb.andWhere('s.archivedAt IS NULL');
    if (filter.regionId && !isUuid(filter.regionId)) throw badInput('filter.regionId: not a region id');
    if (filter.regionId) qb.andWhere('s.regionId = :regionId', { regionId: filter.regionId });
    if (filter.tag) qb.andWhere(':tag = ANY(s.tags)', { tag: filter.tag.trim().toLowerCase() });
    if (filter.search?.trim()) {
      const pattern = `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('(s.name ILIKE :pattern OR s.code ILIKE :pattern)', { pattern });
    }
    return paginate(qb, { first: args.first, after: args.after, sortColumn: 'name' });
  }

  async get(scope: LocationScope, id: string): Promise<Store> {
    if (!isUuid(id)) throw storeNotFound(id);
    const qb = await scope.scoped(Store, 's', { store: 'id' });
    const store = await qb.andWhere('s.id = :id', { id }).getOne();
    if (!store) throw storeNotFound(id);
    return store;
  }

  async create(scope: LocationScope, input: CreateStoreInput): Promise<Store> {
    scope.assertCanEditStoreData(null);
    checkOpeningHours(input.openingHours);
    const exceptions = openingHoursExceptions(input.openingHoursExceptions) ?? [];
    return this.write(input.code, async (manager) => {
      if (input.regionId) await this.assertRegion(manager, scope.tenantId, input.regionId);
      const store = manager.create(Store, {
        tenantId: scope.tenantId,
        regionId: input.regionId ?? null,
        name: input.name.trim(),
        code: input.code,
        timezone: input.timezone,
        address: input.address ? { ...input.address } : null,
        lat: input.geo?.lat ?? null,
        lng: input.geo?.lng ?? null,
        openingHours: (input.openingHours ?? []).map((h) => ({ ...h })),
        openingHoursExceptions: exceptions,
        contact: storeContact(input.contact),
        tags: normaliseTags(input.tags) ?? [],
        archivedAt: null,
      });
      const saved = await manager.save(store);
      await emitStore(manager, saved);
      return saved;
    });
  }

  async update(scope: LocationScope, input: UpdateStoreInput): Promise<Store> {
    const store = await this.get(scope, input.id);
    scope.assertCanEditStoreData(store.id);
    checkOpeningHours(input.openingHours);
    const exceptions = openingHoursExceptions(input.openingHoursExceptions);
    return this.write(input.code ?? store.code, async (manager) => {
      if (input.regionId !== undefined && input.regionId !== null) {
        await this.assertRegion(manager, scope.tenantId, input.regionId);
        store.regionId = input.regionId;
      }
      if (input.name != null) store.name = input.name.trim();
      if (input.code != null) store.code = input.code;
      if (input.timezone != null) store.timezone = input.timezone;
      if (input.address !== undefined) store.address = input.address ? { ...input.address } : null;
      if (input.geo !== undefined) {
        store.lat = input.geo?.lat ?? null;
        store.lng = input.geo?.lng ?? null;
      }
      if (input.openingHours != null) store.openingHours = input.openingHours.map((h) => ({ ...h }));
      if (exceptions) store.openingHoursExceptions = exceptions;
      if (input.contact !== undefined) store.contact = storeContact(input.contact);
      if (input.tags != null) store.tags = normaliseTags(input.tags) ?? [];
      const saved = await manager.save(store);
      await emitStore(manager, saved);
      return saved;
    });
  }

  /** Archives the store and its displays; history stays, the rows leave every list. */
  async archive(scope: LocationScope, id: string): Promise<Store> {
    scope.assertHqAdmin();
    const store = await this.get(scope, id);
    if (store.archivedAt) return store;
    return this.write(store.code, async (manager) => {
      const now = new Date();
      store.archivedAt = now;
      const saved = await manager.save(store);
      await emitStore(manager, saved);
      const displays = await manager
        .getRepository(Display)
        .createQueryBuilder('d')
        .where('d.tenantId = :t AND d.storeId = :id AND d.archivedAt IS NULL', { t: store.tenantId, id })
        .getMany();
      for (const display of displays) {
        display.archivedAt = now;
        await manager.save(display);
        await emitDisplay(manager, display);
      }
      return saved;
    });
  }

  private async assertRegion(manager: EntityManager, tenantId: string, regionId: string): Promise<void> {
    if (!isUuid(regionId)) throw regionNotFound(regionId);
    const region = await manager
      .getRepository(Region)
      .createQueryBuilder('r')
      .where('r.tenantId = :tenantId AND r.id = :regionId AND r.archivedAt IS NULL', { tenantId, regionId })
      .getOne();
    if (!region) throw regionNotFound(regionId);
  }

  private async write<T>(code: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      const result = await this.dataSource.transaction(work);
      this.onCommit();
      return result;
    } catch (err) {
      if (isUniqueViolation(err)) throw storeCodeTaken(code);
      throw err;
    }
  }
}

function checkOpeningHours(hours: { day: string; opens: string; closes: string }[] | null | undefined): void {
  for (const h of hours ?? []) if (h.closes <= h.opens) throw openingHoursInvalid(h.day);
}

/** One exception per real calendar date, either shut or with a window that closes after it opens; by date. */
function openingHoursExceptions(
  input: OpeningHoursExceptionInput[] | null | undefined,
): OpeningHoursException[] | undefined {
  if (!input) return undefined;
  const seen = new Set<string>();
  const out: OpeningHoursException[] = [];
  for (const e of input) {
    const [y, m, d] = e.date.split('-').map(Number) as [number, number, number];
    const real = new Date(Date.UTC(y, m - 1, d));
    if (real.getUTCFullYear() !== y || real.getUTCMonth() !== m - 1 || real.getUTCDate() !== d) {
      throw openingHoursExceptionInvalid(e.date, 'is not a calendar date');
    }
    if (seen.has(e.date)) throw openingHoursExceptionInvalid(e.date, 'is given twice');
    seen.add(e.date);
    const note = e.note?.trim() || null;
    if (e.closed) {
      if (e.opens || e.closes) throw openingHoursExceptionInvalid(e.date, 'is closed: leave opens and closes out');
      out.push({ date: e.date, closed: true, opens: null, closes: null, note });
      continue;
    }
    if (!e.opens || !e.closes) throw openingHoursExceptionInvalid(e.date, 'needs opens and closes (or closed)');
    if (e.closes <= e.opens) throw openingHoursExceptionInvalid(e.date, 'must close after it opens');
    out.push({ date: e.date, closed: false, opens: e.opens, closes: e.closes, note });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

/** Blank fields are absent; a contact with nothing in it is no contact. */
function storeContact(input: StoreContactInput | null | undefined): StoreContact | null {
  const phone = input?.phone?.trim() || null;
  const email = input?.email?.trim().toLowerCase() || null;
  return phone || email ? { phone, email } : null;
}
