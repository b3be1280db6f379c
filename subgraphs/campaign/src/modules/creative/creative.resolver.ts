import type { Viewer } from '@phub/kit';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType } from '@phub/kit';
import { Creative, CreativeOrientation, CreativeUpload, CreativeVariant, orientationOf } from './creative.entity.js';
import {
  AddCreativeVariantInput,
  CreateAemCreativeInput,
  CreateBuiltInCreativeInput,
  CreateCreativeUploadInput,
  CreativesArgs,
  UpdateCreativeInput,
} from './creative.input.js';
import { CREATIVE_READ_RULES, CREATIVE_WRITE_RULES } from './creative.scope.js';
import type { CreativeService, CreativeUploadResult } from './creative.service.js';
import { CreativeUse, creativeUseLoader } from './creative.usage.js';

export const CreativeConnection = ConnectionType(Creative, 'Creative');

/** All the resolver needs of the subgraph's context. */
export interface CreativeContext {
  viewer: Viewer | null;
}

// One where-used loader per request (the context object lives as long as the request).
const useLoaders = new WeakMap<CreativeContext, ReturnType<typeof creativeUseLoader>>();

const toUpload = ({ creative, upload }: CreativeUploadResult): CreativeUpload => ({
  creative,
  uploadUrl: upload.url,
  uploadMethod: upload.method,
  uploadHeaders: upload.headers,
  expiresAt: upload.expiresAt,
});

@Resolver(() => Creative)
export class CreativeResolver {
  constructor(private readonly service: CreativeService) {}

  @Authorized(...CREATIVE_READ_RULES)
  @Query(() => CreativeConnection, { description: 'Creatives of the tenant, by name' })
  creatives(@Ctx() ctx: CreativeContext, @Args(() => CreativesArgs) args: CreativesArgs) {
    return this.service.list(ctx.viewer, args);
  }

  @Authorized(...CREATIVE_READ_RULES)
  @Query(() => Creative, { nullable: true, description: 'Null when the id names none of the tenant’s creatives' })
  creative(@Ctx() ctx: CreativeContext, @Arg('id', () => ID) id: string): Promise<Creative | null> {
    return this.service.find(ctx.viewer, id);
  }

  @FieldResolver(() => [CreativeVariant], { description: 'Locale versions by locale, then orientation versions' })
  variants(@Root() creative: Creative): CreativeVariant[] {
    return Object.entries(creative.variants ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, v]) => ({
        locale: key.startsWith('@') ? null : key,
        orientation: key.startsWith('@') ? (key.slice(1) as CreativeOrientation) : null,
        width: v.width ?? null,
        height: v.height ?? null,
        url: v.url,
        mimeType: v.mimeType,
        checksum: v.checksum,
        durationMs: v.durationMs ?? creative.durationMs,
      }))
      .sort((a, b) => Number(a.locale === null) - Number(b.locale === null));
  }

  @FieldResolver(() => CreativeOrientation, { nullable: true, description: 'From width and height; null when unknown' })
  orientation(@Root() creative: Creative): CreativeOrientation | null {
    return orientationOf(creative.width, creative.height);
  }

  @FieldResolver(() => [CreativeOrientation], {
    description: 'Display orientations it suits: its own (a square one: both) and those of its orientation versions',
  })
  orientations(@Root() creative: Creative): CreativeOrientation[] {
    const own = orientationOf(creative.width, creative.height);
    const found = new Set<CreativeOrientation>();
    if (own === CreativeOrientation.SQUARE) {
      found.add(CreativeOrientation.LANDSCAPE).add(CreativeOrientation.PORTRAIT);
    } else if (own) found.add(own);
    for (const key of Object.keys(creative.variants ?? {})) {
      if (key.startsWith('@')) found.add(key.slice(1) as CreativeOrientation);
    }
    return [CreativeOrientation.LANDSCAPE, CreativeOrientation.PORTRAIT].filter((o) => found.has(o));
  }

  @FieldResolver(() => [CreativeUse], {
    description: 'Campaigns that use it (those the caller may see), by name; archived campaigns are left out',
  })
  usedBy(@Root() creative: Creative, @Ctx() ctx: CreativeContext): Promise<CreativeUse[]> {
    let loader = useLoaders.get(ctx);
    if (!loader) useLoaders.set(ctx, (loader = creativeUseLoader(this.service.dataSourceForReads, ctx.viewer)));
    return loader.load(creative.id);
  }

  @Authorized(...CREATIVE_WRITE_RULES)
  @Mutation(() => CreativeUpload, {
    description: 'Creates a PENDING_UPLOAD creative and a presigned URL for its bytes; then completeCreativeUpload',
  })
  async createCreativeUpload(
    @Ctx() ctx: CreativeContext,
    @Arg('input', () => CreateCreativeUploadInput) input: CreateCreativeUploadInput,
  ): Promise<CreativeUpload> {
    return toUpload(await this.service.createUpload(ctx.viewer, input));
  }

  @Authorized(...CREATIVE_WRITE_RULES)
  @Mutation(() => Creative, { description: 'Verifies the uploaded bytes: READY with a checksum, or FAILED' })
  completeCreativeUpload(@Ctx() ctx: CreativeContext, @Arg('id', () => ID) id: string): Promise<Creative> {
    return this.service.completeUpload(ctx.viewer, id);
  }

  @Authorized(...CREATIVE_WRITE_RULES)
  @Mutation(() => Creative, { description: 'A reference to AEM content, resolved by the content integration' })
  createAemCreative(
    @Ctx() ctx: CreativeContext,
    @Arg('input', () => CreateAemCreativeInput) input: CreateAemCreativeInput,
  ): Promise<Creative> {
    return this.service.createAem(ctx.viewer, input);
  }

  @Authorized(...CREATIVE_WRITE_RULES)
  @Mutation(() => Creative, {
    description:
      'A creative the platform draws itself, e.g. the store’s "now serving" board (QUEUE_BOARD): READY at once, no upload',
  })
  createBuiltInCreative(
    @Ctx() ctx: CreativeContext,
    @Arg('input', () => CreateBuiltInCreativeInput) input: CreateBuiltInCreativeInput,
  ): Promise<Creative> {
    return this.service.createBuiltIn(ctx.viewer, input);
  }

  @Authorized(...CREATIVE_WRITE_RULES)
  @Mutation(() => CreativeUpload, {
    description: 'Starts the upload of a locale or orientation version (same kind rules); then completeCreativeVariant',
  })
  async addCreativeVariant(
    @Ctx() ctx: CreativeContext,
    @Arg('input', () => AddCreativeVariantInput) input: AddCreativeVariantInput,
  ): Promise<CreativeUpload> {
    return toUpload(await this.service.addVariant(ctx.viewer, input));
  }

  @Authorized(...CREATIVE_WRITE_RULES)
  @Mutation(() => Creative, { description: 'Verifies a variant upload and adds it to the creative’s variants' })
  completeCreativeVariant(
    @Ctx() ctx: CreativeContext,
    @Arg('creativeId', () => ID) creativeId: string,
    @Arg('locale', () => String, { nullable: true }) locale?: string | null,
    @Arg('orientation', () => CreativeOrientation, { nullable: true }) orientation?: CreativeOrientation | null,
  ): Promise<Creative> {
    return this.service.completeVariant(ctx.viewer, creativeId, locale, orientation);
  }

  @Authorized(...CREATIVE_WRITE_RULES)
  @Mutation(() => Creative, { description: 'Removes a locale or orientation version (give one of them)' })
  removeCreativeVariant(
    @Ctx() ctx: CreativeContext,
    @Arg('creativeId', () => ID) creativeId: string,
    @Arg('locale', () => String, { nullable: true }) locale?: string | null,
    @Arg('orientation', () => CreativeOrientation, { nullable: true }) orientation?: CreativeOrientation | null,
  ): Promise<Creative> {
    return this.service.removeVariant(ctx.viewer, creativeId, locale, orientation);
  }

  @Authorized(...CREATIVE_WRITE_RULES)
  @Mutation(() => Creative, {
    description:
      'Renames, tags, sets the fit mode (screens playing it follow at once) or the pixel size; store managers change their own only',
  })
  updateCreative(
    @Ctx() ctx: CreativeContext,
    @Arg('input', () => UpdateCreativeInput) input: UpdateCreativeInput,
  ): Promise<Creative> {
    return this.service.update(ctx.viewer, input);
  }

  @Authorized(...CREATIVE_WRITE_RULES)
  @Mutation(() => Creative, { description: 'Brings an archived creative back into lists; CONFLICT when not archived' })
  restoreCreative(@Ctx() ctx: CreativeContext, @Arg('id', () => ID) id: string): Promise<Creative> {
    return this.service.restore(ctx.viewer, id);
  }

  @Authorized(...CREATIVE_WRITE_RULES)
  @Mutation(() => Creative, { description: 'Leaves lists and new campaigns; store managers archive their own only' })
  archiveCreative(@Ctx() ctx: CreativeContext, @Arg('id', () => ID) id: string): Promise<Creative> {
    return this.service.archive(ctx.viewer, id);
  }
}
