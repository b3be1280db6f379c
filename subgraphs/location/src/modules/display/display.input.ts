import {
  ArrayMaxSize,
  IsEnum,
  IsInt,
  IsOptional,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { TAG_PATTERN } from '../../validation.js';
import { Orientation } from './display.entity.js';

@InputType()
export class ResolutionInput {
  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(16384)
  width: number;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(16384)
  height: number;
}

const tagMessage = { each: true, message: 'each tag must be 1-64 letters, digits, :, _ or -' };

@InputType()
export class CreateDisplayInput {
  @Field(() => ID)
  storeId: string;

  @Field(() => String)
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @Field(() => Orientation, { defaultValue: Orientation.LANDSCAPE })
  @IsEnum(Orientation)
  orientation: Orientation;

  @Field(() => ResolutionInput, { nullable: true, description: 'Defaults to 1920×1080 (or 1080×1920 in portrait)' })
  @IsOptional()
  @ValidateNested()
  resolution?: ResolutionInput | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  zoneId?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(TAG_PATTERN, tagMessage)
  tags?: string[] | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  placement?: string | null;
}

@InputType({ description: 'Only the fields given change' })
export class UpdateDisplayInput {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true, description: 'Moves the display to another store' })
  @IsOptional()
  storeId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name?: string | null;

  @Field(() => Orientation, { nullable: true })
  @IsOptional()
  @IsEnum(Orientation)
  orientation?: Orientation | null;

  @Field(() => ResolutionInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  resolution?: ResolutionInput | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  zoneId?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(TAG_PATTERN, tagMessage)
  tags?: string[] | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  placement?: string | null;
}

@InputType()
export class DisplayFilter {
  @Field(() => ID, { nullable: true })
  storeId?: string | null;

  @Field(() => String, { nullable: true })
  tag?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only displays of this display group' })
  groupId?: string | null;

  @Field(() => ID, { nullable: true })
  zoneId?: string | null;

  @Field(() => Orientation, { nullable: true })
  orientation?: Orientation | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive match on name' })
  @IsOptional()
  @MaxLength(100)
  search?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  includeArchived?: boolean | null;
}
