import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DisplayReference } from '../../references.js';
import { PRIORITY, ScheduleInput, TargetingInput } from './campaign.input.js';
import { IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';

@ObjectType({ description: 'A matching display where the campaign would play now but something ranks above it' })
export class OutrankedDisplay {
  @Field(() => DisplayReference)
  display: DisplayReference;

  @Field(() => [ID], { description: 'The campaigns of the higher priority that plays there now' })
  byCampaignIds: string[];

  @Field(() => Boolean, { description: 'An emergency override of the display owns the screen' })
  byOverride: boolean;

  @Field(() => Boolean, { description: 'A store takeover owns the screen' })
  byTakeover: boolean;
}

@ObjectType({
  description:
    'Where a campaign reaches (of the displays the caller can see) and where it plays now, beside the other live campaigns, overrides and takeovers: matching = playing + outranked + not now',
})
export class CampaignReach {
  @Field(() => Date)
  at: Date;

  @Field(() => Boolean, {
    description:
      'True when the campaign is not LIVE: playing and outranked then say where it would play now if it were',
  })
  asIfLive: boolean;

  @Field(() => Int, { description: 'Displays its targeting reaches, ignoring schedule, pauses and queue conditions' })
  matchingCount: number;

  @Field(() => Int, { description: 'Matching displays whose playlist has it now' })
  playingCount: number;

  @Field(() => Int, {
    description: 'Matching displays where it is due now but a higher priority, override or takeover plays',
  })
  outrankedCount: number;

  @Field(() => Int, {
    description: 'Matching displays where it is not due now (schedule, store pause, queue condition)',
  })
  notNowCount: number;

  @Field(() => [DisplayReference])
  matchingDisplays: DisplayReference[];

  @Field(() => [DisplayReference])
  playingDisplays: DisplayReference[];

  @Field(() => [OutrankedDisplay])
  outrankedDisplays: OutrankedDisplay[];
}

@InputType({ description: 'A campaign as the editor holds it, unsaved, for its reach now' })
export class CampaignReachInput {
  @Field(() => ID, { nullable: true, description: 'The campaign being edited: its live version and store pauses' })
  campaignId?: string | null;

  @Field(() => ID, { nullable: true, description: 'For a store-local campaign' })
  storeId?: string | null;

  @Field(() => Int, { defaultValue: 0 })
  @IsInt()
  @Min(PRIORITY.min)
  @Max(PRIORITY.max)
  priority: number;

  @Field(() => ScheduleInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  schedule?: ScheduleInput | null;

  @Field(() => TargetingInput)
  @ValidateNested()
  targeting: TargetingInput;
}
