import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

// The board is for public screens: ticket numbers, desk names and times only — never a visitor's name, phone,
// note or the ticket's id (types of their own, so no field resolver of Ticket can add one by accident).

@ObjectType({ description: 'A number being called to a desk' })
export class QueueBoardCall {
  @Field(() => String, { description: 'The ticket number, e.g. A012' })
  number: string;

  @Field(() => String, { nullable: true, description: 'The desk’s name; null when called without a desk' })
  desk: string | null;

  @Field(() => Date)
  calledAt: Date;

  @Field(() => Date, { description: 'The latest call: calledAt, or when it was last recalled' })
  lastCalledAt: Date;

  @Field(() => Int, { description: 'How often it was called again' })
  recallCount: number;
}

@ObjectType({ description: 'One line as a "now serving" screen shows it' })
export class QueueBoardLine {
  @Field(() => ID)
  lineId: string;

  @Field(() => String)
  name: string;

  @Field(() => String)
  prefix: string;

  @Field(() => Boolean, { description: 'Takes remote joins now' })
  isOpen: boolean;

  @Field(() => [QueueBoardCall], { description: 'Being called now, the latest call first' })
  called: QueueBoardCall[];

  @Field(() => [String], { description: 'The next waiting numbers, first in line first' })
  next: string[];

  @Field(() => Int, { description: 'Tickets waiting to be called' })
  waiting: number;

  @Field(() => Float, { description: 'Minutes a visitor joining now would wait' })
  estimatedWaitMinutes: number;
}

@ObjectType({ description: 'A store’s "now serving" board: what its queue screens show; no personal data' })
export class QueueBoard {
  @Field(() => ID)
  storeId: string;

  @Field(() => Date, { description: 'When it was read' })
  at: Date;

  @Field(() => [QueueBoardLine])
  lines: QueueBoardLine[];
}
