import type { Clock } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor, VisitorScope } from '../../scope.js';
import { type AuditAction, VisitorAuditEntry } from './audit.entity.js';

export interface AuditRecord {
  tenantId: string;
  actor: Actor;
  action: AuditAction;
  profileId?: string | null;
  storeId?: string | null;
  fields?: string[];
}

/** The audit of personal data: every read of a personal field and every change, written where it happens. */
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async record(m: EntityManager | null, ...records: AuditRecord[]): Promise<void> {
    if (!records.length) return;
    const at = new Date(this.clock.now());
    await (m ?? this.dataSource.manager).insert(
      VisitorAuditEntry,
      records.map((r) => ({
        tenantId: r.tenantId,
        actorKind: r.actor.kind,
        actorId: r.actor.id,
        action: r.action,
        visitorId: r.profileId ?? null,
        storeId: r.storeId ?? null,
        fields: r.fields ?? [],
        at,
      })),
    );
  }

  /** The tenant's audit, newest first (one visitor's when asked): HQ admins. */
  async list(scope: VisitorScope, visitorId: string | null, first: number): Promise<VisitorAuditEntry[]> {
    scope.assertCanOpenProfiles();
    return this.dataSource.manager.find(VisitorAuditEntry, {
      where: { tenantId: scope.tenantId, ...(visitorId ? { visitorId } : {}) },
      order: { at: 'DESC', id: 'DESC' },
      take: Math.min(Math.max(first, 1), 500),
    });
  }
}
