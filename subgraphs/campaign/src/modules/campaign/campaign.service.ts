import type { AuditedAction } from '@phub/contracts';
import { badInput, paginate, SortDirection, type Connection } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import {
  type Campaign as EngineCampaign,
  campaignReach,
  type DisplayFacts,
  validateCampaign,
  type Targeting,
} from '../../engine/index.js';
import { displayRef } from '../../references.js';
import { auditActor, emitAudit, emitCampaign, type CampaignEventType } from '../../events.js';
import { isUuid } from '../../ids.js';
import type { CampaignMetrics } from '../../metrics.js';
import type { CampaignScope } from '../../scope.js';
import type { Creative } from '../creative/creative.entity.js';
import {
  creativeIdsOf,
  creativesById,
  isPlayable,
  loadFacts,
  loadTenantPlayables,
  pausedStoresOf,
  type TenantPlayables,
} from '../playlist/playlist.data.js';
import type { PlaylistChangeNotice } from '../playlist/playlist.feed.js';
import { KnownStore } from '../projection/projection.entity.js';
import type { SettingsService } from '../settings/settings.service.js';
import {
  Campaign,
  CampaignContentField,
  CampaignCreative,
  CampaignRevision,
  CampaignRevisionStatus,
  CampaignStatus,
  CampaignStorePause,
  CampaignTransition,
  type StoredRule,
  type StoredSchedule,
  type StoredTargeting,
  TargetingRuleKind,
  TransitionAction,
} from './campaign.entity.js';
import {
  campaignNotFound,
  invalidCampaign,
  noPendingRevision,
  notEditable,
  problemsToFields,
  storeNotFound,
} from './campaign.errors.js';
import {
  CampaignOrderField,
  PRIORITY,
  type CampaignFilter,
  type CampaignOrder,
  type CreateCampaignInput,
  type ScheduleInput,
  type TargetingInput,
  type UpdateCampaignInput,
} from './campaign.input.js';
import { toEngineCampaign } from './campaign.mapper.js';
import { matchReach } from './campaign.reach.js';
import type { CampaignReach as CampaignReachView, CampaignReachInput } from './campaign.reach.types.js';
import { type CampaignContent, contentChanges } from './campaign.revision.js';
import { EDITABLE, nextStatus, REVISED, type WorkflowAction } from './campaign.workflow.js';

/** The actor of automatic steps (auto-approval) in a campaign's history. */
export const SYSTEM_ACTOR = 'system';

const ID_KINDS: readonly string[] = [
  TargetingRuleKind.REGION,
  TargetingRuleKind.STORE,
  TargetingRuleKind.DISPLAY,
  TargetingRuleKind.ZONE,
];
const TAG_KINDS: readonly string[] = [TargetingRuleKind.STORE_TAG, TargetingRuleKind.DISPLAY_TAG];

type FieldProblem = { field: string; messages: string[] };

/** Workflow steps that go to the tenant's audit log (the campaign's own history keeps every step). */
const AUDITED: Partial<Record<TransitionAction, AuditedAction>> = {
  [TransitionAction.APPROVE]: 'CAMPAIGN_APPROVED',
  [TransitionAction.REJECT]: 'CAMPAIGN_REJECTED',
  [TransitionAction.APPROVE_REVISION]: 'CAMPAIGN_REVISION_APPROVED',
  [TransitionAction.REJECT_REVISION]: 'CAMPAIGN_REVISION_REJECTED',
  [TransitionAction.PAUSE]: 'CAMPAIGN_PAUSED',
  [TransitionAction.RESUME]: 'CAMPAIGN_RESUMED',
  [TransitionAction.STORE_PAUSE]: 'CAMPAIGN_STORE_PAUSED',
  [TransitionAction.STORE_RESUME]: 'CAMPAIGN_STORE_RESUMED',
};

interface Step {
  action: TransitionAction;
  from: CampaignStatus | null;
  to: CampaignStatus;
  actorId: string;
  reason?: string | null;
  storeId?: string | null;
}

function storedSchedule(input: ScheduleInput | null | undefined): StoredSchedule {
  if (!input) return {};
  return {
    startDate: input.startDate ?? null,
    endDate: input.endDate ?? null,
    startsAt: input.startsAt ? input.startsAt.toISOString() : null,
    endsAt: input.endsAt ? input.endsAt.toISOString() : null,
    dayparts: (input.dayparts ?? []).map((d) => ({ days: [...new Set(d.days)], from: d.from, to: d.to })),
    maxPlaysPerHour: input.maxPlaysPerHour ?? null,
  };
}

export function storedTargeting(input: TargetingInput | null | undefined): StoredTargeting {
  // Tags are matched exactly and location keeps them lower case; ids and orientations are kept as given.
  const rules = (list: TargetingInput['include'] | undefined): StoredRule[] =>
    (list ?? []).map((r) => ({
      kind: r.kind,
      value: TAG_KINDS.includes(r.kind) ? r.value.trim().toLowerCase() : r.value.trim(),
    }));
  const queue = (input?.queue ?? []).map((q) => ({
    lineId: q.lineId ?? null,
    minWaiting: q.minWaiting ?? null,
    minWaitMinutes: q.minWaitMinutes ?? null,
  }));
  const layoutRegion = input?.layoutRegion?.trim().toLowerCase() || null;
  return {
    include: rules(input?.include),
    exclude: rules(input?.exclude),
    ...(queue.length ? { queue } : {}),
    ...(layoutRegion ? { layoutRegion } : {}),
  };
}

function targetingProblems(targeting: StoredTargeting): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const side of ['include', 'exclude'] as const) {
    targeting[side].forEach((rule, i) => {
      if (ID_KINDS.includes(rule.kind) && !isUuid(rule.value)) {
        problems.push({ field: `targeting.${side}[${i}].value`, messages: [`${rule.kind} value must be an id`] });
      }
    });
  }
  return problems;
}

/** `base` with the content fields of an edit applied. */
function editedContent(base: CampaignContent, input: UpdateCampaignInput): CampaignContent {
  return {
    priority: input.priority ?? base.priority,
    weight: input.weight ?? base.weight,
    schedule: input.schedule != null ? storedSchedule(input.schedule) : base.schedule,
    targeting: input.targeting != null ? storedTargeting(input.targeting) : base.targeting,
    creativeIds: input.creativeIds ? [...input.creativeIds] : base.creativeIds,
  };
}

function revisionContent(revision: CampaignRevision): CampaignContent {
  const { priority, weight, schedule, targeting, creativeIds } = revision;
  return { priority, weight, schedule, targeting, creativeIds: [...creativeIds] };
}

/** The campaign row with other content (creative ids live in their own table). */
function withContent(campaign: Campaign, content: CampaignContent): Campaign {
  const { priority, weight, schedule, targeting } = content;
  return Object.assign(Object.create(Campaign.prototype) as Campaign, campaign, {
    priority,
    weight,
    schedule,
    targeting,
  });
}

function revisionEvent(revision: CampaignRevision) {
  return { id: revision.id, status: revision.status, changes: [...revision.changes], reviewNote: revision.reviewNote };
}

/**
 * Campaigns and their workflow. Every write happens in one transaction with its history row and its
 * outbox event; after the commit, changes that can touch a playlist (the campaign was or becomes LIVE,
 * or a store pause) are handed to the playlist feed.
 */
export class CampaignService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: SettingsService,
    private readonly notify: (notice: PlaylistChangeNotice) => Promise<void>,
    private readonly metrics: CampaignMetrics,
    private readonly onCommit: () => void = () => {},
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(
    scope: CampaignScope,
    args: {
      first?: number | null;
      after?: string | null;
      filter?: CampaignFilter | null;
      orderBy?: CampaignOrder | null;
    },
  ): Promise<Connection<Campaign>> {
    const qb = await scope.campaigns('c');
    const filter = args.filter ?? {};
    if (filter.status?.length) qb.andWhere('c.status IN (:...statuses)', { statuses: filter.status });
    else if (!filter.includeArchived) qb.andWhere('c.status <> :archived', { archived: CampaignStatus.ARCHIVED });
    if (filter.needsReview) {
      qb.andWhere(
        `(c.status = :inReview OR EXISTS (SELECT 1 FROM ${this.revisionTable()} r WHERE r.campaign_id = c.id AND r.status = :pending))`,
        { inReview: CampaignStatus.IN_REVIEW, pending: CampaignRevisionStatus.PENDING },
      );
    }
    if (filter.storeId) {
      if (!isUuid(filter.storeId)) throw badInput('filter.storeId: not a store id', { field: 'filter.storeId' });
      qb.andWhere('c.storeId = :storeId', { storeId: filter.storeId });
    }
    if (filter.search?.trim()) {
      const pattern = `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('c.name ILIKE :pattern', { pattern });
    }
    const order = args.orderBy ?? { field: CampaignOrderField.NAME, direction: SortDirection.ASC };
    return paginate(qb, {
      first: args.first,
      after: args.after,
      sortExpression: campaignSortKey(order.field),
      direction: order.direction,
    });
  }

  /** A campaign the viewer may see, or NOT_FOUND. */
  async get(scope: CampaignScope, id: string): Promise<Campaign> {
    if (!isUuid(id)) throw campaignNotFound(id);
    const qb = await scope.campaigns('c');
    const campaign = await qb.andWhere('c.id = :id', { id }).getOne();
    if (!campaign) throw campaignNotFound(id);
    return campaign;
  }

  async create(scope: CampaignScope, input: CreateCampaignInput): Promise<Campaign> {
    const storeId = input.storeId ?? null;
    if (storeId) {
      await this.assertStore(scope.tenantId, storeId);
      scope.assertCanManageStore(storeId);
    } else {
      scope.assertCanEdit({ storeId: null });
    }
    const schedule = storedSchedule(input.schedule);
    const targeting = storedTargeting(input.targeting);
    const draft = Object.assign(new Campaign(), {
      tenantId: scope.tenantId,
      name: input.name.trim(),
      description: input.description?.trim() || null,
      ownerId: scope.subject,
      storeId,
      status: CampaignStatus.DRAFT,
      priority: input.priority,
      weight: input.weight,
      schedule,
      targeting,
      reviewNote: null,
    });
    await this.validate(this.dataSource.manager, draft, input.creativeIds, { requireReady: false });
    const saved = await this.write(async (manager) => {
      const campaign = await manager.save(draft);
      await this.setCreatives(manager, campaign.id, input.creativeIds);
      await this.record(manager, scope, campaign, [
        { action: TransitionAction.CREATE, from: null, to: CampaignStatus.DRAFT, actorId: scope.subject },
      ]);
      await this.emit(manager, 'CampaignCreated', campaign);
      return campaign;
    });
    return saved;
  }

  async update(scope: CampaignScope, input: UpdateCampaignInput): Promise<Campaign> {
    const visible = await this.get(scope, input.id);
    scope.assertCanEdit(visible);
    const settings = await this.settings.forTenant(visible.tenantId);
    let before = visible.status;
    let contentApplied = false;
    const saved = await this.write(async (manager) => {
      const campaign = await this.lock(manager, visible);
      before = campaign.status;
      if (!EDITABLE.includes(campaign.status)) throw notEditable(campaign.status);
      // Name and description never need review: they change the campaign itself at once.
      if (input.name != null) campaign.name = input.name.trim();
      if (input.description !== undefined) campaign.description = input.description?.trim() || null;
      const live = await this.contentOf(manager, campaign);
      const pending = await this.pendingRevision(manager, campaign);
      const next = editedContent(pending ? revisionContent(pending) : live, input);
      const changes = contentChanges(live, next);
      const approvedVersion = REVISED.includes(campaign.status);
      const autoApproved = this.settings.autoApproves(settings, campaign);
      if (approvedVersion && !autoApproved && (changes.length || pending)) {
        return this.revise(manager, scope, campaign, next, changes, pending);
      }
      // Anything that may go on screens unreviewed must be playable now; a draft may still wait for uploads.
      await this.validate(manager, withContent(campaign, next), next.creativeIds, {
        requireReady: approvedVersion && changes.length > 0,
      });
      Object.assign(campaign, withContent(campaign, next));
      const result = await manager.save(campaign);
      if (changes.includes(CampaignContentField.CREATIVES))
        await this.setCreatives(manager, campaign.id, next.creativeIds);
      contentApplied = changes.length > 0;
      const steps: Step[] = [
        { action: TransitionAction.EDIT, from: campaign.status, to: campaign.status, actorId: scope.subject },
      ];
      if (pending) {
        // Auto-approval was turned on while a revision waited: the edit (made on top of it) goes live with it.
        await this.decide(manager, pending, CampaignRevisionStatus.APPROVED, SYSTEM_ACTOR, 'auto-approval');
        steps.push({
          action: TransitionAction.APPROVE_REVISION,
          from: campaign.status,
          to: campaign.status,
          actorId: SYSTEM_ACTOR,
          reason: 'auto-approval',
        });
      }
      await this.record(manager, scope, result, steps);
      await this.emit(manager, 'CampaignUpdated', result);
      return result;
    });
    if (contentApplied) await this.afterChange(saved, before);
    return saved;
  }

  /**
   * Keeps an edit of an approved campaign as its pending revision (one per campaign, edited in place) while the
   * approved version keeps playing; an edit back to the approved version withdraws the revision.
   */
  private async revise(
    manager: EntityManager,
    scope: CampaignScope,
    campaign: Campaign,
    next: CampaignContent,
    changes: CampaignContentField[],
    pending: CampaignRevision | null,
  ): Promise<Campaign> {
    if (!changes.length && pending) {
      const result = await manager.save(campaign);
      const note = 'edited back to the live version';
      await this.decide(manager, pending, CampaignRevisionStatus.WITHDRAWN, scope.subject, note);
      await this.record(manager, scope, result, [
        this.revisionStep(TransitionAction.WITHDRAW_REVISION, result, scope, note),
      ]);
      await this.emit(manager, 'CampaignUpdated', result, { revision: revisionEvent(pending) });
      return result;
    }
    // Review sees what would play: every creative must be READY, as for a submit.
    await this.validate(manager, withContent(campaign, next), next.creativeIds, { requireReady: true });
    const now = new Date();
    const revision = Object.assign(pending ?? new CampaignRevision(), {
      tenantId: campaign.tenantId,
      campaignId: campaign.id,
      status: CampaignRevisionStatus.PENDING,
      ...next,
      changes,
      updatedBy: scope.subject,
      updatedAt: now,
      ...(pending
        ? {}
        : { createdBy: scope.subject, createdAt: now, decidedBy: null, decidedAt: null, reviewNote: null }),
    });
    const saved = await manager.save(revision);
    // A new revision clears the note of the last rejected one.
    campaign.reviewNote = null;
    const result = await manager.save(campaign);
    const reason = `in review: ${changes.join(', ').toLowerCase()}; the approved version keeps playing`;
    await this.record(manager, scope, result, [this.revisionStep(TransitionAction.REVISE, result, scope, reason)]);
    await this.emit(manager, 'CampaignUpdated', result, { revision: revisionEvent(saved) });
    return result;
  }

  /** HQ admins approve a pending revision: it replaces the approved version (and what displays play). */
  async approveRevision(scope: CampaignScope, campaignId: string): Promise<Campaign> {
    return this.decideRevision(scope, campaignId, CampaignRevisionStatus.APPROVED, null);
  }

  /** HQ admins reject a pending revision: the approved version stays, the reason is its reviewNote. */
  async rejectRevision(scope: CampaignScope, campaignId: string, reason: string): Promise<Campaign> {
    const note = reason.trim();
    if (!note) throw badInput('reason: say why the revision is rejected', { field: 'reason' });
    return this.decideRevision(scope, campaignId, CampaignRevisionStatus.REJECTED, note);
  }

  /** Editors of the campaign drop its pending revision. */
  async withdrawRevision(scope: CampaignScope, campaignId: string): Promise<Campaign> {
    return this.decideRevision(scope, campaignId, CampaignRevisionStatus.WITHDRAWN, null);
  }

  /** The campaign's revision in review, if any. */
  async pendingRevisionOf(campaign: Campaign): Promise<CampaignRevision | null> {
    return this.pendingRevision(this.dataSource.manager, campaign);
  }

  private async decideRevision(
    scope: CampaignScope,
    campaignId: string,
    status: CampaignRevisionStatus,
    reason: string | null,
  ): Promise<Campaign> {
    const visible = await this.get(scope, campaignId);
    if (status === CampaignRevisionStatus.WITHDRAWN) scope.assertCanEdit(visible);
    else scope.assertHqAdmin();
    let before = visible.status;
    let applied = false;
    const saved = await this.write(async (manager) => {
      const campaign = await this.lock(manager, visible);
      before = campaign.status;
      const pending = await this.pendingRevision(manager, campaign);
      if (!pending) throw noPendingRevision(campaign.id);
      const action = {
        [CampaignRevisionStatus.APPROVED]: TransitionAction.APPROVE_REVISION,
        [CampaignRevisionStatus.REJECTED]: TransitionAction.REJECT_REVISION,
        [CampaignRevisionStatus.WITHDRAWN]: TransitionAction.WITHDRAW_REVISION,
        [CampaignRevisionStatus.PENDING]: TransitionAction.REVISE,
      }[status];
      if (status === CampaignRevisionStatus.APPROVED) {
        const next = revisionContent(pending);
        // A creative archived while the revision waited must not reach the screens.
        await this.validate(manager, withContent(campaign, next), next.creativeIds, { requireReady: true });
        Object.assign(campaign, withContent(campaign, next));
        await this.setCreatives(manager, campaign.id, next.creativeIds);
        campaign.reviewNote = null;
        applied = true;
      }
      if (status === CampaignRevisionStatus.REJECTED) campaign.reviewNote = reason;
      const result = await manager.save(campaign);
      await this.decide(manager, pending, status, scope.subject, reason);
      await this.record(manager, scope, result, [this.revisionStep(action, result, scope, reason)]);
      await this.emit(manager, 'CampaignUpdated', result, { revision: revisionEvent(pending) });
      return result;
    });
    if (applied) await this.afterChange(saved, before);
    return saved;
  }

  private revisionStep(
    action: TransitionAction,
    campaign: Campaign,
    scope: CampaignScope,
    reason: string | null,
  ): Step {
    return { action, from: campaign.status, to: campaign.status, actorId: scope.subject, reason };
  }

  private async decide(
    manager: EntityManager,
    revision: CampaignRevision,
    status: CampaignRevisionStatus,
    actorId: string,
    note: string | null,
  ): Promise<void> {
    Object.assign(revision, { status, decidedBy: actorId, decidedAt: new Date(), reviewNote: note });
    await manager.save(revision);
  }

  private async pendingRevision(manager: EntityManager, campaign: Campaign): Promise<CampaignRevision | null> {
    return manager.getRepository(CampaignRevision).findOneBy({
      campaignId: campaign.id,
      tenantId: campaign.tenantId,
      status: CampaignRevisionStatus.PENDING,
    });
  }

  private async contentOf(manager: EntityManager, campaign: Campaign): Promise<CampaignContent> {
    const creativeIds = (await creativeIdsOf(manager, [campaign.id])).get(campaign.id) ?? [];
    return {
      priority: campaign.priority,
      weight: campaign.weight,
      schedule: campaign.schedule,
      targeting: campaign.targeting,
      creativeIds,
    };
  }

  submit(scope: CampaignScope, id: string) {
    return this.transition(scope, id, TransitionAction.SUBMIT);
  }

  approve(scope: CampaignScope, id: string, goLive: boolean) {
    return this.transition(scope, id, TransitionAction.APPROVE, { goLive });
  }

  reject(scope: CampaignScope, id: string, reason: string) {
    return this.transition(scope, id, TransitionAction.REJECT, { reason });
  }

  publish(scope: CampaignScope, id: string) {
    return this.transition(scope, id, TransitionAction.PUBLISH);
  }

  pause(scope: CampaignScope, id: string, reason?: string | null) {
    return this.transition(scope, id, TransitionAction.PAUSE, { reason });
  }

  resume(scope: CampaignScope, id: string) {
    return this.transition(scope, id, TransitionAction.RESUME);
  }

  end(scope: CampaignScope, id: string, reason?: string | null) {
    return this.transition(scope, id, TransitionAction.END, { reason });
  }

  archive(scope: CampaignScope, id: string) {
    return this.transition(scope, id, TransitionAction.ARCHIVE);
  }

  /**
   * One workflow step, plus the automatic ones that follow it: a submit that the tenant auto-approves is
   * approved and published by `system`; an approval with goLive is published by the approver.
   */
  private async transition(
    scope: CampaignScope,
    id: string,
    action: WorkflowAction,
    options: { reason?: string | null; goLive?: boolean } = {},
  ): Promise<Campaign> {
    const visible = await this.get(scope, id);
    if (action === TransitionAction.APPROVE || action === TransitionAction.REJECT) scope.assertHqAdmin();
    else scope.assertCanEdit(visible);
    const settings = await this.settings.forTenant(visible.tenantId);
    let before = visible.status;
    const saved = await this.write(async (manager) => {
      const campaign = await this.lock(manager, visible);
      before = campaign.status;
      const to = nextStatus(action, campaign.status);
      const steps: Step[] = [{ action, from: campaign.status, to, actorId: scope.subject, reason: options.reason }];
      if (action === TransitionAction.SUBMIT && this.settings.autoApproves(settings, campaign)) {
        steps.push(
          {
            action: TransitionAction.APPROVE,
            from: CampaignStatus.IN_REVIEW,
            to: CampaignStatus.APPROVED,
            actorId: SYSTEM_ACTOR,
            reason: campaign.storeId ? 'auto-approval of store-local campaigns' : 'auto-approval',
          },
          {
            action: TransitionAction.PUBLISH,
            from: CampaignStatus.APPROVED,
            to: CampaignStatus.LIVE,
            actorId: SYSTEM_ACTOR,
          },
        );
      }
      if (action === TransitionAction.APPROVE && options.goLive) {
        steps.push({
          action: TransitionAction.PUBLISH,
          from: CampaignStatus.APPROVED,
          to: CampaignStatus.LIVE,
          actorId: scope.subject,
        });
      }
      const pending = action === TransitionAction.END ? await this.pendingRevision(manager, campaign) : null;
      if (pending) {
        // An ended campaign plays no more: its revision leaves the review inbox.
        await this.decide(manager, pending, CampaignRevisionStatus.WITHDRAWN, SYSTEM_ACTOR, 'the campaign ended');
        steps.push({
          action: TransitionAction.WITHDRAW_REVISION,
          from: to,
          to,
          actorId: SYSTEM_ACTOR,
          reason: 'the campaign ended',
        });
      }
      const final = steps[steps.length - 1]!.to;
      if ([CampaignStatus.IN_REVIEW, CampaignStatus.APPROVED, CampaignStatus.LIVE].includes(final)) {
        const creativeIds = (await creativeIdsOf(manager, [campaign.id])).get(campaign.id) ?? [];
        await this.validate(manager, campaign, creativeIds, { requireReady: true });
      }
      const from = campaign.status;
      campaign.status = final;
      if (action === TransitionAction.REJECT) campaign.reviewNote = options.reason ?? null;
      if (action === TransitionAction.SUBMIT) campaign.reviewNote = null;
      const result = await manager.save(campaign);
      await this.record(manager, scope, result, steps);
      await this.emit(manager, 'CampaignStatusChanged', result, { previousStatus: from });
      return result;
    });
    await this.afterChange(saved, before);
    return saved;
  }

  /** A store manager (or HQ) takes a tenant-wide campaign off one store's displays, or puts it back. */
  async setStorePause(
    scope: CampaignScope,
    campaignId: string,
    storeId: string,
    paused: boolean,
    reason?: string | null,
  ): Promise<Campaign> {
    const visible = await this.get(scope, campaignId);
    if (!isUuid(storeId)) throw storeNotFound(storeId);
    scope.assertCanManageStore(storeId);
    await this.assertStore(visible.tenantId, storeId);
    if (visible.storeId) {
      throw badInput('storeId: a store-local campaign is paused with pauseCampaign', { field: 'storeId' });
    }
    if (visible.status === CampaignStatus.ARCHIVED) throw notEditable(visible.status);
    let changed = false;
    const saved = await this.write(async (manager) => {
      const campaign = await this.lock(manager, visible);
      const repo = manager.getRepository(CampaignStorePause);
      const existing = await repo.findOneBy({ campaignId, storeId });
      if (paused === Boolean(existing)) return campaign;
      if (paused) {
        await repo.insert({
          campaignId,
          storeId,
          tenantId: campaign.tenantId,
          pausedBy: scope.subject,
          reason: reason ?? null,
        });
      } else {
        await repo.delete({ campaignId, storeId });
      }
      changed = true;
      await this.record(manager, scope, campaign, [
        {
          action: paused ? TransitionAction.STORE_PAUSE : TransitionAction.STORE_RESUME,
          from: campaign.status,
          to: campaign.status,
          actorId: scope.subject,
          reason: reason ?? null,
          storeId,
        },
      ]);
      await this.emit(manager, paused ? 'CampaignStorePaused' : 'CampaignStoreResumed', campaign, { storeId });
      return campaign;
    });
    if (changed && saved.status === CampaignStatus.LIVE) {
      await this.notify({ tenantId: saved.tenantId, reason: 'store_pause', index: true, storeIds: [storeId] });
    }
    return saved;
  }

  /** Ids of the displays (of those the viewer may see) that this targeting reaches. */
  async reach(
    scope: CampaignScope,
    targeting: StoredTargeting,
    storeId: string | null,
    displays?: Promise<DisplayFacts[]>,
  ): Promise<string[]> {
    const problems = targetingProblems(targeting);
    if (problems.length) throw invalidCampaign(problems);
    const facts = await (displays ?? this.visibleFacts(scope));
    const result = matchReach(facts, scope.tenantId, targeting as Targeting, storeId);
    if ('problems' in result) throw invalidCampaign(problemsToFields(result.problems));
    return result.displayIds;
  }

  /**
   * Where a saved campaign reaches and plays now (the engine's `campaignReach`), beside the tenant's other
   * LIVE campaigns, overrides and takeovers; its approved version, also while a revision waits.
   */
  async reachNow(
    scope: CampaignScope,
    campaign: Campaign,
    displays: Promise<DisplayFacts[]>,
    playables: Promise<TenantPlayables>,
  ): Promise<CampaignReachView> {
    const paused = (await pausedStoresOf(this.dataSource.manager, [campaign.id])).get(campaign.id) ?? [];
    const engine = toEngineCampaign(campaign, [], paused, 'LIVE');
    const live = campaign.status === CampaignStatus.LIVE;
    const region = campaign.targeting.layoutRegion ?? null;
    const reach = await this.computeReach(engine, region, !live, displays, playables);
    // A LIVE campaign none of whose creatives can play (archived since) is on no screen, whatever it targets.
    const { campaigns } = await playables;
    if (live && !campaigns.some((c) => c.id === campaign.id && c.creatives.length > 0)) {
      return {
        ...reach,
        playingCount: 0,
        outrankedCount: 0,
        notNowCount: reach.matchingCount,
        playingDisplays: [],
        outrankedDisplays: [],
      };
    }
    return reach;
  }

  /** The same for a campaign as the editor holds it, unsaved: "would play now". */
  async reachOfEdit(
    scope: CampaignScope,
    input: CampaignReachInput,
    displays: Promise<DisplayFacts[]>,
    playables: Promise<TenantPlayables>,
  ): Promise<CampaignReachView> {
    const saved = input.campaignId ? await this.get(scope, input.campaignId) : null;
    const targeting = storedTargeting(input.targeting);
    const problems = targetingProblems(targeting);
    if (problems.length) throw invalidCampaign(problems);
    const draft = Object.assign(new Campaign(), {
      id: saved?.id ?? 'edited',
      tenantId: scope.tenantId,
      name: saved?.name ?? 'edited',
      storeId: saved ? saved.storeId : (input.storeId ?? null),
      status: CampaignStatus.LIVE,
      priority: input.priority,
      weight: saved?.weight ?? 1,
      schedule: storedSchedule(input.schedule),
      targeting,
    });
    const paused = saved ? ((await pausedStoresOf(this.dataSource.manager, [saved.id])).get(saved.id) ?? []) : [];
    const region = targeting.layoutRegion ?? null;
    return this.computeReach(toEngineCampaign(draft, [], paused, 'LIVE'), region, true, displays, playables);
  }

  /** The tenant's LIVE campaigns, overrides and takeovers now (once per request, through the caller's memo). */
  tenantPlayables(scope: CampaignScope): Promise<TenantPlayables> {
    return loadTenantPlayables(this.dataSource, scope.tenantId, this.now());
  }

  private async computeReach(
    campaign: EngineCampaign,
    region: string | null,
    asIfLive: boolean,
    displays: Promise<DisplayFacts[]>,
    playables: Promise<TenantPlayables>,
  ): Promise<CampaignReachView> {
    const [facts, { campaigns, overrides, regionOf }] = await Promise.all([displays, playables]);
    const at = this.now();
    // Priorities compete within a layout region: a side panel's campaign outranks nothing in the main one.
    const rivals = campaigns.filter((c) => (regionOf.get(c.id) ?? null) === region);
    const result = campaignReach(campaign, facts, rivals, region ? [] : overrides, at);
    if ('problems' in result) throw invalidCampaign(problemsToFields(result.problems));
    return {
      at,
      asIfLive,
      matchingCount: result.matching.length,
      playingCount: result.playing.length,
      outrankedCount: result.outranked.length,
      notNowCount: result.notNow.length,
      matchingDisplays: [...result.matching].sort().map(displayRef),
      playingDisplays: [...result.playing].sort().map(displayRef),
      outrankedDisplays: result.outranked.map((o) => ({
        display: displayRef(o.displayId),
        byCampaignIds: [...o.byCampaignIds],
        byOverride: o.byOverrideId !== null,
        byTakeover: o.byTakeoverId !== null,
      })),
    };
  }

  /** Active displays the viewer may see, with their facts (per request, through the caller's memo). */
  async visibleFacts(scope: CampaignScope): Promise<DisplayFacts[]> {
    const qb = await scope.displays('d');
    const ids = (await qb.andWhere('d.archivedAt IS NULL').select('d.id').getMany()).map((d) => d.id);
    return loadFacts(this.dataSource, scope.tenantId, { displayIds: ids });
  }

  private revisionTable(): string {
    const meta = this.dataSource.getMetadata(CampaignRevision);
    return meta.schema ? `"${meta.schema}"."${meta.tableName}"` : `"${meta.tableName}"`;
  }

  private async afterChange(campaign: Campaign, before: CampaignStatus): Promise<void> {
    if (before !== CampaignStatus.LIVE && campaign.status !== CampaignStatus.LIVE) return;
    await this.notify({
      tenantId: campaign.tenantId,
      reason: 'campaign',
      index: true,
      ...(campaign.storeId ? { storeIds: [campaign.storeId] } : {}),
    });
  }

  private async assertStore(tenantId: string, storeId: string): Promise<void> {
    const store = isUuid(storeId)
      ? await this.dataSource.getRepository(KnownStore).findOneBy({ id: storeId, tenantId })
      : null;
    if (!store || store.archivedAt) throw storeNotFound(storeId);
  }

  private async lock(manager: EntityManager, campaign: Campaign): Promise<Campaign> {
    const locked = await manager
      .getRepository(Campaign)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id = :id AND c.tenantId = :tenantId', { id: campaign.id, tenantId: campaign.tenantId })
      .getOne();
    if (!locked) throw campaignNotFound(campaign.id);
    return locked;
  }

  /**
   * Input problems with field paths: creatives must exist in the tenant (and be READY when the campaign
   * may play), id rules must name ids, and the engine must accept schedule, targeting, priority and weight.
   */
  private async validate(
    manager: EntityManager,
    campaign: Campaign,
    creativeIds: readonly string[],
    options: { requireReady: boolean },
  ): Promise<void> {
    const problems: FieldProblem[] = [];
    const valid = creativeIds.filter(isUuid);
    const creatives: Map<string, Creative> = await creativesById(manager, campaign.tenantId, valid);
    creativeIds.forEach((id, i) => {
      const creative = creatives.get(id);
      if (!creative) problems.push({ field: `creativeIds[${i}]`, messages: [`creative ${id} does not exist`] });
      else if (options.requireReady && !isPlayable(creative)) {
        problems.push({
          field: `creativeIds[${i}]`,
          messages: [`creative ${id} is ${String(creative.status)}, not READY`],
        });
      }
    });
    if (new Set(creativeIds).size !== creativeIds.length) {
      problems.push({ field: 'creativeIds', messages: ['a creative may appear only once'] });
    }
    if (options.requireReady && creativeIds.length === 0) {
      problems.push({
        field: 'creativeIds',
        messages: ['a campaign needs at least one creative to be reviewed or play'],
      });
    }
    problems.push(...targetingProblems(campaign.targeting));
    // As if it played now; a campaign not saved yet has no id, which the engine would report.
    const engine = { ...toEngineCampaign(campaign, [], [], 'LIVE'), id: campaign.id ?? 'new' };
    problems.push(...problemsToFields(validateCampaign(engine)));
    if (problems.length) throw invalidCampaign(problems);
  }

  private async setCreatives(manager: EntityManager, campaignId: string, creativeIds: readonly string[]) {
    await manager.delete(CampaignCreative, { campaignId });
    if (creativeIds.length) {
      await manager.insert(
        CampaignCreative,
        creativeIds.map((creativeId, position) => ({ campaignId, creativeId, position })),
      );
    }
  }

  private async record(manager: EntityManager, scope: CampaignScope, campaign: Campaign, steps: Step[]): Promise<void> {
    // Steps of one call get increasing instants, so history orders them as they happened.
    const base = Date.now();
    for (const [i, step] of steps.entries()) {
      const action = AUDITED[step.action];
      if (!action) continue;
      await emitAudit(manager, action, {
        tenantId: campaign.tenantId,
        actor: auditActor(scope, step.actorId, SYSTEM_ACTOR),
        target: { type: 'CAMPAIGN', id: campaign.id },
        at: new Date(base + i),
        details: { campaign: campaign.name, storeId: step.storeId ?? undefined, reason: step.reason ?? undefined },
      });
    }
    await manager.insert(
      CampaignTransition,
      steps.map((step, i) => ({
        tenantId: campaign.tenantId,
        campaignId: campaign.id,
        action: step.action,
        fromStatus: step.from,
        toStatus: step.to,
        actorId: step.actorId,
        reason: step.reason ?? null,
        storeId: step.storeId ?? null,
        occurredAt: new Date(base + i),
      })),
    );
    for (const step of steps) this.metrics.transitions.inc({ action: step.action });
  }

  private async emit(
    manager: EntityManager,
    type: CampaignEventType,
    campaign: Campaign,
    extra: {
      previousStatus?: CampaignStatus;
      storeId?: string;
      revision?: ReturnType<typeof revisionEvent>;
    } = {},
  ): Promise<void> {
    const [creativeIds, paused] = await Promise.all([
      creativeIdsOf(manager, [campaign.id]),
      pausedStoresOf(manager, [campaign.id]),
    ]);
    await emitCampaign(manager, type, campaign, {
      creativeIds: creativeIds.get(campaign.id) ?? [],
      pausedStoreIds: paused.get(campaign.id) ?? [],
      ...extra,
    });
  }

  private async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.onCommit();
    return result;
  }
}

/** The ranks of STATUS order: what plays (or played) first. */
const STATUS_RANK: readonly CampaignStatus[] = [
  CampaignStatus.LIVE,
  CampaignStatus.PAUSED,
  CampaignStatus.APPROVED,
  CampaignStatus.IN_REVIEW,
  CampaignStatus.DRAFT,
  CampaignStatus.ENDED,
  CampaignStatus.ARCHIVED,
];

/**
 * One sortable SQL text per order (never NULL; text, so that a cursor of another order cannot break the query): equal statuses and priorities go by name, then by id (paginate's
 * tie-break). Ranks are one digit and priorities, shifted above zero, four, so the text sorts as the numbers do.
 */
export function campaignSortKey(field: CampaignOrderField): string {
  const name = `lower("c"."name")`;
  switch (field) {
    case CampaignOrderField.STATUS:
      return `(CASE "c"."status" ${STATUS_RANK.map((s, i) => `WHEN '${s}' THEN '${i}'`).join(' ')} ELSE '9' END) || ':' || ${name}`;
    case CampaignOrderField.PRIORITY:
      return `lpad(("c"."priority" + ${-PRIORITY.min})::text, 4, '0') || ':' || ${name}`;
    case CampaignOrderField.UPDATED:
      // Microseconds since the epoch, zero-padded: exact in the cursor (a Date would round to milliseconds).
      return `lpad(((EXTRACT(EPOCH FROM "c"."updated_at") * 1000000)::bigint)::text, 20, '0')`;
    default:
      return name;
  }
}
