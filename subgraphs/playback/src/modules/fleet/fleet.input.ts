import { SortDirection } from '@phub/kit';
import { IsEnum, IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { DisplayStatus } from '../health/health.rules.js';

export enum FleetDisplayOrderField {
  NAME = 'NAME',
  STORE = 'STORE',
  STATUS = 'STATUS',
  LAST_SEEN = 'LAST_SEEN',
}
registerEnumType(FleetDisplayOrderField, {
  name: 'FleetDisplayOrderField',
  description:
    'NAME: display, then store; STORE: store, then display; STATUS: offline first, then not playing what it should, online, not reported yet (then store, display); LAST_SEEN: last heartbeat, never seen oldest',
});

@InputType({ description: 'How the fleet is sorted; ties go by id, so paging stays stable' })
export class FleetDisplayOrder {
  @Field(() => FleetDisplayOrderField)
  @IsEnum(FleetDisplayOrderField)
  field: FleetDisplayOrderField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@InputType()
export class FleetDisplayFilter {
  @Field(() => ID, { nullable: true })
  storeId?: string | null;

  @Field(() => ID, { nullable: true })
  regionId?: string | null;

  @Field(() => DisplayStatus, { nullable: true })
  @IsOptional()
  @IsEnum(DisplayStatus)
  status?: DisplayStatus | null;

  @Field(() => String, {
    nullable: true,
    description: 'Case-insensitive match on the display name, store name or code',
  })
  @IsOptional()
  @MaxLength(100)
  search?: string | null;
}
