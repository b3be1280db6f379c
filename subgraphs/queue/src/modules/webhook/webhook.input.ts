import { Field, ID, InputType } from 'type-graphql';
import { TicketActionKind } from '../ticket/ticket.entity.js';

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => ID, { nullable: true, description: 'Only this store’s events (store managers must name one of theirs)' })
  storeId?: string | null;

  @Field(() => String, { description: 'https://… on a public address' })
  url: string;

  @Field(() => [TicketActionKind])
  events: TicketActionKind[];

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => [TicketActionKind], { nullable: true })
  events?: TicketActionKind[] | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Boolean, { nullable: true })
  active?: boolean | null;
}
