import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum QueueReportDimension {
  STORE = 'STORE',
  LINE = 'LINE',
  DAY = 'DAY',
}
registerEnumType(QueueReportDimension, {
  name: 'QueueReportDimension',
  valuesConfig: { DAY: { description: 'The store’s own calendar day (its time zone)' } },
});

@InputType()
export class QueueReportFilter {
  @Field(() => String, { description: 'First day (YYYY-MM-DD, in each store’s own time zone), inclusive' })
  from: string;

  @Field(() => String, { description: 'Last day (YYYY-MM-DD, in each store’s own time zone), inclusive' })
  to: string;

  @Field(() => ID, { nullable: true })
  storeId?: string | null;

  @Field(() => ID, { nullable: true })
  lineId?: string | null;

  @Field(() => [QueueReportDimension], { defaultValue: [], description: 'Empty: one row of totals' })
  groupBy: QueueReportDimension[];
}

@ObjectType({ description: 'Visitors served in one hour of a store’s day' })
export class QueueReportHour {
  @Field(() => Date, { description: 'When the hour starts (an instant)' })
  startsAt: Date;

  @Field(() => String, { description: 'Store-local start, e.g. 01:00 (twice on the day clocks go back)' })
  localTime: string;

  @Field(() => String, { description: 'The store’s UTC offset during this hour, e.g. +01:00' })
  utcOffset: string;

  @Field(() => Int)
  served: number;
}

@ObjectType({ description: 'Queue figures for one group; events count on the store-local day they happened' })
export class QueueReportRow {
  @Field(() => String, { nullable: true })
  day: string | null;

  @Field(() => ID, { nullable: true })
  storeId: string | null;

  @Field(() => ID, { nullable: true })
  lineId: string | null;

  @Field(() => Int, { description: 'Tickets issued (desk and remote)' })
  joined: number;

  @Field(() => Int, { description: 'Tickets called for the first time: the waits measured' })
  called: number;

  @Field(() => Int)
  served: number;

  @Field(() => Int)
  noShows: number;

  @Field(() => Int, { description: 'Cancelled by the visitor' })
  cancelled: number;

  @Field(() => Int)
  cancelledByClerk: number;

  @Field(() => Float, { nullable: true, description: 'Median wait, joined → first called (seconds)' })
  waitP50Seconds: number | null;

  @Field(() => Float, { nullable: true, description: '90th percentile wait, joined → first called (seconds)' })
  waitP90Seconds: number | null;

  @Field(() => Float, { nullable: true, description: 'Median service time, called → served (seconds)' })
  serviceP50Seconds: number | null;

  @Field(() => Float, { nullable: true, description: '90th percentile service time, called → served (seconds)' })
  serviceP90Seconds: number | null;

  @Field(() => [QueueReportHour], {
    description:
      'Served per hour of the day (23, 24 or 25 hours): for rows of one store and one day (group by DAY with STORE or LINE, or filter by a store or line); empty otherwise',
  })
  servedPerHour: QueueReportHour[];
}

@ObjectType()
export class QueueReport {
  @Field(() => [QueueReportRow])
  rows: QueueReportRow[];

  @Field(() => QueueReportRow, { description: 'Over the whole filter' })
  totals: QueueReportRow;
}
