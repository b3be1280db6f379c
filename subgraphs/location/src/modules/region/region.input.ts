import { IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { CODE_PATTERN } from '../../validation.js';

@InputType()
export class CreateRegionInput {
  @Field(() => String)
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @Field(() => String)
  @Matches(CODE_PATTERN, { message: 'code must be 1-32 letters, digits, - or _' })
  code: string;
}

@InputType()
export class UpdateRegionInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: 'code must be 1-32 letters, digits, - or _' })
  code?: string;
}
