import { IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class SetDisplayOverrideInput {
  @Field(() => ID)
  displayId: string;

  @Field(() => ID, { description: 'A READY creative of the tenant' })
  creativeId: string;

  @Field(() => Date, { description: 'Plays until this instant (exclusive)' })
  until: Date;

  @Field(() => Date, { nullable: true, description: 'From this instant; now when omitted' })
  startsAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'The campaign the creative belongs to (for proof of play)' })
  campaignId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500)
  reason?: string | null;
}
