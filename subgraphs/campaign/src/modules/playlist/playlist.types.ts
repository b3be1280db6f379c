import { Public } from '@phub/kit';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EXPLAIN_CHECKS } from '../../engine/index.js';
import { DisplayReference } from '../../references.js';
import { TargetingRule } from '../campaign/campaign.entity.js';
import { FitMode } from '../creative/creative.entity.js';
import { LayoutRegionKind } from '../layout/layout.entity.js';

export const ExplainCheckName = Object.fromEntries(EXPLAIN_CHECKS.map((c) => [c, c])) as {
  [K in (typeof EXPLAIN_CHECKS)[number]]: K;
};
registerEnumType(ExplainCheckName, { name: 'ExplainCheckName' });

@Public()
@ObjectType({ description: 'One entry of the loop a player plays' })
export class PlaylistItem {
  @Field(() => ID, {
    nullable: true,
    description: 'Null for an override that names no campaign, and for a store takeover',
  })
  campaignId: string | null;

  @Field(() => ID, { nullable: true, description: 'Set when the item comes from an emergency override' })
  overrideId: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'Set when the item comes from a store takeover (a message takeover’s item has the takeover’s id as creativeId)',
  })
  takeoverId?: string | null;

  @Field(() => ID)
  creativeId: string;

  @Field(() => String)
  url: string;

  @Field(() => String)
  mimeType: string;

  @Field(() => Int)
  durationMs: number;

  @Field(() => String)
  checksum: string;

  @Field(() => FitMode, { description: 'How to fit it into the screen (the creative’s choice)' })
  fit?: FitMode | `${FitMode}`;

  @Field(() => Date, { nullable: true, description: 'When this item’s own campaign or override may change' })
  validUntil: Date | null;
}

@Public()
@ObjectType({ description: 'One region of the layout a display plays, with its own loop' })
export class PlaylistRegion {
  @Field(() => String)
  name: string;

  @Field(() => LayoutRegionKind)
  kind: LayoutRegionKind;

  @Field(() => Float, { description: 'Percent of the screen’s width from its left edge' })
  x: number;

  @Field(() => Float, { description: 'Percent of the screen’s height from its top edge' })
  y: number;

  @Field(() => Float)
  width: number;

  @Field(() => Float)
  height: number;

  @Field(() => String, { nullable: true, description: 'A TICKER region’s text' })
  text: string | null;

  @Field(() => Boolean, { description: 'The main region: its items are the playlist’s `items`' })
  main: boolean;

  @Field(() => String, { description: 'Content hash of this region’s items (empty for TICKER and QUEUE_BOARD)' })
  version: string;

  @Field(() => [PlaylistItem], { description: 'A CONTENT region’s loop; empty for the other kinds' })
  items: PlaylistItem[];
}

@Public()
@ObjectType({ description: 'The layout a display plays: regions side by side, each with its own content' })
export class PlaylistLayout {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => [PlaylistRegion])
  regions: PlaylistRegion[];
}

@Public()
@ObjectType({ description: 'What one display plays, looped, until validUntil' })
export class Playlist {
  @Field(() => ID)
  displayId: string;

  @Field(() => String, { description: 'Content hash of the items as played: equal versions play the same' })
  version: string;

  @Field(() => [PlaylistItem])
  items: PlaylistItem[];

  @Field(() => Date, { nullable: true, description: 'Next instant it may change; ask again then (or listen)' })
  validUntil: Date | null;

  @Field(() => Date, { description: 'The instant it was resolved for' })
  resolvedAt: Date;

  @Field(() => PlaylistLayout, {
    nullable: true,
    description: 'The display’s layout; null = full screen. With a layout, `items` are its main region’s',
  })
  layout: PlaylistLayout | null;

  @Field(() => DisplayReference)
  display: DisplayReference;
}

@Public()
@ObjectType({ description: 'A display’s playlist changed' })
export class PlaylistChange {
  @Field(() => ID)
  displayId: string;

  @Field(() => String)
  version: string;

  @Field(() => Playlist)
  playlist: Playlist;

  @Field(() => DisplayReference)
  display: DisplayReference;
}

@ObjectType()
export class OutrankingCampaign {
  @Field(() => ID)
  campaignId: string;

  @Field(() => String)
  name: string;

  @Field(() => Int)
  priority: number;
}

@ObjectType({ description: 'One check of an explanation' })
export class ExplainCheck {
  @Field(() => ExplainCheckName)
  check: keyof typeof ExplainCheckName;

  @Field(() => Boolean)
  pass: boolean;

  @Field(() => String)
  message: string;

  @Field(() => TargetingRule, { nullable: true })
  rule: TargetingRule | null;

  @Field(() => OutrankingCampaign, { nullable: true })
  outrankedBy: OutrankingCampaign | null;
}

@ObjectType({ description: 'Why a campaign is or is not on a display at an instant' })
export class PlaylistExplanation {
  @Field(() => ID)
  displayId: string;

  @Field(() => ID)
  campaignId: string;

  @Field(() => Date)
  at: Date;

  @Field(() => String, { description: 'E.g. SUN 2026-03-29 02:30 Europe/London (UTC+01:00)' })
  storeLocalTime: string;

  @Field(() => Boolean, { description: 'Passes every check of its own, ignoring overrides and competition' })
  eligible: boolean;

  @Field(() => Boolean, { description: 'Has items in the display’s playlist at that instant' })
  playing: boolean;

  @Field(() => [ExplainCheck])
  checks: ExplainCheck[];

  @Field(() => String)
  summary: string;

  @Field(() => DisplayReference)
  display: DisplayReference;
}

@ObjectType({ description: 'A stretch of time during which a display plays one version' })
export class PlaylistSegment {
  @Field(() => Date)
  from: Date;

  @Field(() => Date)
  to: Date;

  @Field(() => String)
  version: string;

  @Field(() => [PlaylistItem])
  items: PlaylistItem[];
}
