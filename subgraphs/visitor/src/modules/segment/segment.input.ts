import { IsOptional, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { SegmentConditionKind, SegmentKind } from './segment.entity.js';

export const SEGMENT_KEY = /^[a-z0-9][a-z0-9-]*$/;

@InputType()
export class SegmentConditionInput {
  @Field(() => SegmentConditionKind)
  kind: SegmentConditionKind;

  @Field(() => Int, { nullable: true, description: 'VISIT_COUNT_AT_LEAST' })
  count?: number | null;

  @Field(() => ID, { nullable: true, description: 'VISITED_STORE' })
  storeId?: string | null;

  @Field(() => String, { nullable: true, description: 'ATTRIBUTE_EQUALS: the attribute’s name' })
  attribute?: string | null;

  @Field(() => String, { nullable: true, description: 'ATTRIBUTE_EQUALS: the value it must equal' })
  value?: string | null;
}

@InputType()
export class SegmentRuleInput {
  @Field(() => [SegmentConditionInput], { description: 'All must hold (1–10)' })
  @ValidateNested({ each: true })
  conditions: SegmentConditionInput[];
}

@InputType()
export class CreateSegmentInput {
  @Field(() => String, { description: 'Slug: lower-case letters, digits and dashes, up to 64' })
  @Matches(SEGMENT_KEY, { message: 'key must be lower-case letters, digits and dashes' })
  @MaxLength(64)
  key: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  description?: string | null;

  @Field(() => SegmentKind)
  kind: SegmentKind;

  @Field(() => SegmentRuleInput, { nullable: true, description: 'Required for RULE segments, refused for IMPORTED' })
  rule?: SegmentRuleInput | null;

  @Field(() => Boolean, { defaultValue: true })
  showAtCheckIn: boolean;
}

@InputType()
export class UpdateSegmentInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(100)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  description?: string | null;

  @Field(() => SegmentRuleInput, { nullable: true, description: 'RULE segments: the new rule (members recomputed)' })
  rule?: SegmentRuleInput | null;

  @Field(() => Boolean, { nullable: true })
  showAtCheckIn?: boolean | null;
}
