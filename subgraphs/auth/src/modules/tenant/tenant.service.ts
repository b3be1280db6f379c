import type { Viewer } from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { RequestMeta } from '../../context.js';
import { isUniqueViolation } from '../../ids.js';
import { AuditEventType, AuditPartyType } from '../audit/audit.entity.js';
import { actorOf, type AuditService } from '../audit/audit.service.js';
import { Tenant } from './tenant.entity.js';
import { tenantNotFound, tenantSlugInvalid, tenantSlugTaken } from './tenant.errors.js';
import { SLUG_PATTERN, type CreateTenantInput, type UpdateTenantInput } from './tenant.input.js';

export class TenantService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The viewer's own tenant; nobody sees another. */
  async current(viewer: Viewer): Promise<Tenant> {
    const tenant = await this.dataSource.manager.findOneBy(Tenant, { id: viewer.tenantId });
    if (!tenant) throw tenantNotFound(viewer.tenantId);
    return tenant;
  }

  async create(input: CreateTenantInput): Promise<Tenant> {
    const slug = input.slug.trim().toLowerCase();
    if (!SLUG_PATTERN.test(slug)) throw tenantSlugInvalid(input.slug);
    try {
      const tenant = this.dataSource.manager.create(Tenant, {
        ...(input.id ? { id: input.id } : {}),
        slug,
        name: input.name.trim(),
      });
      return await this.dataSource.manager.save(tenant);
    } catch (err) {
      if (isUniqueViolation(err)) throw tenantSlugTaken(slug);
      throw err;
    }
  }

  async update(viewer: Viewer, input: UpdateTenantInput, meta: RequestMeta): Promise<Tenant> {
    return this.dataSource.transaction(async (manager) => {
      const tenant = await manager.findOne(Tenant, {
        where: { id: viewer.tenantId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!tenant) throw tenantNotFound(viewer.tenantId);
      const before = tenant.name;
      tenant.name = input.name.trim();
      await manager.save(tenant);
      await this.audit.record(manager, {
        type: AuditEventType.TENANT_UPDATED,
        tenantId: tenant.id,
        actor: actorOf(viewer),
        subject: { type: AuditPartyType.TENANT, id: tenant.id },
        meta,
        details: { before: { name: before }, after: { name: tenant.name } },
      });
      return tenant;
    });
  }
}
