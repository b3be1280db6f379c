import { IsOptional, IsUrl, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class SetCampaignLandingInput {
  @Field(() => ID)
  campaignId: string;

  @Field(() => String)
  @MinLength(1, { message: 'headline must not be empty' })
  @MaxLength(120)
  headline: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  body?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(40)
  ctaLabel?: string | null;

  @Field(() => String, { nullable: true, description: 'https only' })
  @IsOptional()
  @MaxLength(500)
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'ctaUrl must be an https:// address' })
  ctaUrl?: string | null;
}
