import type { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isUuid } from './ids.js';

/**
 * The one place where auth scopes rows to a tenant: every read of tenant-owned rows
 * (users, API clients, audit events, sessions) starts from here, never from a bare repository.
 */
export function inTenant<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  alias: string,
  tenantId: string,
): SelectQueryBuilder<T> {
  return manager.getRepository(entity).createQueryBuilder(alias).where(`${alias}.tenantId = :tenantId`, { tenantId });
}

/** A tenant's row by id, or null (also for ids of other tenants and for non-ids). */
export async function findInTenant<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  tenantId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<T | null> {
  if (!isUuid(id)) return null;
  const qb = inTenant(manager, entity, 'e', tenantId).andWhere('e.id = :id', { id });
  if (options.lock) qb.setLock('pessimistic_write');
  return qb.getOne();
}
