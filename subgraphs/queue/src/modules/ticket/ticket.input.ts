import { IsOptional, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class AddTicketInput {
  @Field(() => ID)
  lineId: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1, { message: 'visitorName must not be empty' })
  @MaxLength(100)
  visitorName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'International format, e.g. +447700900123 (with the visitor’s consent)',
  })
  @IsOptional()
  @MaxLength(30)
  visitorPhone?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(1000)
  note?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'The visitor agrees to SMS about this ticket ("you are next", "it is your turn"); default no',
  })
  smsConsent?: boolean | null;
}

@InputType()
export class TicketFilter {
  @Field(() => ID, { nullable: true })
  lineId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Also tickets in final states (default: only NEW and CALLED)' })
  includeFinished?: boolean | null;
}
