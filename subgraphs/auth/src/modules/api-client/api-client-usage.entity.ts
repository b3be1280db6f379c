import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** bigint columns arrive as strings from pg; the figures are far below 2^53. */
const bigintNumber = { to: (v: number) => v, from: (v: string | number) => Number(v) };

/** One client's usage in one hour (UTC), as the gateway counted it. */
@Entity({ name: 'api_client_usage' })
export class ApiClientUsageRow {
  @PrimaryColumn({ name: 'client_id', type: 'uuid' })
  clientId: string;

  @PrimaryColumn({ type: 'timestamptz' })
  hour: Date;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  requests: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  errors: number;

  @Column({ name: 'rate_limited', type: 'bigint', transformer: bigintNumber })
  rateLimited: number;

  @Column({ type: 'bigint', transformer: bigintNumber })
  cost: number;
}

export enum UsageGranularity {
  HOUR = 'HOUR',
  DAY = 'DAY',
}
registerEnumType(UsageGranularity, { name: 'UsageGranularity', description: 'Bucket size of usage figures (UTC)' });

// The same four figures on both types (type-graphql would also publish a shared base class as a type).
@ObjectType({ description: 'Usage in one bucket; buckets without requests are left out' })
export class ApiClientUsageBucket {
  @Field(() => Date, { description: 'Start of the hour or day (UTC)' })
  start: Date;

  @Field(() => Int, { description: 'GraphQL requests (rate-limited ones included)' })
  requests: number;

  @Field(() => Int, { description: 'Requests answered with errors (rate-limited ones not included)' })
  errors: number;

  @Field(() => Int, { description: 'Requests refused with 429 (over the rate limit or quota)' })
  rateLimited: number;

  @Field(() => Float, { description: 'Estimated cost (objects) of the operations run, what the cost quota counts' })
  cost: number;
}

@ObjectType({ description: "An API client's usage over [from, to), as the gateway counted it" })
export class ApiClientUsage {
  @Field(() => Date)
  from: Date;

  @Field(() => Date)
  to: Date;

  @Field(() => UsageGranularity)
  granularity: UsageGranularity;

  @Field(() => Int, { description: 'GraphQL requests (rate-limited ones included)' })
  requests: number;

  @Field(() => Int, { description: 'Requests answered with errors (rate-limited ones not included)' })
  errors: number;

  @Field(() => Int, { description: 'Requests refused with 429 (over the rate limit or quota)' })
  rateLimited: number;

  @Field(() => Float, { description: 'Estimated cost (objects) of the operations run, what the cost quota counts' })
  cost: number;

  @Field(() => [ApiClientUsageBucket])
  buckets: ApiClientUsageBucket[];
}

/** What the gateway reports for one client and hour (counts added to what is stored). */
export interface UsageReport {
  clientId: string;
  hour: string;
  requests: number;
  errors: number;
  rateLimited: number;
  cost: number;
}
