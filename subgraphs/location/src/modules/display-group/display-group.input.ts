import { ArrayMaxSize, IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { TAG_PATTERN } from '../../validation.js';

const tagMessage = { each: true, message: 'each tag must be 1-64 letters, digits, :, _ or -' };

@InputType()
export class CreateDisplayGroupInput {
  @Field(() => String)
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  description?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(TAG_PATTERN, tagMessage)
  tags?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Displays to put in the group at once' })
  @IsOptional()
  displayIds?: string[] | null;
}

@InputType({ description: 'Only the fields given change' })
export class UpdateDisplayGroupInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  description?: string | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(TAG_PATTERN, tagMessage)
  tags?: string[] | null;
}

@InputType()
export class DisplayGroupFilter {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on name' })
  @IsOptional()
  @MaxLength(100)
  search?: string | null;

  @Field(() => String, { nullable: true })
  tag?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  includeArchived?: boolean | null;
}
