import { ArrayMaxSize, IsEnum, IsInt, IsOptional, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { BuiltInCreativeKind, CreativeKind, CreativeOrientation, CreativeStatus, FitMode } from './creative.entity.js';

export const MIN_DURATION_MS = 1_000;
export const MAX_DURATION_MS = 3_600_000;
const durationMessage = `durationMs must be between ${MIN_DURATION_MS} and ${MAX_DURATION_MS}`;
/** Larger than any screen (16K); keeps nonsense out of the library. */
export const MAX_PIXELS = 16_384;
const pixelMessage = `width and height must be between 1 and ${MAX_PIXELS} pixels`;
export const MAX_TAGS = 20;

@InputType()
export class CreateCreativeUploadInput {
  @Field(() => String)
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name: string;

  @Field(() => CreativeKind, {
    description: 'IMAGE, VIDEO or HTML (AEM: createAemCreative; built-in kinds: createBuiltInCreative)',
  })
  @IsEnum(CreativeKind)
  kind: CreativeKind;

  @Field(() => String, { description: 'e.g. image/png; must suit the kind' })
  @MaxLength(100)
  mimeType: string;

  @Field(() => Float, { description: 'Exact size of the file to upload' })
  @IsInt({ message: 'sizeBytes must be a whole number' })
  @Min(1, { message: 'sizeBytes must be at least 1' })
  sizeBytes: number;

  @Field(() => Int, { nullable: true, description: 'Required for VIDEO; images and HTML default to 10 s' })
  @IsOptional()
  @Min(MIN_DURATION_MS, { message: durationMessage })
  @Max(MAX_DURATION_MS, { message: durationMessage })
  durationMs?: number | null;

  @Field(() => Int, { nullable: true, description: 'Pixels, as the file says (images, videos); with height' })
  @IsOptional()
  @Min(1, { message: pixelMessage })
  @Max(MAX_PIXELS, { message: pixelMessage })
  width?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1, { message: pixelMessage })
  @Max(MAX_PIXELS, { message: pixelMessage })
  height?: number | null;

  @Field(() => FitMode, { nullable: true, description: 'Default CONTAIN' })
  @IsOptional()
  @IsEnum(FitMode)
  fitMode?: FitMode | null;
}

@InputType({ description: 'Library changes of a creative; omitted fields stay as they are' })
export class UpdateCreativeInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: `Replaces the tags (at most ${MAX_TAGS}; folded to lower case)`,
  })
  @IsOptional()
  @ArrayMaxSize(MAX_TAGS, { message: `at most ${MAX_TAGS} tags` })
  tags?: string[] | null;

  @Field(() => FitMode, { nullable: true })
  @IsOptional()
  @IsEnum(FitMode)
  fitMode?: FitMode | null;

  @Field(() => Int, { nullable: true, description: 'Pixels, for a creative uploaded without them; with height' })
  @IsOptional()
  @Min(1, { message: pixelMessage })
  @Max(MAX_PIXELS, { message: pixelMessage })
  width?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1, { message: pixelMessage })
  @Max(MAX_PIXELS, { message: pixelMessage })
  height?: number | null;
}

export enum AemTemplate {
  HEADLINE_BODY_IMAGE_PRICE = 'HEADLINE_BODY_IMAGE_PRICE',
}
registerEnumType(AemTemplate, {
  name: 'AemTemplate',
  valuesConfig: { HEADLINE_BODY_IMAGE_PRICE: { description: 'headline, body, image (https) and price, full screen' } },
});

@InputType()
export class CreateAemCreativeInput {
  @Field(() => String)
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name: string;

  @Field(() => String, { description: 'AEM path under /content, e.g. /content/screens/acme/autumn' })
  @MaxLength(1000)
  @Matches(/^\/content(\/[\w.:-]+)+$/, { message: 'aemPath must be an AEM path under /content' })
  aemPath: string;

  @Field(() => Int)
  @Min(MIN_DURATION_MS, { message: durationMessage })
  @Max(MAX_DURATION_MS, { message: durationMessage })
  durationMs: number;

  @Field(() => ID, {
    nullable: true,
    description: 'The AEM source (contentSources) to copy it from; without one it stays PENDING_UPLOAD',
  })
  @IsOptional()
  sourceId?: string | null;

  @Field(() => AemTemplate, {
    nullable: true,
    description: 'For a content fragment: the template that renders it into HTML; omit for an asset',
  })
  @IsOptional()
  template?: AemTemplate | null;
}

@InputType({ description: 'A creative the platform draws itself: nothing to upload' })
export class CreateBuiltInCreativeInput {
  @Field(() => String)
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200, { message: 'name must be at most 200 characters' })
  name: string;

  @Field(() => BuiltInCreativeKind)
  @IsEnum(BuiltInCreativeKind)
  kind: BuiltInCreativeKind;

  @Field(() => Int, { nullable: true, description: 'How long it stays on screen per turn; default 10 s' })
  @IsOptional()
  @Min(MIN_DURATION_MS, { message: durationMessage })
  @Max(MAX_DURATION_MS, { message: durationMessage })
  durationMs?: number | null;
}

@InputType({
  description:
    'A version of an uploaded creative for a locale or for a display orientation (exactly one), uploaded the same way',
})
export class AddCreativeVariantInput {
  @Field(() => ID)
  creativeId: string;

  @Field(() => String, { nullable: true, description: 'BCP 47, e.g. fr-CA or fr' })
  @IsOptional()
  @MaxLength(35)
  locale?: string | null;

  @Field(() => CreativeOrientation, {
    nullable: true,
    description: 'LANDSCAPE or PORTRAIT: played on displays of that orientation',
  })
  @IsOptional()
  @IsEnum(CreativeOrientation)
  orientation?: CreativeOrientation | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1, { message: pixelMessage })
  @Max(MAX_PIXELS, { message: pixelMessage })
  width?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1, { message: pixelMessage })
  @Max(MAX_PIXELS, { message: pixelMessage })
  height?: number | null;

  @Field(() => String)
  @MaxLength(100)
  mimeType: string;

  @Field(() => Float)
  @IsInt({ message: 'sizeBytes must be a whole number' })
  @Min(1, { message: 'sizeBytes must be at least 1' })
  sizeBytes: number;

  @Field(() => Int, { nullable: true, description: 'Default: the creative’s duration' })
  @IsOptional()
  @Min(MIN_DURATION_MS, { message: durationMessage })
  @Max(MAX_DURATION_MS, { message: durationMessage })
  durationMs?: number | null;
}

@InputType()
export class CreativeFilter {
  @Field(() => CreativeKind, { nullable: true })
  kind?: CreativeKind | null;

  @Field(() => CreativeStatus, { nullable: true })
  status?: CreativeStatus | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive match on name or a tag' })
  @IsOptional()
  @MaxLength(100)
  search?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  includeArchived?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Only archived creatives' })
  archivedOnly?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Only creatives with this tag' })
  @IsOptional()
  @MaxLength(50)
  tag?: string | null;

  @Field(() => CreativeOrientation, { nullable: true })
  @IsOptional()
  @IsEnum(CreativeOrientation)
  orientation?: CreativeOrientation | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only creatives a campaign uses; false: only unused ones',
  })
  used?: boolean | null;
}

export enum CreativeSort {
  NAME = 'NAME',
  NEWEST = 'NEWEST',
}
registerEnumType(CreativeSort, {
  name: 'CreativeSort',
  valuesConfig: { NAME: { description: 'A to Z (default)' }, NEWEST: { description: 'Newest upload first' } },
});

@ArgsType()
export class CreativesArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20)' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: '`endCursor` of the previous page' })
  after?: string | null;

  @Field(() => CreativeFilter, { nullable: true })
  filter?: CreativeFilter | null;

  @Field(() => CreativeSort, { nullable: true, defaultValue: CreativeSort.NAME })
  sort?: CreativeSort | null;
}
