import { Public } from '@phub/kit';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { TargetingKind, Weekday as EngineWeekday } from '../../engine/index.js';

export enum CampaignStatus {
  DRAFT = 'DRAFT',
  IN_REVIEW = 'IN_REVIEW',
  APPROVED = 'APPROVED',
  LIVE = 'LIVE',
  PAUSED = 'PAUSED',
  ENDED = 'ENDED',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(CampaignStatus, {
  name: 'CampaignStatus',
  description: 'DRAFT → IN_REVIEW → APPROVED → LIVE ⇄ PAUSED → ENDED → ARCHIVED; only LIVE plays',
});

/** Same name and values as location's Weekday, so the supergraph has one enum. */
export enum Weekday {
  MON = 'MON',
  TUE = 'TUE',
  WED = 'WED',
  THU = 'THU',
  FRI = 'FRI',
  SAT = 'SAT',
  SUN = 'SUN',
}
registerEnumType(Weekday, { name: 'Weekday' });

export enum TargetingRuleKind {
  REGION = 'REGION',
  STORE = 'STORE',
  STORE_TAG = 'STORE_TAG',
  DISPLAY = 'DISPLAY',
  DISPLAY_TAG = 'DISPLAY_TAG',
  ORIENTATION = 'ORIENTATION',
  ZONE = 'ZONE',
  SEGMENT = 'SEGMENT',
  PROXIMITY_ZONE = 'PROXIMITY_ZONE',
}
registerEnumType(TargetingRuleKind, {
  name: 'TargetingRuleKind',
  description:
    'SEGMENT (a segment key) and PROXIMITY_ZONE (a location zone id) hold only while a live presence moment matches: someone in that zone, or a consenting visitor of that segment in the display’s zone or store',
});

export enum TransitionAction {
  CREATE = 'CREATE',
  EDIT = 'EDIT',
  SUBMIT = 'SUBMIT',
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
  PUBLISH = 'PUBLISH',
  PAUSE = 'PAUSE',
  RESUME = 'RESUME',
  END = 'END',
  ARCHIVE = 'ARCHIVE',
  STORE_PAUSE = 'STORE_PAUSE',
  STORE_RESUME = 'STORE_RESUME',
  /** An edit of an approved campaign, kept as its pending revision while the approved version plays. */
  REVISE = 'REVISE',
  APPROVE_REVISION = 'APPROVE_REVISION',
  REJECT_REVISION = 'REJECT_REVISION',
  WITHDRAW_REVISION = 'WITHDRAW_REVISION',
}
registerEnumType(TransitionAction, { name: 'CampaignAction' });

/** The schedule as stored (jsonb): instants as ISO strings. */
export interface StoredSchedule {
  startDate?: string | null;
  endDate?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  dayparts?: { days: EngineWeekday[]; from: string; to: string }[] | null;
  maxPlaysPerHour?: number | null;
}

export interface StoredRule {
  kind: TargetingKind;
  value: string;
}

export interface StoredQueueCondition {
  lineId: string | null;
  minWaiting: number | null;
  minWaitMinutes: number | null;
}

export interface StoredTargeting {
  include: StoredRule[];
  exclude: StoredRule[];
  /** Context marketing; absent in campaigns saved before queue conditions existed. */
  queue?: StoredQueueCondition[];
  /** The layout region it plays in (a name); absent = the main region (and full screen without a layout). */
  layoutRegion?: string;
}

@Public()
@ObjectType({ description: 'A weekly window in the store’s own time zone; `to` ≤ `from` runs into the next day' })
export class Daypart {
  @Field(() => [Weekday], { description: 'Empty means every day' })
  days: Weekday[];

  @Field(() => String, { description: 'HH:MM, inclusive' })
  from: string;

  @Field(() => String, { description: 'HH:MM (or 24:00), exclusive' })
  to: string;
}

@Public()
@ObjectType({
  description:
    'When a campaign may play; every present constraint must hold. Dayparts repeat every week (that is the recurrence).',
})
export class CampaignSchedule {
  @Field(() => String, { nullable: true, description: 'Store-local date YYYY-MM-DD, from local midnight' })
  startDate: string | null;

  @Field(() => String, { nullable: true, description: 'Store-local date YYYY-MM-DD, through the end of that day' })
  endDate: string | null;

  @Field(() => Date, { nullable: true, description: 'Instant, inclusive' })
  startsAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Instant, exclusive' })
  endsAt: Date | null;

  @Field(() => [Daypart], { description: 'Empty means all day' })
  dayparts: Daypart[];

  @Field(() => Int, { nullable: true, description: 'Cap on this campaign’s item plays per hour of looping' })
  maxPlaysPerHour: number | null;
}

@ObjectType()
export class TargetingRule {
  @Field(() => TargetingRuleKind)
  kind: TargetingRuleKind;

  @Field(() => String, { description: 'An id (region, store, display, zone), a tag, or LANDSCAPE/PORTRAIT' })
  value: string;
}

@ObjectType({
  description:
    'Context marketing: holds while its queue line (or any line of the display’s store) is open and meets every threshold set',
})
export class QueueCondition {
  @Field(() => ID, { nullable: true, description: 'A line of the queue; null = any line of the display’s store' })
  lineId: string | null;

  @Field(() => Int, { nullable: true, description: 'Tickets waiting at least this many' })
  minWaiting: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Estimated wait for a visitor joining now, at least this many minutes',
  })
  minWaitMinutes: number | null;
}

@ObjectType({ description: 'Include rules: AND across kinds, OR within one; any exclude rule removes a display' })
export class CampaignTargeting {
  @Field(() => [TargetingRule], { description: 'No include rules = the whole tenant (or the whole store)' })
  include: TargetingRule[];

  @Field(() => [TargetingRule])
  exclude: TargetingRule[];

  @Field(() => [QueueCondition], {
    description: 'Empty = always; otherwise the campaign plays only while one of them holds (checked live)',
  })
  queue: QueueCondition[];

  @Field(() => String, {
    nullable: true,
    description:
      'The layout region it plays in, by name, on displays whose layout has one; null = the main region (and full screen on displays without a layout)',
  })
  layoutRegion: string | null;
}

@ObjectType({ description: 'Content HQ (or a store) plans for in-store screens' })
@Directive('@key(fields: "id")')
@Entity({ name: 'campaign' })
@Index(['tenantId', 'status'])
export class Campaign {
  @Public()
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Public()
  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Public()
  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Field(() => ID, { description: 'The user who created it' })
  @Column({ name: 'owner_id', type: 'text' })
  ownerId: string;

  @Field(() => ID, { nullable: true, description: 'Set for a store-local campaign: it plays only in that store' })
  @Column({ name: 'store_id', type: 'uuid', nullable: true })
  storeId: string | null;

  @Public()
  @Field(() => CampaignStatus)
  @Column({ type: 'text' })
  status: CampaignStatus;

  @Public()
  @Field(() => Int, { description: 'Only the highest priority with an eligible campaign plays' })
  @Column({ type: 'int' })
  priority: number;

  @Field(() => Int, { description: 'Share of voice among campaigns of equal priority' })
  @Column({ type: 'int' })
  weight: number;

  @Column({ type: 'jsonb' })
  schedule: StoredSchedule;

  @Column({ type: 'jsonb' })
  targeting: StoredTargeting;

  @Field(() => String, { nullable: true, description: 'Why the last review sent it back to DRAFT' })
  @Column({ name: 'review_note', type: 'text', nullable: true })
  reviewNote: string | null;

  @Public()
  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Public()
  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** The creatives of a campaign, played in `position` order on each of its turns. */
@Entity({ name: 'campaign_creative' })
export class CampaignCreative {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @PrimaryColumn({ type: 'int' })
  position: number;

  @Column({ name: 'creative_id', type: 'uuid' })
  creativeId: string;
}

/** A store whose manager paused a campaign for that store only. */
@Entity({ name: 'campaign_store_pause' })
export class CampaignStorePause {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @PrimaryColumn({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'paused_by', type: 'text' })
  pausedBy: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @CreateDateColumn({ name: 'paused_at', type: 'timestamptz' })
  pausedAt: Date;
}

@ObjectType({ description: 'One step of a campaign’s life: who did what, when and why' })
@Entity({ name: 'campaign_transition' })
@Index(['campaignId', 'occurredAt'])
export class CampaignTransition {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Field(() => TransitionAction)
  @Column({ type: 'text' })
  action: TransitionAction;

  @Field(() => CampaignStatus, { nullable: true, description: 'Null for the creation' })
  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus: CampaignStatus | null;

  @Field(() => CampaignStatus)
  @Column({ name: 'to_status', type: 'text' })
  toStatus: CampaignStatus;

  @Field(() => ID, { description: 'User id, or "system" for automatic steps (auto-approval)' })
  @Column({ name: 'actor_id', type: 'text' })
  actorId: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Field(() => ID, { nullable: true, description: 'The store of a STORE_PAUSE / STORE_RESUME' })
  @Column({ name: 'store_id', type: 'uuid', nullable: true })
  storeId: string | null;

  @Field(() => Date)
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;
}

export enum CampaignRevisionStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(CampaignRevisionStatus, {
  name: 'CampaignRevisionStatus',
  description: 'PENDING (in review) → APPROVED (replaced the live version), REJECTED, or WITHDRAWN by an editor',
});

/** The parts of a campaign a revision changes (name and description change at once, without review). */
export enum CampaignContentField {
  PRIORITY = 'PRIORITY',
  WEIGHT = 'WEIGHT',
  SCHEDULE = 'SCHEDULE',
  TARGETING = 'TARGETING',
  CREATIVES = 'CREATIVES',
}
registerEnumType(CampaignContentField, { name: 'CampaignContentField' });

@ObjectType({
  description:
    'An edit of an APPROVED, LIVE or PAUSED campaign: it waits for review while the approved version keeps playing, and replaces that version when approved',
})
@Entity({ name: 'campaign_revision' })
export class CampaignRevision {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => ID)
  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Field(() => CampaignRevisionStatus)
  @Column({ type: 'text' })
  status: CampaignRevisionStatus;

  @Field(() => Int)
  @Column({ type: 'int' })
  priority: number;

  @Field(() => Int)
  @Column({ type: 'int' })
  weight: number;

  @Column({ type: 'jsonb' })
  schedule: StoredSchedule;

  @Column({ type: 'jsonb' })
  targeting: StoredTargeting;

  @Field(() => [ID], { description: 'In play order' })
  @Column({ name: 'creative_ids', type: 'uuid', array: true })
  creativeIds: string[];

  @Field(() => [CampaignContentField], { description: 'What differs from the live (approved) version' })
  @Column({ type: 'text', array: true })
  changes: CampaignContentField[];

  @Field(() => ID, { description: 'Who first edited it' })
  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Field(() => Date)
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => ID, { description: 'Who edited it last' })
  @Column({ name: 'updated_by', type: 'text' })
  updatedBy: string;

  @Field(() => Date)
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => ID, {
    nullable: true,
    description: 'Who approved, rejected or withdrew it ("system" for auto-approval)',
  })
  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy: string | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was rejected or withdrawn' })
  @Column({ name: 'review_note', type: 'text', nullable: true })
  reviewNote: string | null;
}
