import { Public } from '@phub/kit';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ReportDimension {
  CAMPAIGN = 'CAMPAIGN',
  CREATIVE = 'CREATIVE',
  STORE = 'STORE',
  DAY = 'DAY',
}
registerEnumType(ReportDimension, { name: 'ReportDimension' });

@InputType()
export class PlaybackReportFilter {
  @Field(() => String, { description: 'First day (YYYY-MM-DD, in each store’s own time zone), inclusive' })
  from: string;

  @Field(() => String, { description: 'Last day (YYYY-MM-DD, in each store’s own time zone), inclusive' })
  to: string;

  @Field(() => ID, { nullable: true })
  campaignId?: string | null;

  @Field(() => ID, { nullable: true })
  creativeId?: string | null;

  @Field(() => ID, { nullable: true })
  storeId?: string | null;

  @Field(() => [ReportDimension], { defaultValue: [], description: 'Empty: one row of totals' })
  groupBy: ReportDimension[];
}

@Public()
@ObjectType({ description: 'Plays, play time and displays reached for one group' })
export class PlaybackReportRow {
  @Field(() => String, { nullable: true })
  day: string | null;

  @Field(() => ID, { nullable: true })
  campaignId: string | null;

  @Field(() => ID, { nullable: true })
  creativeId: string | null;

  @Field(() => ID, { nullable: true })
  storeId: string | null;

  @Field(() => Int)
  plays: number;

  @Field(() => Float, { description: 'Milliseconds' })
  playTimeMs: number;

  @Field(() => Int, { description: 'Distinct displays that played' })
  displays: number;
}

@Public()
@ObjectType()
export class PlaybackReport {
  @Field(() => [PlaybackReportRow])
  rows: PlaybackReportRow[];

  @Field(() => PlaybackReportRow, { description: 'Over the whole filter' })
  totals: PlaybackReportRow;
}
