import { IsEnum, IsOptional, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { ZoneKind } from './zone.entity.js';

@InputType()
export class CreateZoneInput {
  @Field(() => ID)
  storeId: string;

  @Field(() => String)
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @Field(() => ZoneKind, { defaultValue: ZoneKind.OTHER })
  @IsEnum(ZoneKind)
  kind: ZoneKind;
}

@InputType({ description: 'Only the fields given change' })
export class UpdateZoneInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name?: string | null;

  @Field(() => ZoneKind, { nullable: true })
  @IsOptional()
  @IsEnum(ZoneKind)
  kind?: ZoneKind | null;
}
