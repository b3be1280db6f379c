import { IsEnum, IsInt, IsOptional, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { BuiltInCreativeKind, CreativeKind, CreativeStatus } from './creative.entity.js';

export const MIN_DURATION_MS = 1_000;
export const MAX_DURATION_MS = 3_600_000;
const durationMessage = `durationMs must be between ${MIN_DURATION_MS} and ${MAX_DURATION_MS}`;

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

@InputType({ description: 'A locale’s version of an uploaded creative, uploaded the same way' })
export class AddCreativeVariantInput {
  @Field(() => ID)
  creativeId: string;

  @Field(() => String, { description: 'BCP 47, e.g. fr-CA or fr' })
  @MaxLength(35)
  locale: string;

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

  @Field(() => String, { nullable: true, description: 'Case-insensitive match on name' })
  @IsOptional()
  @MaxLength(100)
  search?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  includeArchived?: boolean | null;
}

@ArgsType()
export class CreativesArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20)' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: '`endCursor` of the previous page' })
  after?: string | null;

  @Field(() => CreativeFilter, { nullable: true })
  filter?: CreativeFilter | null;
}
