import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '@phub/kit';
import { auditActor, emitAudit } from '../../events.js';
import { isUuid } from '../../ids.js';
import type { CampaignScope } from '../../scope.js';
import type { CampaignService } from '../campaign/campaign.service.js';
import { creativesById, isPlayable } from '../playlist/playlist.data.js';
import type { PlaylistChangeNotice } from '../playlist/playlist.feed.js';
import { DisplayOverride } from './override.entity.js';
import {
  creativeNotFound,
  creativeNotReady,
  overrideNotFound,
  overrideTooLong,
  untilNotAfterStart,
} from './override.errors.js';
import type { SetDisplayOverrideInput } from './override.input.js';

const HOUR_MS = 3600 * 1000;

/**
 * Emergency overrides: "play this creative on this display until 14:00". Store managers set them on
 * their stores' displays, HQ admins and editors anywhere in the tenant; while active, an override is the
 * display's whole playlist (the latest one wins when several overlap).
 */
export class OverrideService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly campaigns: CampaignService,
    private readonly notify: (notice: PlaylistChangeNotice) => Promise<void>,
    private readonly clock: Clock,
    private readonly maxHours: number,
    private readonly onCommit: () => void = () => {},
  ) {}

  async list(
    scope: CampaignScope,
    args: { storeId?: string | null; displayId?: string | null; includeEnded?: boolean | null },
  ): Promise<DisplayOverride[]> {
    const qb = await scope.overrides('o');
    if (args.storeId) qb.andWhere('o.storeId = :storeId', { storeId: isUuid(args.storeId) ? args.storeId : null });
    if (args.displayId) {
      qb.andWhere('o.displayId = :displayId', { displayId: isUuid(args.displayId) ? args.displayId : null });
    }
    if (!args.includeEnded) {
      qb.andWhere('o.clearedAt IS NULL').andWhere('o.until > :now', { now: new Date(this.clock.now()) });
    }
    return qb.orderBy('o.createdAt', 'DESC').addOrderBy('o.id', 'DESC').limit(500).getMany();
  }

  async set(scope: CampaignScope, input: SetDisplayOverrideInput): Promise<DisplayOverride> {
    const display = await scope.display(input.displayId);
    scope.assertCanManageStore(display.storeId);
    const creative = (
      await creativesById(this.dataSource.manager, display.tenantId, isUuid(input.creativeId) ? [input.creativeId] : [])
    ).get(input.creativeId);
    if (!creative) throw creativeNotFound(input.creativeId);
    if (!isPlayable(creative)) throw creativeNotReady(creative.id, String(creative.status));
    if (input.campaignId) await this.campaigns.get(scope, input.campaignId);
    const now = this.clock.now();
    const startsAt = input.startsAt ?? new Date(now);
    if (input.until.getTime() <= startsAt.getTime() || input.until.getTime() <= now) throw untilNotAfterStart();
    if (input.until.getTime() - Math.max(now, startsAt.getTime()) > this.maxHours * HOUR_MS) {
      throw overrideTooLong(this.maxHours);
    }
    const override = await this.write(scope, 'DISPLAY_OVERRIDE_SET', (manager) =>
      manager.getRepository(DisplayOverride).save(
        Object.assign(new DisplayOverride(), {
          tenantId: display.tenantId,
          displayId: display.id,
          storeId: display.storeId,
          creativeId: creative.id,
          campaignId: input.campaignId ?? null,
          startsAt,
          until: input.until,
          reason: input.reason?.trim() || null,
          createdBy: scope.subject,
          clearedAt: null,
          clearedBy: null,
        }),
      ),
    );
    await this.changed(override);
    return override;
  }

  async clear(scope: CampaignScope, id: string): Promise<DisplayOverride> {
    if (!isUuid(id)) throw overrideNotFound(id);
    const qb = await scope.overrides('o');
    const override = await qb.andWhere('o.id = :id', { id }).getOne();
    if (!override) throw overrideNotFound(id);
    scope.assertCanManageStore(override.storeId);
    if (override.clearedAt) return override;
    override.clearedAt = new Date(this.clock.now());
    override.clearedBy = scope.subject;
    const saved = await this.write(scope, 'DISPLAY_OVERRIDE_CLEARED', (manager) =>
      manager.getRepository(DisplayOverride).save(override),
    );
    await this.changed(saved);
    return saved;
  }

  /** Saves the override and its audit entry in one transaction (the outbox relays the entry to the audit log). */
  private async write(
    scope: CampaignScope,
    action: 'DISPLAY_OVERRIDE_SET' | 'DISPLAY_OVERRIDE_CLEARED',
    save: (manager: EntityManager) => Promise<DisplayOverride>,
  ): Promise<DisplayOverride> {
    const saved = await this.dataSource.transaction(async (manager) => {
      const override = await save(manager);
      await emitAudit(manager, action, {
        tenantId: override.tenantId,
        actor: auditActor(scope),
        target: { type: 'OVERRIDE', id: override.id },
        at: new Date(this.clock.now()),
        details: {
          displayId: override.displayId,
          storeId: override.storeId,
          creativeId: override.creativeId,
          until: override.until.toISOString(),
          reason: override.reason,
        },
      });
      return override;
    });
    this.onCommit();
    return saved;
  }

  private changed(override: DisplayOverride): Promise<void> {
    return this.notify({
      tenantId: override.tenantId,
      reason: 'override',
      index: true,
      storeIds: [override.storeId],
      displayIds: [override.displayId],
    });
  }
}
