import { ArrayMaxSize, IsEnum, IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { TAG_PATTERN } from '../../validation.js';
import { DeviceKind } from './device.entity.js';

const tagMessage = { each: true, message: 'each tag must be 1-64 letters, digits, :, _ or -' };
const SERIAL = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,63}$/;

@InputType()
export class CreateDeviceInput {
  @Field(() => ID)
  storeId: string;

  @Field(() => DeviceKind)
  @IsEnum(DeviceKind)
  kind: DeviceKind;

  @Field(() => String)
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @Field(() => String)
  @Matches(SERIAL, { message: 'serial must be 1-64 letters, digits, :, ., _ or -' })
  serial: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  zoneId?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(TAG_PATTERN, tagMessage)
  tags?: string[] | null;
}

@InputType({ description: 'Only the fields given change' })
export class UpdateDeviceInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  zoneId?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(TAG_PATTERN, tagMessage)
  tags?: string[] | null;
}
