import { ArrayMaxSize, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { AuditEventType } from './audit.entity.js';

@InputType()
export class AuditLogFilter {
  @Field(() => [AuditEventType], { nullable: true, description: 'Only these kinds of event' })
  @IsOptional()
  // Every kind at once is a fair filter (HQ's "select all"); more would only repeat them.
  @ArrayMaxSize(Object.keys(AuditEventType).length)
  types?: AuditEventType[] | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(100)
  actorId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(100)
  subjectId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Events at or after this instant' })
  @IsOptional()
  since?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Events before this instant' })
  @IsOptional()
  until?: Date | null;
}

@ArgsType()
export class AuditLogArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20)' })
  @IsOptional()
  @Min(0)
  @Max(100)
  first?: number | null;

  @Field(() => String, { nullable: true, description: '`endCursor` of the previous page' })
  after?: string | null;

  @Field(() => AuditLogFilter, { nullable: true })
  filter?: AuditLogFilter | null;
}
