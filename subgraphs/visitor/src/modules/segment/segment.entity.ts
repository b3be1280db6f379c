import { Public } from '@phub/kit';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SegmentRule } from './segment.rules.js';

export enum SegmentKind {
  /** Members are computed from the rule whenever a visitor changes (and when the rule does). */
  RULE = 'RULE',
  /** Members are imported by identifier from a CDP or CRM (`importSegmentMembers`). */
  IMPORTED = 'IMPORTED',
}
registerEnumType(SegmentKind, { name: 'SegmentKind' });

export enum SegmentConditionKind {
  VISIT_COUNT_AT_LEAST = 'VISIT_COUNT_AT_LEAST',
  VISITED_STORE = 'VISITED_STORE',
  ATTRIBUTE_EQUALS = 'ATTRIBUTE_EQUALS',
}
registerEnumType(SegmentConditionKind, {
  name: 'SegmentConditionKind',
  description: 'Visits (behaviour, counted only with ANALYTICS consent) or an attribute a CRM or staff set',
});

@Public()
@ObjectType({ description: 'One condition of a rule segment; every condition of the rule must hold' })
export class SegmentCondition {
  @Public()
  @Field(() => SegmentConditionKind)
  kind: SegmentConditionKind;

  @Public()
  @Field(() => Int, { nullable: true })
  count?: number | null;

  @Public()
  @Field(() => ID, { nullable: true })
  storeId?: string | null;

  @Public()
  @Field(() => String, { nullable: true })
  attribute?: string | null;

  @Public()
  @Field(() => String, { nullable: true })
  value?: string | null;
}

@Public()
@ObjectType({ description: 'A visitor segment; campaigns target its `key` with SEGMENT rules' })
@Entity({ name: 'segment' })
export class Segment {
  @Public()
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Public()
  @Field(() => String, { description: 'The slug SEGMENT rules and imports name it by, e.g. gold-members' })
  @Column({ type: 'text' })
  key: string;

  @Public()
  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Public()
  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Public()
  @Field(() => SegmentKind)
  @Column({ type: 'text' })
  kind: SegmentKind;

  @Column({ type: 'jsonb', nullable: true })
  rule: SegmentRule | null;

  @Field(() => Boolean, { description: 'Shown as a badge on check-in cards' })
  @Column({ name: 'show_at_check_in', type: 'boolean', default: true })
  showAtCheckIn: boolean;

  @Field(() => Date)
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Public()
@ObjectType({ description: 'What an import did; rejected members are reported one by one, the rest applied' })
export class SegmentImportResult {
  @Public()
  @Field(() => Int, { description: 'Memberships added' })
  added: number;

  @Public()
  @Field(() => Int, { description: 'Already members (an import is idempotent)' })
  alreadyMembers: number;

  @Public()
  @Field(() => Int, { description: 'Profiles created for identifiers seen for the first time' })
  createdProfiles: number;

  @Public()
  @Field(() => [SegmentImportRejection])
  rejected: SegmentImportRejection[];
}

@Public()
@ObjectType()
export class SegmentImportRejection {
  @Public()
  @Field(() => Int, { description: 'Index in `members`' })
  index: number;

  @Public()
  @Field(() => String, { description: 'A stable reason, e.g. INVALID_IDENTIFIER' })
  reason: string;
}
