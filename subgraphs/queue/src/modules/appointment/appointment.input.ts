import { IsOptional, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class BookAppointmentInput {
  @Field(() => ID)
  lineId: string;

  @Field(() => Date, { description: 'The start of one of the line’s free slots (appointmentSlots)' })
  start: Date;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1, { message: 'visitorName must not be empty' })
  @MaxLength(100)
  visitorName?: string | null;

  @Field(() => String, { nullable: true, description: 'International format, with the visitor’s consent (reminders)' })
  @IsOptional()
  @MaxLength(30)
  visitorPhone?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'The visitor agrees to an SMS reminder before the slot (QUEUE_REMINDER_LEAD_MINUTES); default no',
  })
  smsConsent?: boolean | null;
}
