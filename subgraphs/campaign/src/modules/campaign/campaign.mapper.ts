import type {
  Campaign as EngineCampaign,
  CampaignStatus as EngineStatus,
  Creative as EngineCreative,
  Schedule,
} from '../../engine/index.js';
import {
  type Campaign,
  type CampaignSchedule,
  type CampaignTargeting,
  type StoredSchedule,
  type TargetingRuleKind,
  type Weekday,
} from './campaign.entity.js';

const dateOrNull = (iso: string | null | undefined): Date | null => (iso ? new Date(iso) : null);

/** The stored schedule as the engine reads it. */
export function toEngineSchedule(schedule: StoredSchedule): Schedule {
  return {
    startDate: schedule.startDate ?? null,
    endDate: schedule.endDate ?? null,
    startsAt: dateOrNull(schedule.startsAt),
    endsAt: dateOrNull(schedule.endsAt),
    dayparts: (schedule.dayparts ?? []).map((d) => ({ days: [...d.days], from: d.from, to: d.to })),
  };
}

/** A campaign row with its creatives and store pauses, as the engine's campaign. */
export function toEngineCampaign(
  campaign: Campaign,
  creatives: readonly EngineCreative[],
  pausedStoreIds: readonly string[],
  status: EngineStatus = campaign.status,
): EngineCampaign {
  return {
    id: campaign.id,
    tenantId: campaign.tenantId,
    name: campaign.name,
    status,
    priority: campaign.priority,
    weight: campaign.weight,
    storeId: campaign.storeId,
    pausedStoreIds: [...pausedStoreIds],
    creatives: [...creatives],
    schedule: toEngineSchedule(campaign.schedule),
    maxPlaysPerHour: campaign.schedule.maxPlaysPerHour ?? null,
    targeting: {
      include: campaign.targeting.include.map((r) => ({ kind: r.kind, value: r.value })),
      exclude: campaign.targeting.exclude.map((r) => ({ kind: r.kind, value: r.value })),
    },
    queueConditions: (campaign.targeting.queue ?? []).map((q) => ({ ...q })),
  };
}

export function scheduleView(schedule: StoredSchedule): CampaignSchedule {
  return {
    startDate: schedule.startDate ?? null,
    endDate: schedule.endDate ?? null,
    startsAt: dateOrNull(schedule.startsAt),
    endsAt: dateOrNull(schedule.endsAt),
    dayparts: (schedule.dayparts ?? []).map((d) => ({ days: d.days as Weekday[], from: d.from, to: d.to })),
    maxPlaysPerHour: schedule.maxPlaysPerHour ?? null,
  };
}

export function targetingView(targeting: Campaign['targeting']): CampaignTargeting {
  const rules = (list: Campaign['targeting']['include']) =>
    list.map((r) => ({ kind: r.kind as TargetingRuleKind, value: r.value }));
  return {
    include: rules(targeting.include),
    exclude: rules(targeting.exclude),
    queue: (targeting.queue ?? []).map((q) => ({ ...q })),
    layoutRegion: targeting.layoutRegion ?? null,
  };
}
