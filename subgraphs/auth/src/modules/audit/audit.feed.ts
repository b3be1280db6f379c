import { auditActionEventV1 } from '@phub/contracts';
import type { BusSubscription, DeliveredMessage, EventBus, Logger } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { AuditEventType, AuditPartyType } from './audit.entity.js';

export const AUDIT_CONSUMER_GROUP = 'auth.audit';

/**
 * The tenant's audit log, fed by other domains: approvals, pauses, overrides and takeovers happen in campaign,
 * which writes each on `audit.action.v1` in the action's own transaction. Recorded with the producer's actor, target
 * and instant; a redelivered message (same event id) is recorded once.
 */
export class AuditFeed {
  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
  ) {}

  subscribe(bus: EventBus): Promise<BusSubscription> {
    return bus.subscribe({
      groupId: AUDIT_CONSUMER_GROUP,
      topics: [auditActionEventV1.topic],
      fromBeginning: true,
      handler: (message) => this.apply(message),
    });
  }

  /** Records one entry; malformed ones are logged and skipped (retrying cannot fix them). */
  async apply(message: DeliveredMessage): Promise<void> {
    const parsed = auditActionEventV1.schema.safeParse(message.value);
    if (!parsed.success) {
      this.logger.warn({ offset: message.offset, issues: parsed.error.issues }, 'skipping malformed audit entry');
      return;
    }
    const e = parsed.data;
    const schema = this.dataSource.driver.schema ?? 'auth';
    await this.dataSource.query(
      `INSERT INTO "${schema}"."audit_event" ("tenant_id", "type", "actor_type", "actor_id", "subject_type",
         "subject_id", "details", "occurred_at", "source_event_id")
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)
       ON CONFLICT ("source_event_id") WHERE "source_event_id" IS NOT NULL DO NOTHING`,
      [
        e.tenantId,
        AuditEventType[e.action],
        AuditPartyType[e.actor.type],
        e.actor.id,
        AuditPartyType[e.target.type],
        e.target.id,
        JSON.stringify(e.details),
        e.occurredAt,
        e.id,
      ],
    );
  }
}
