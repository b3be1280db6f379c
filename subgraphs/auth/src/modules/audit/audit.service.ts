import { decodeCursor, encodeCursor, badInput, type Connection, type Viewer } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { RequestMeta } from '../../context.js';
import { inTenant } from '../../tenant-scope.js';
import { AuditEvent, AuditEventType, AuditPartyType } from './audit.entity.js';
import type { AuditLogArgs } from './audit.input.js';

export interface AuditRecord {
  type: AuditEventType;
  tenantId: string | null;
  actor?: { type: AuditPartyType; id: string } | null;
  subject?: { type: AuditPartyType; id: string } | null;
  meta?: RequestMeta | null;
  details?: Record<string, unknown>;
}

/** Who a viewer is, in audit terms. */
export function actorOf(viewer: Viewer): { type: AuditPartyType; id: string } {
  const type =
    viewer.kind === 'device'
      ? AuditPartyType.DEVICE
      : viewer.kind === 'partner'
        ? AuditPartyType.API_CLIENT
        : AuditPartyType.USER;
  return { type, id: viewer.subject };
}

export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => number,
  ) {}

  /** Writes an event, inside the caller's transaction when a manager is given. */
  async record(manager: EntityManager | null, record: AuditRecord): Promise<void> {
    await (manager ?? this.dataSource.manager).insert(AuditEvent, {
      tenantId: record.tenantId,
      type: record.type,
      actorType: record.actor?.type ?? null,
      actorId: record.actor?.id ?? null,
      subjectType: record.subject?.type ?? null,
      subjectId: record.subject?.id ?? null,
      clientIp: record.meta?.clientIp ?? null,
      details: { ...(record.meta?.userAgent ? { userAgent: record.meta.userAgent } : {}), ...record.details },
      occurredAt: new Date(this.clock()),
    });
  }

  /** The viewer's tenant's events, newest first (keyset on the insertion order). */
  async list(viewer: Viewer, args: AuditLogArgs): Promise<Connection<AuditEvent>> {
    const first = args.first ?? 20;
    const qb = inTenant(this.dataSource.manager, AuditEvent, 'a', viewer.tenantId);
    const filter = args.filter ?? {};
    if (filter.types?.length) qb.andWhere('a.type IN (:...types)', { types: filter.types });
    if (filter.actorId) qb.andWhere('a.actorId = :actorId', { actorId: filter.actorId });
    if (filter.subjectId) qb.andWhere('a.subjectId = :subjectId', { subjectId: filter.subjectId });
    if (filter.since) qb.andWhere('a.occurredAt >= :since', { since: filter.since });
    if (filter.until) qb.andWhere('a.occurredAt < :until', { until: filter.until });
    const totalCount = await qb.clone().getCount();
    if (args.after) {
      const { id } = decodeCursor(args.after);
      if (!/^\d{1,19}$/.test(id)) throw badInput('after: not a cursor this API issued', { argument: 'after' });
      qb.andWhere('a.id < :cursorId', { cursorId: id });
    }
    const rows = await qb
      .orderBy('a.id', 'DESC')
      .take(first + 1)
      .getMany();
    const edges = rows
      .slice(0, first)
      .map((node) => ({ node, cursor: encodeCursor(node.occurredAt.toISOString(), node.id) }));
    return {
      edges,
      totalCount,
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: Boolean(args.after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }
}
