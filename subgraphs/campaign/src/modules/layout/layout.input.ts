import { ArrayMaxSize, MaxLength, ValidateNested } from 'class-validator';
import { Field, Float, InputType } from 'type-graphql';
import { LayoutRegionKind } from './layout.entity.js';

/** Most regions one layout may have: a screen read from across a shop floor has few. */
export const LAYOUT_MAX_REGIONS = 8;
/** The longest ticker text. */
export const TICKER_TEXT_MAX = 500;
/** Region names as campaigns target them. */
export const REGION_NAME = /^[a-z][a-z0-9-]{0,31}$/;

@InputType({ description: 'A region in percent of the screen from its top left; it must lie inside the screen' })
export class LayoutRegionInput {
  @Field(() => String, { description: 'Lower case letters, digits and dashes, starting with a letter (≤ 32)' })
  @MaxLength(64)
  name: string;

  @Field(() => LayoutRegionKind)
  kind: LayoutRegionKind;

  @Field(() => Float)
  x: number;

  @Field(() => Float)
  y: number;

  @Field(() => Float)
  width: number;

  @Field(() => Float)
  height: number;

  @Field(() => String, { nullable: true, description: `A TICKER’s text (required there, ≤ ${TICKER_TEXT_MAX})` })
  text?: string | null;
}

@InputType({ description: 'A layout: 1–8 regions with distinct names, at least one CONTENT (the first is main)' })
export class LayoutInput {
  @Field(() => String)
  @MaxLength(120)
  name: string;

  @Field(() => [LayoutRegionInput])
  @ArrayMaxSize(LAYOUT_MAX_REGIONS * 4)
  @ValidateNested({ each: true })
  regions: LayoutRegionInput[];
}
