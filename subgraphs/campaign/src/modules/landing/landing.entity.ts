import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@ObjectType({
  description:
    'A campaign’s public landing page (a Campaign-Site): what its QR code opens. Set while the campaign is a draft ' +
    'or in review, so it is reviewed with the campaign',
})
@Entity({ name: 'campaign_landing' })
export class CampaignLanding {
  @Field(() => ID)
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => String, { description: 'The offer in a few words, e.g. "20% off winter coats"' })
  @Column({ type: 'text' })
  headline: string;

  @Field(() => String, { nullable: true, description: 'The offer’s details and terms, plain text' })
  @Column({ type: 'text', nullable: true })
  body: string | null;

  @Field(() => String, { nullable: true, description: 'The button’s words, e.g. "Shop now"' })
  @Column({ name: 'cta_label', type: 'text', nullable: true })
  ctaLabel: string | null;

  @Field(() => String, { nullable: true, description: 'Where the button leads (https)' })
  @Column({ name: 'cta_url', type: 'text', nullable: true })
  ctaUrl: string | null;

  @Field(() => Date)
  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => ID, { description: 'Who set it last' })
  @Column({ name: 'updated_by', type: 'text' })
  updatedBy: string;
}

/** Scans of a campaign's landing page per UTC day: one row each, incremented in place. */
@Entity({ name: 'campaign_landing_scan' })
export class CampaignLandingScan {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'integer' })
  scans: number;
}

@ObjectType({ description: 'Landing page scans of one UTC day' })
export class CampaignScanDay {
  @Field(() => String, { description: 'YYYY-MM-DD (UTC)' })
  day: string;

  @Field(() => Int)
  scans: number;
}

export enum CampaignOfferState {
  /** LIVE or PAUSED: the offer stands */
  AVAILABLE = 'AVAILABLE',
  /** APPROVED, not on air yet */
  UPCOMING = 'UPCOMING',
  /** ENDED or ARCHIVED */
  ENDED = 'ENDED',
}
registerEnumType(CampaignOfferState, {
  name: 'CampaignOfferState',
  description: 'AVAILABLE while the campaign is LIVE or PAUSED; UPCOMING once approved; ENDED after it',
});

@ObjectType({ description: 'What a visitor who scanned a campaign’s QR code sees; no account needed' })
export class CampaignOffer {
  @Field(() => ID)
  campaignId: string;

  @Field(() => CampaignOfferState)
  state: CampaignOfferState;

  @Field(() => String)
  headline: string;

  @Field(() => String, { nullable: true })
  body: string | null;

  @Field(() => String, { nullable: true })
  ctaLabel: string | null;

  @Field(() => String, { nullable: true })
  ctaUrl: string | null;

  @Field(() => String, { nullable: true, description: 'Store-local last day of the campaign (YYYY-MM-DD)' })
  validUntil: string | null;
}
