import {
  ArrayMaxSize,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsOptional,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Field, Float, ID, InputType } from 'type-graphql';
import {
  CODE_PATTERN,
  DATE_PATTERN,
  IsIanaTimezone,
  PHONE_PATTERN,
  TAG_PATTERN,
  TIME_PATTERN,
} from '../../validation.js';
import { Weekday } from './store.entity.js';

@InputType()
export class AddressInput {
  @Field(() => String)
  @MinLength(1, { message: 'line1 must not be empty' })
  @MaxLength(200)
  line1: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  line2?: string | null;

  @Field(() => String)
  @MinLength(1, { message: 'city must not be empty' })
  @MaxLength(100)
  city: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20)
  postcode?: string | null;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2, e.g. GB' })
  @Length(2, 2)
  @Matches(/^[A-Z]{2}$/, { message: 'country must be two capital letters (ISO 3166-1 alpha-2)' })
  country: string;
}

@InputType()
export class GeoPointInput {
  @Field(() => Float)
  @Min(-90)
  @Max(90)
  lat: number;

  @Field(() => Float)
  @Min(-180)
  @Max(180)
  lng: number;
}

@InputType()
export class OpeningHoursInput {
  @Field(() => Weekday)
  @IsEnum(Weekday)
  day: Weekday;

  @Field(() => String)
  @Matches(TIME_PATTERN, { message: 'opens must be HH:MM (24-hour)' })
  opens: string;

  @Field(() => String)
  @Matches(TIME_PATTERN, { message: 'closes must be HH:MM (24-hour)' })
  closes: string;
}

@InputType()
export class OpeningHoursExceptionInput {
  @Field(() => String, { description: 'Store-local date YYYY-MM-DD' })
  @Matches(DATE_PATTERN, { message: 'date must be YYYY-MM-DD' })
  date: string;

  @Field(() => Boolean, { defaultValue: false, description: 'Shut all day (leave opens/closes out)' })
  @IsBoolean()
  closed: boolean;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(TIME_PATTERN, { message: 'opens must be HH:MM (24-hour)' })
  opens?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(TIME_PATTERN, { message: 'closes must be HH:MM (24-hour)' })
  closes?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(120)
  note?: string | null;
}

@InputType()
export class StoreContactInput {
  @Field(() => String, { nullable: true, description: 'International format, e.g. +44 20 7946 0000' })
  @IsOptional()
  @Matches(PHONE_PATTERN, { message: 'phone must be in international format, e.g. +44 20 7946 0000' })
  phone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  @IsEmail({}, { message: 'email must be an email address' })
  email?: string | null;
}

const tagMessage = { each: true, message: 'each tag must be 1-64 letters, digits, :, _ or -' };

@InputType()
export class CreateStoreInput {
  @Field(() => String)
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @Field(() => String)
  @Matches(CODE_PATTERN, { message: 'code must be 1-32 letters, digits, - or _' })
  code: string;

  @Field(() => String)
  @IsIanaTimezone()
  timezone: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  regionId?: string | null;

  @Field(() => AddressInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  address?: AddressInput | null;

  @Field(() => GeoPointInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  geo?: GeoPointInput | null;

  @Field(() => [OpeningHoursInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(21)
  @ValidateNested({ each: true })
  openingHours?: OpeningHoursInput[] | null;

  @Field(() => [OpeningHoursExceptionInput], {
    nullable: true,
    description: 'Replaces every exception (at most 100, one per date)',
  })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  openingHoursExceptions?: OpeningHoursExceptionInput[] | null;

  @Field(() => StoreContactInput, { nullable: true, description: 'Replaces the contact; null clears it' })
  @IsOptional()
  @ValidateNested()
  contact?: StoreContactInput | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(TAG_PATTERN, tagMessage)
  tags?: string[] | null;
}

@InputType({ description: 'Only the fields given change' })
export class UpdateStoreInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: 'code must be 1-32 letters, digits, - or _' })
  code?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIanaTimezone()
  timezone?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  regionId?: string | null;

  @Field(() => AddressInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  address?: AddressInput | null;

  @Field(() => GeoPointInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  geo?: GeoPointInput | null;

  @Field(() => [OpeningHoursInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(21)
  @ValidateNested({ each: true })
  openingHours?: OpeningHoursInput[] | null;

  @Field(() => [OpeningHoursExceptionInput], {
    nullable: true,
    description: 'Replaces every exception (at most 100, one per date)',
  })
  @IsOptional()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  openingHoursExceptions?: OpeningHoursExceptionInput[] | null;

  @Field(() => StoreContactInput, { nullable: true, description: 'Replaces the contact; null clears it' })
  @IsOptional()
  @ValidateNested()
  contact?: StoreContactInput | null;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(TAG_PATTERN, tagMessage)
  tags?: string[] | null;
}

@InputType()
export class StoreFilter {
  @Field(() => ID, { nullable: true })
  regionId?: string | null;

  @Field(() => String, { nullable: true, description: 'Stores carrying this tag' })
  tag?: string | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive match on name or code' })
  @IsOptional()
  @MaxLength(100)
  search?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  includeArchived?: boolean | null;
}
