import { displayEventV1 } from '@phub/contracts';
import {
  canAccessStore,
  type BusSubscription,
  type DeliveredMessage,
  type EventBus,
  type Logger,
  type Viewer,
} from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import { LOCATION_DISPLAY_TOPIC } from '../../events.js';
import { isUuid } from '../../ids.js';
import { AuditEventType, AuditPartyType } from '../audit/audit.entity.js';
import type { AuditService } from '../audit/audit.service.js';
import type { SessionRevoker } from '../session/session.service.js';
import { KnownDisplay } from './display.entity.js';
import { displayArchived, displayOutOfReach, displayUnknown } from './display.errors.js';

// Location's display events, parsed with the contract location emits them by.
const displayEventSchema = displayEventV1.schema;

export const AUTH_CONSUMER_GROUP = 'auth';

/** Auth's local projection of location's displays. */
export class DisplayDirectory {
  constructor(
    private readonly dataSource: DataSource,
    private readonly revoker: SessionRevoker,
    private readonly audit: AuditService,
    private readonly logger: Logger,
  ) {}

  subscribe(bus: EventBus): Promise<BusSubscription> {
    return bus.subscribe({
      groupId: AUTH_CONSUMER_GROUP,
      topics: [LOCATION_DISPLAY_TOPIC],
      fromBeginning: true,
      handler: (message) => this.apply(message),
    });
  }

  /** Pass the caller's transaction manager inside a transaction (embedded PGlite serves one at a time). */
  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<KnownDisplay | null> {
    if (!isUuid(id)) return null;
    return manager.findOneBy(KnownDisplay, { id });
  }

  /**
   * The display, when the viewer may manage its player: same tenant, and for store roles one of
   * their stores. Unknown → NOT_FOUND; another tenant or store → FORBIDDEN; archived → CONFLICT.
   */
  async reachable(viewer: Viewer, id: string, options: { allowArchived?: boolean } = {}): Promise<KnownDisplay> {
    const display = await this.get(id);
    if (!display) throw displayUnknown(id);
    if (display.tenantId !== viewer.tenantId || !canAccessStore(viewer, display.storeId)) throw displayOutOfReach(id);
    if (display.archivedAt && !options.allowArchived) throw displayArchived(id);
    return display;
  }

  /** Applies one event; malformed ones are logged and skipped (retrying cannot fix them). */
  async apply(message: DeliveredMessage): Promise<void> {
    const parsed = displayEventSchema.safeParse(message.value);
    if (!parsed.success) {
      this.logger.warn({ offset: message.offset, issues: parsed.error.issues }, 'skipping malformed display event');
      return;
    }
    const { display, occurredAt, type } = parsed.data;
    const archivedAt = type === 'DisplayArchived' ? (display.archivedAt ?? occurredAt) : (display.archivedAt ?? null);
    const schema = this.dataSource.driver.schema ?? 'auth';
    await this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `INSERT INTO "${schema}"."display" ("id", "tenant_id", "store_id", "name", "archived_at", "occurred_at")
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT ("id") DO UPDATE SET
           "tenant_id" = EXCLUDED."tenant_id", "store_id" = EXCLUDED."store_id", "name" = EXCLUDED."name",
           "archived_at" = EXCLUDED."archived_at", "occurred_at" = EXCLUDED."occurred_at"
         WHERE "display"."occurred_at" <= EXCLUDED."occurred_at"
         RETURNING "id"`,
        [display.id, display.tenantId, display.storeId, display.name.slice(0, 200), archivedAt, occurredAt],
      )) as { id: string }[];
      if (!rows.length || !archivedAt) return;
      // An archived display's player loses its credential.
      const revoked = await this.revoker.revokeSessions(
        manager,
        { tenantId: display.tenantId, displayId: display.id },
        'display_archived',
      );
      if (revoked.length) {
        await this.audit.record(manager, {
          type: AuditEventType.DEVICE_REVOKED,
          tenantId: display.tenantId,
          actor: { type: AuditPartyType.SYSTEM, id: LOCATION_DISPLAY_TOPIC },
          subject: { type: AuditPartyType.DISPLAY, id: display.id },
          details: { reason: 'display_archived', sessionsRevoked: revoked.length },
        });
      }
    });
  }
}
