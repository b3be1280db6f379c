import { badInput, paginate, type Connection } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../db-errors.js';
import { isUuid } from '../../ids.js';
import type { LocationScope } from '../../scope.js';
import { normaliseTags } from '../../validation.js';
import { Display } from '../display/display.entity.js';
import { DisplayGroup, DisplayGroupMember } from './display-group.entity.js';
import {
  displayGroupArchived,
  displayGroupNameTaken,
  displayGroupNotFound,
  displaysNotFound,
  MAX_GROUP_CHANGE,
  tooManyDisplays,
} from './display-group.errors.js';
import type { CreateDisplayGroupInput, DisplayGroupFilter, UpdateDisplayGroupInput } from './display-group.input.js';

/**
 * Display groups belong to the tenant, not to a store: HQ admins manage them, HQ people (and partners
 * with location:read) read them. Their displays are listed through the viewer's own visibility.
 */
export class DisplayGroupService {
  constructor(private readonly dataSource: DataSource) {}

  async list(
    scope: LocationScope,
    args: { first?: number | null; after?: string | null; filter?: DisplayGroupFilter | null },
  ): Promise<Connection<DisplayGroup>> {
    const qb = this.tenantGroups(scope);
    const filter = args.filter ?? {};
    if (!filter.includeArchived) qb.andWhere('g.archivedAt IS NULL');
    if (filter.tag) qb.andWhere(':tag = ANY(g.tags)', { tag: filter.tag.trim().toLowerCase() });
    if (filter.search?.trim()) {
      const pattern = `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('g.name ILIKE :pattern', { pattern });
    }
    return paginate(qb, { first: args.first, after: args.after, sortColumn: 'name' });
  }

  async find(scope: LocationScope, id: string): Promise<DisplayGroup | null> {
    if (!isUuid(id)) return null;
    return this.tenantGroups(scope).andWhere('g.id = :id', { id }).getOne();
  }

  async get(scope: LocationScope, id: string): Promise<DisplayGroup> {
    const group = await this.find(scope, id);
    if (!group) throw displayGroupNotFound(id);
    return group;
  }

  async create(scope: LocationScope, input: CreateDisplayGroupInput): Promise<DisplayGroup> {
    scope.assertHqAdmin();
    const name = input.name.trim();
    if (!name) throw badInput('name must not be empty', { field: 'name' });
    return this.write(name, async (manager) => {
      const group = await manager.save(
        manager.create(DisplayGroup, {
          tenantId: scope.tenantId,
          name,
          description: input.description?.trim() || null,
          tags: normaliseTags(input.tags) ?? [],
          archivedAt: null,
        }),
      );
      if (input.displayIds?.length) await addMembers(manager, scope.tenantId, group.id, input.displayIds);
      return group;
    });
  }

  async update(scope: LocationScope, input: UpdateDisplayGroupInput): Promise<DisplayGroup> {
    scope.assertHqAdmin();
    const group = await this.get(scope, input.id);
    if (group.archivedAt) throw displayGroupArchived(group.id);
    if (input.name != null) {
      group.name = input.name.trim();
      if (!group.name) throw badInput('name must not be empty', { field: 'name' });
    }
    if (input.description !== undefined) group.description = input.description?.trim() || null;
    if (input.tags != null) group.tags = normaliseTags(input.tags) ?? [];
    return this.write(group.name, (manager) => manager.save(group));
  }

  /** Archived groups keep their displays, so a restore brings the group back as it was. */
  async archive(scope: LocationScope, id: string): Promise<DisplayGroup> {
    scope.assertHqAdmin();
    const group = await this.get(scope, id);
    if (group.archivedAt) return group;
    group.archivedAt = new Date();
    return this.dataSource.getRepository(DisplayGroup).save(group);
  }

  async restore(scope: LocationScope, id: string): Promise<DisplayGroup> {
    scope.assertHqAdmin();
    const group = await this.get(scope, id);
    if (!group.archivedAt) return group;
    group.archivedAt = null;
    return this.write(group.name, (manager) => manager.save(group));
  }

  /** Adds displays (idempotent: ones already in the group stay as they are). */
  async addDisplays(scope: LocationScope, groupId: string, displayIds: string[]): Promise<DisplayGroup> {
    scope.assertHqAdmin();
    const group = await this.get(scope, groupId);
    if (group.archivedAt) throw displayGroupArchived(group.id);
    await this.dataSource.transaction((manager) => addMembers(manager, scope.tenantId, group.id, displayIds));
    return group;
  }

  /** Removes displays; ids that are not in the group are ignored. */
  async removeDisplays(scope: LocationScope, groupId: string, displayIds: string[]): Promise<DisplayGroup> {
    scope.assertHqAdmin();
    const group = await this.get(scope, groupId);
    const ids = checkIds(displayIds);
    if (ids.length) {
      await this.dataSource
        .getRepository(DisplayGroupMember)
        .createQueryBuilder()
        .delete()
        .where('tenantId = :t AND groupId = :g AND displayId IN (:...ids)', {
          t: scope.tenantId,
          g: group.id,
          ids,
        })
        .execute();
    }
    return group;
  }

  /** Active displays of each group that the viewer may see, by name. */
  async displaysOf(scope: LocationScope, groupIds: readonly string[]): Promise<Display[][]> {
    if (!groupIds.some(isUuid)) return groupIds.map(() => []);
    const qb = await scope.scoped(Display, 'd', { store: 'storeId', display: 'id' });
    const rows = await qb
      .innerJoin(DisplayGroupMember, 'm', 'm.displayId = d.id AND m.tenantId = d.tenantId')
      .addSelect('m.groupId', 'group_id')
      .andWhere('m.groupId IN (:...groupIds)', { groupIds: groupIds.filter(isUuid) })
      .andWhere('d.archivedAt IS NULL')
      .orderBy('d.name', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .getRawAndEntities();
    const byGroup = new Map<string, Display[]>(groupIds.map((id) => [id, []]));
    rows.raw.forEach((raw: { group_id: string; d_id: string }) => {
      const display = rows.entities.find((e) => e.id === raw.d_id);
      if (display) byGroup.get(raw.group_id)?.push(display);
    });
    return groupIds.map((id) => byGroup.get(id) ?? []);
  }

  /** Active groups each display belongs to, by name. */
  async groupsOf(scope: LocationScope, displayIds: readonly string[]): Promise<DisplayGroup[][]> {
    const valid = displayIds.filter(isUuid);
    if (!valid.length) return displayIds.map(() => []);
    const rows = await this.tenantGroups(scope)
      .innerJoin(DisplayGroupMember, 'm', 'm.groupId = g.id AND m.tenantId = g.tenantId')
      .addSelect('m.displayId', 'display_id')
      .andWhere('m.displayId IN (:...valid)', { valid })
      .andWhere('g.archivedAt IS NULL')
      .orderBy('g.name', 'ASC')
      .addOrderBy('g.id', 'ASC')
      .getRawAndEntities();
    const byDisplay = new Map<string, DisplayGroup[]>(displayIds.map((id) => [id, []]));
    rows.raw.forEach((raw: { display_id: string; g_id: string }) => {
      const group = rows.entities.find((e) => e.id === raw.g_id);
      if (group) byDisplay.get(raw.display_id)?.push(group);
    });
    return displayIds.map((id) => byDisplay.get(id) ?? []);
  }

  private tenantGroups(scope: LocationScope) {
    scope.assertCanRead();
    return this.dataSource
      .getRepository(DisplayGroup)
      .createQueryBuilder('g')
      .where('g.tenantId = :tenantId', { tenantId: scope.tenantId });
  }

  /** One transaction; the unique index on active names turns a duplicate into CONFLICT. */
  private async write<T>(name: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (err) {
      if (isUniqueViolation(err)) throw displayGroupNameTaken(name);
      throw err;
    }
  }
}

function checkIds(displayIds: string[]): string[] {
  const ids = [...new Set(displayIds)];
  if (ids.length > MAX_GROUP_CHANGE) throw tooManyDisplays(ids.length);
  const malformed = ids.filter((id) => !isUuid(id));
  if (malformed.length) throw displaysNotFound(malformed);
  return ids;
}

/** Every id must name an active display of the tenant; otherwise nothing is added. */
async function addMembers(manager: EntityManager, tenantId: string, groupId: string, displayIds: string[]) {
  const ids = checkIds(displayIds);
  if (!ids.length) return;
  const found = await manager
    .getRepository(Display)
    .createQueryBuilder('d')
    .select('d.id', 'id')
    .where('d.tenantId = :tenantId AND d.id IN (:...ids) AND d.archivedAt IS NULL', { tenantId, ids })
    .getRawMany<{ id: string }>();
  const known = new Set(found.map((r) => r.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length) throw displaysNotFound(missing);
  await manager
    .createQueryBuilder()
    .insert()
    .into(DisplayGroupMember)
    .values(ids.map((displayId) => ({ groupId, displayId, tenantId })))
    .orIgnore()
    .execute();
}
