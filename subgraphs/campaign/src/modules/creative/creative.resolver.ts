import type { Viewer } from '@phub/kit';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType } from '@phub/kit';
import { Creative, CreativeUpload, CreativeVariant } from './creative.entity.js';
import {
  AddCreativeVariantInput,
  CreateAemCreativeInput,
  CreateBuiltInCreativeInput,
  CreateCreativeUploadInput,
  CreativesArgs,
} from './creative.input.js';
import { CREATIVE_READ_RULES, CREATIVE_WRITE_RULES } from './creative.scope.js';
import type { CreativeService, CreativeUploadResult } from './creative.service.js';

export const CreativeConnection = ConnectionType(Creative, 'Creative');

/** All the resolver needs of the subgraph's context. */
export interface CreativeContext {
  viewer: Viewer | null;
}

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

  @FieldResolver(() => [CreativeVariant], { description: 'Locale variants, by locale' })
  variants(@Root() creative: Creative): CreativeVariant[] {
    return Object.entries(creative.variants ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([locale, v]) => ({
        locale,
        url: v.url,
        mimeType: v.mimeType,
        checksum: v.checksum,
        durationMs: v.durationMs ?? creative.durationMs,
      }));
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
    description: 'Starts the upload of a locale variant (same kind rules); then completeCreativeVariant',
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
    @Arg('locale', () => String) locale: string,
  ): Promise<Creative> {
    return this.service.completeVariant(ctx.viewer, creativeId, locale);
  }

  @Authorized(...CREATIVE_WRITE_RULES)
  @Mutation(() => Creative)
  removeCreativeVariant(
    @Ctx() ctx: CreativeContext,
    @Arg('creativeId', () => ID) creativeId: string,
    @Arg('locale', () => String) locale: string,
  ): Promise<Creative> {
    return this.service.removeVariant(ctx.viewer, creativeId, locale);
  }

  @Authorized(...CREATIVE_WRITE_RULES)
  @Mutation(() => Creative, { description: 'Leaves lists and new campaigns; store managers archive their own only' })
  archiveCreative(@Ctx() ctx: CreativeContext, @Arg('id', () => ID) id: string): Promise<Creative> {
    return this.service.archive(ctx.viewer, id);
  }
}
