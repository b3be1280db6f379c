import {
  ArrayMaxSize,
  IsEnum,
  IsOptional,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { LineKind, Weekday } from './line.entity.js';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
// A line may close at 24:00, so one that is open all day has no gap at 23:59.
const CLOSING = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const PREFIX = /^[A-Z]{1,3}$/;

@InputType()
export class LineHoursInput {
  @Field(() => Weekday)
  @IsEnum(Weekday)
  day: Weekday;

  @Field(() => String, { description: 'HH:MM, 24-hour' })
  @Matches(TIME, { message: 'opens must be HH:MM' })
  opens: string;

  @Field(() => String, { description: 'HH:MM, 24-hour; 24:00 for midnight at the end of the day' })
  @Matches(CLOSING, { message: 'closes must be HH:MM (or 24:00)' })
  closes: string;
}

@InputType()
export class CreateLineInput {
  @Field(() => ID)
  storeId: string;

  @Field(() => String)
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(80)
  name: string;

  @Field(() => LineKind, {
    nullable: true,
    description: 'WALK_IN (default) or COLLECT (order pickup); fixed once created',
  })
  @IsOptional()
  @IsEnum(LineKind)
  kind?: LineKind | null;

  @Field(() => String, { description: '1–3 capital letters ticket numbers start with' })
  @Matches(PREFIX, { message: 'prefix must be 1–3 capital letters' })
  prefix: string;

  @Field(() => [LineHoursInput], { nullable: true, description: 'Omit to follow the store’s hours' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  openingHours?: LineHoursInput[] | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(10_000)
  capacity?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Appointment slot length in minutes (5–240); null: no appointments',
  })
  @IsOptional()
  @Min(5)
  @Max(240)
  slotMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: 'Appointments per slot (parallel desks, 1–100); null: 1' })
  @IsOptional()
  @Min(1)
  @Max(100)
  slotCapacity?: number | null;
}

@InputType()
export class UpdateLineInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(80)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PREFIX, { message: 'prefix must be 1–3 capital letters' })
  prefix?: string | null;

  @Field(() => [LineHoursInput], { nullable: true, description: 'Replaces the line’s hours; [] follows the store’s' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  openingHours?: LineHoursInput[] | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(10_000)
  capacity?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Appointment slot length in minutes (5–240); null: no appointments',
  })
  @IsOptional()
  @Min(5)
  @Max(240)
  slotMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: 'Appointments per slot (parallel desks, 1–100); null: 1' })
  @IsOptional()
  @Min(1)
  @Max(100)
  slotCapacity?: number | null;
}
