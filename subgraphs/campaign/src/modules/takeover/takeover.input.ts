import { IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

/** The longest takeover message: a screen across a shop floor must read it at a glance. */
export const TAKEOVER_MESSAGE_MAX = 200;

@InputType({ description: 'Exactly one of creativeId and message' })
export class StartStoreTakeoverInput {
  @Field(() => ID)
  storeId: string;

  @Field(() => ID, { nullable: true, description: 'A READY creative of the tenant' })
  creativeId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `Short text drawn large on every display (1–${TAKEOVER_MESSAGE_MAX} characters, up to 4 lines; no personal data)`,
  })
  message?: string | null;

  @Field(() => String, { nullable: true, description: 'Why (kept in the history, never shown on screens)' })
  @IsOptional()
  @MaxLength(500)
  reason?: string | null;
}
