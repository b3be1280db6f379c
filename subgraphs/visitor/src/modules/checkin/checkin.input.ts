import { IsOptional, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { AttributeInput, ConsentInput, IdentifierInput } from '../profile/profile.input.js';
import { CheckInSource } from './checkin.entity.js';

@InputType()
export class CheckInVisitorInput {
  @Field(() => ID)
  storeId: string;

  @Field(() => CheckInSource)
  source: CheckInSource;

  @Field(() => ID, { nullable: true, description: 'The visitor’s queue ticket: its outcome is kept with the visit' })
  ticketId?: string | null;

  @Field(() => [IdentifierInput], { description: '1–10; identifiers of two profiles merge them' })
  @ValidateNested({ each: true })
  identifiers: IdentifierInput[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200)
  name?: string | null;

  @Field(() => [ConsentInput], { nullable: true, description: 'Consents given or withdrawn at this check-in' })
  @IsOptional()
  @ValidateNested({ each: true })
  consents?: ConsentInput[] | null;

  @Field(() => [AttributeInput], { nullable: true })
  @IsOptional()
  @ValidateNested({ each: true })
  attributes?: AttributeInput[] | null;
}

@InputType()
export class VisitorNoteInput {
  @Field(() => ID)
  checkInId: string;

  @Field(() => String)
  @MinLength(1)
  @MaxLength(500)
  text: string;
}
