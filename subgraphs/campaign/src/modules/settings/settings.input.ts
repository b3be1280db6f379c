import { Field, InputType } from 'type-graphql';

@InputType({ description: 'Only the fields given change' })
export class CampaignSettingsInput {
  @Field(() => Boolean, { nullable: true })
  autoApprove?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  autoApproveStoreLocal?: boolean | null;
}
