import {
  ArrayMaxSize,
  IsEnum,
  IsInt,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { SortDirection } from '@phub/kit';
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { CampaignStatus, TargetingRuleKind, Weekday } from './campaign.entity.js';

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
export const FROM_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
export const TO_PATTERN = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

@InputType({ description: 'A weekly window in store-local time; `to` ≤ `from` runs into the next day' })
export class DaypartInput {
  @Field(() => [Weekday], { defaultValue: [], description: 'Empty means every day' })
  @IsEnum(Weekday, { each: true })
  @ArrayMaxSize(7)
  days: Weekday[];

  @Field(() => String, { description: 'HH:MM, inclusive' })
  @Matches(FROM_PATTERN, { message: 'from must be HH:MM between 00:00 and 23:59' })
  from: string;

  @Field(() => String, { description: 'HH:MM or 24:00, exclusive' })
  @Matches(TO_PATTERN, { message: 'to must be HH:MM between 00:00 and 24:00' })
  to: string;
}

@InputType({ description: 'Every present constraint must hold; dayparts repeat weekly' })
export class ScheduleInput {
  @Field(() => String, { nullable: true, description: 'Store-local date YYYY-MM-DD' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: 'startDate must be YYYY-MM-DD' })
  startDate?: string | null;

  @Field(() => String, { nullable: true, description: 'Store-local date YYYY-MM-DD, inclusive' })
  @IsOptional()
  @Matches(DATE_PATTERN, { message: 'endDate must be YYYY-MM-DD' })
  endDate?: string | null;

  @Field(() => Date, { nullable: true })
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true })
  endsAt?: Date | null;

  @Field(() => [DaypartInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(28)
  @ValidateNested({ each: true })
  dayparts?: DaypartInput[] | null;

  @Field(() => Int, { nullable: true, description: 'Cap on this campaign’s item plays per hour of looping' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  maxPlaysPerHour?: number | null;
}

@InputType()
export class TargetingRuleInput {
  @Field(() => TargetingRuleKind)
  @IsEnum(TargetingRuleKind)
  kind: TargetingRuleKind;

  @Field(() => String)
  @MinLength(1, { message: 'value must not be empty' })
  @MaxLength(200)
  value: string;
}

@InputType({ description: 'Holds while the line (or any line of the store) is open and meets every threshold given' })
export class QueueConditionInput {
  @Field(() => ID, { nullable: true, description: 'Null = any line of the display’s store' })
  @IsOptional()
  @IsUUID('all', { message: 'lineId must be a line id' })
  lineId?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  minWaiting?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  minWaitMinutes?: number | null;
}

@InputType({ description: 'Include: AND across kinds, OR within one; exclude: any match removes the display' })
export class TargetingInput {
  @Field(() => [TargetingRuleInput], { defaultValue: [] })
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  include: TargetingRuleInput[];

  @Field(() => [TargetingRuleInput], { defaultValue: [] })
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  exclude: TargetingRuleInput[];

  @Field(() => [QueueConditionInput], {
    defaultValue: [],
    description: 'Context marketing: plays only while one holds (at most 10)',
  })
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  queue: QueueConditionInput[];

  @Field(() => String, {
    nullable: true,
    description:
      'Play in this layout region (its name) on displays whose layout has it, and nowhere else; null = the main region',
  })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,31}$/, {
    message: 'layoutRegion must be a region name: lower case letters, digits and dashes, starting with a letter',
  })
  layoutRegion?: string | null;
}

export const PRIORITY = { min: -1000, max: 1000 };

@InputType()
export class CreateCampaignInput {
  @Field(() => String)
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;

  @Field(() => ID, { nullable: true, description: 'Makes it store-local: it plays only on this store’s displays' })
  @IsOptional()
  storeId?: string | null;

  @Field(() => Int, { defaultValue: 0 })
  @IsInt()
  @Min(PRIORITY.min)
  @Max(PRIORITY.max)
  priority: number;

  @Field(() => Int, { defaultValue: 1 })
  @IsInt()
  @Min(1)
  @Max(1000)
  weight: number;

  @Field(() => ScheduleInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  schedule?: ScheduleInput | null;

  @Field(() => TargetingInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  targeting?: TargetingInput | null;

  @Field(() => [ID], { defaultValue: [], description: 'Played in this order on each of the campaign’s turns' })
  @ArrayMaxSize(50)
  creativeIds: string[];
}

@InputType({ description: 'Only the fields given change; schedule, targeting and creativeIds are replaced whole' })
export class UpdateCampaignInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  description?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(PRIORITY.min)
  @Max(PRIORITY.max)
  priority?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  weight?: number | null;

  @Field(() => ScheduleInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  schedule?: ScheduleInput | null;

  @Field(() => TargetingInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  targeting?: TargetingInput | null;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  creativeIds?: string[] | null;
}

@InputType()
export class CampaignFilter {
  @Field(() => [CampaignStatus], { nullable: true })
  @IsOptional()
  @IsEnum(CampaignStatus, { each: true })
  status?: CampaignStatus[] | null;

  @Field(() => ID, { nullable: true, description: 'Store-local campaigns of this store' })
  storeId?: string | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive match on name' })
  @IsOptional()
  @MaxLength(100)
  search?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  includeArchived?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Only what waits for review: IN_REVIEW campaigns and approved ones with a pending revision',
  })
  needsReview?: boolean | null;
}

export enum CampaignOrderField {
  NAME = 'NAME',
  STATUS = 'STATUS',
  PRIORITY = 'PRIORITY',
  UPDATED = 'UPDATED',
}
registerEnumType(CampaignOrderField, {
  name: 'CampaignOrderField',
  description:
    'NAME: A–Z; STATUS: live first, then paused, approved, in review, draft, ended, archived; PRIORITY; UPDATED: last change',
});

@InputType({ description: 'How campaigns are sorted; ties go by id, so paging stays stable' })
export class CampaignOrder {
  @Field(() => CampaignOrderField)
  @IsEnum(CampaignOrderField)
  field: CampaignOrderField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}
