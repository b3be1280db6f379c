import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import type { Clock, Logger } from '@phub/kit';
import { auditActor, emitAudit } from '../../events.js';
import { isUuid } from '../../ids.js';
import type { CampaignScope } from '../../scope.js';
import { creativesById, isPlayable } from '../playlist/playlist.data.js';
import type { PlaylistChangeNotice } from '../playlist/playlist.feed.js';
import { normaliseMessage } from './takeover.content.js';
import { StoreTakeover } from './takeover.entity.js';
import { creativeNotFound, creativeNotReady, oneContent, takeoverActive, takeoverNotFound } from './takeover.errors.js';
import type { StartStoreTakeoverInput } from './takeover.input.js';

const isUniqueViolation = (err: unknown): boolean =>
  (err as { code?: unknown; driverError?: { code?: unknown } }).code === '23505' ||
  (err as { driverError?: { code?: unknown } }).driverError?.code === '23505';

/**
 * Emergency takeovers: "this message on every screen of the store, now, until lifted". Who may: as for
 * overrides and store pauses — the store's managers and HQ admins and editors (store staff see the takeover
 * and its history, they do not start or lift one). One active takeover per store: starting a second is
 * CONFLICT (TAKEOVER_ACTIVE) rather than replacing the first, so nobody silently ends an emergency another
 * person started; lift it, then start the new one. Every start and lift keeps who and when on the row
 * (the history is `storeTakeovers(includeEnded: true)`), as overrides do.
 */
export class TakeoverService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notify: (notice: PlaylistChangeNotice) => Promise<void>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onCommit: () => void = () => {},
  ) {}

  async list(scope: CampaignScope, storeId: string, includeEnded: boolean): Promise<StoreTakeover[]> {
    const store = await scope.store(storeId);
    const qb = (await scope.takeovers('t')).andWhere('t.storeId = :storeId', { storeId: store.id });
    if (!includeEnded) qb.andWhere('t.liftedAt IS NULL');
    return qb.orderBy('t.createdAt', 'DESC').addOrderBy('t.id', 'DESC').limit(200).getMany();
  }

  async start(scope: CampaignScope, input: StartStoreTakeoverInput): Promise<StoreTakeover> {
    const store = await scope.store(input.storeId);
    scope.assertCanManageStore(store.id);
    const hasCreative = input.creativeId != null && input.creativeId !== '';
    if (hasCreative === (input.message != null)) throw oneContent();
    let creativeId: string | null = null;
    let message: string | null = null;
    if (hasCreative) {
      const id = input.creativeId!;
      const creative = (await creativesById(this.dataSource.manager, store.tenantId, isUuid(id) ? [id] : [])).get(id);
      if (!creative) throw creativeNotFound(id);
      if (!isPlayable(creative)) throw creativeNotReady(creative.id, String(creative.status));
      creativeId = creative.id;
    } else {
      message = normaliseMessage(input.message!);
    }
    let saved: StoreTakeover;
    try {
      saved = await this.dataSource.transaction(async (manager) => {
        const repo = manager.getRepository(StoreTakeover);
        const active = await repo.findOne({
          where: { tenantId: store.tenantId, storeId: store.id, liftedAt: IsNull() },
          select: { id: true },
        });
        if (active) throw takeoverActive(store.id, active.id);
        const started = await repo.save(
          Object.assign(new StoreTakeover(), {
            tenantId: store.tenantId,
            storeId: store.id,
            creativeId,
            message,
            reason: input.reason?.trim() || null,
            createdBy: scope.subject,
            // The platform's clock, not the database's: resolution compares it with the clock's instants.
            createdAt: new Date(this.clock.now()),
            liftedAt: null,
            liftedBy: null,
          }),
        );
        await this.audit(manager, scope, 'STORE_TAKEOVER_STARTED', started);
        return started;
      });
      this.onCommit();
    } catch (err) {
      // Two managers at once: the partial unique index lets one through.
      if (isUniqueViolation(err)) throw takeoverActive(store.id, null);
      throw err;
    }
    this.logger.info({ storeId: store.id, takeoverId: saved.id, by: scope.subject }, 'store takeover started');
    await this.changed(saved);
    return saved;
  }

  async lift(scope: CampaignScope, id: string): Promise<StoreTakeover> {
    if (!isUuid(id)) throw takeoverNotFound(id);
    const takeover = await (await scope.takeovers('t')).andWhere('t.id = :id', { id }).getOne();
    if (!takeover) throw takeoverNotFound(id);
    scope.assertCanManageStore(takeover.storeId);
    // Lifting twice is harmless: the first lift (and its who/when) stands.
    if (takeover.liftedAt) return takeover;
    const liftedAt = new Date(this.clock.now());
    const { result, saved } = await this.dataSource.transaction(async (manager) => {
      const result = await manager
        .getRepository(StoreTakeover)
        .createQueryBuilder()
        .update()
        .set({ liftedAt, liftedBy: scope.subject })
        .where('id = :id AND lifted_at IS NULL', { id })
        .execute();
      const saved = await manager.getRepository(StoreTakeover).findOneByOrFail({ id });
      if (result.affected) await this.audit(manager, scope, 'STORE_TAKEOVER_LIFTED', saved);
      return { result, saved };
    });
    this.onCommit();
    if (result.affected) {
      this.logger.info({ storeId: saved.storeId, takeoverId: id, by: scope.subject }, 'store takeover lifted');
      await this.changed(saved);
    }
    return saved;
  }

  /** The start or lift for the tenant's audit log, in the caller's transaction (through the outbox). */
  private audit(
    manager: EntityManager,
    scope: CampaignScope,
    action: 'STORE_TAKEOVER_STARTED' | 'STORE_TAKEOVER_LIFTED',
    takeover: StoreTakeover,
  ): Promise<void> {
    return emitAudit(manager, action, {
      tenantId: takeover.tenantId,
      actor: auditActor(scope),
      target: { type: 'TAKEOVER', id: takeover.id },
      at: new Date(this.clock.now()),
      details: {
        storeId: takeover.storeId,
        creativeId: takeover.creativeId,
        message: takeover.message,
        reason: takeover.reason,
      },
    });
  }

  /** Every display of the store, at once: the same path overrides take (index rebuilt, store re-resolved). */
  private changed(takeover: StoreTakeover): Promise<void> {
    return this.notify({ tenantId: takeover.tenantId, reason: 'takeover', index: true, storeIds: [takeover.storeId] });
  }
}
