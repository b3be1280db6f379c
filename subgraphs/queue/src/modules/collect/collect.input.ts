import { IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreateCollectOrderInput {
  @Field(() => ID, { description: 'A COLLECT line of the store the order is picked up in' })
  lineId: string;

  @Field(() => String, { description: 'The shop’s order reference (1–64 printable characters), unique per store' })
  @Matches(/^[\x21-\x7e][\x20-\x7e]{0,63}$/, { message: 'reference must be 1–64 printable characters' })
  reference: string;

  @Field(() => String)
  @MinLength(1, { message: 'customerName must not be empty' })
  @MaxLength(100)
  customerName: string;

  @Field(() => String, { nullable: true, description: 'International format, e.g. +447700900123' })
  @IsOptional()
  @MaxLength(30)
  customerPhone?: string | null;
}
