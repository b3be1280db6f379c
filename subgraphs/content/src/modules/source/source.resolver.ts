import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ContentContext } from '../../context.js';
import { MANAGERS, SOURCE_READERS } from '../../roles.js';
import { AemSource, AemSourceHealth } from './source.entity.js';
import { CreateContentSourceInput, UpdateContentSourceInput } from './source.input.js';
import type { SourceService } from './source.service.js';

@Resolver(() => AemSource)
export class SourceResolver {
  constructor(
    private readonly service: SourceService,
    private readonly test: (ctx: ContentContext, id: string) => Promise<AemSource>,
  ) {}

  @Authorized(...SOURCE_READERS)
  @Query(() => [AemSource], { description: 'The tenant’s AEM sources with their health (HQ)' })
  contentSources(@Ctx() ctx: ContentContext): Promise<AemSource[]> {
    return this.service.list(ctx.scope);
  }

  @Authorized(...SOURCE_READERS)
  @Query(() => AemSource)
  contentSource(@Ctx() ctx: ContentContext, @Arg('id', () => ID) id: string): Promise<AemSource> {
    ctx.scope.assertCanSeeSources();
    return this.service.get(ctx.scope, id);
  }

  @Authorized(...MANAGERS)
  @Mutation(() => AemSource, { description: 'HQ admins; the secret is sealed at rest and never returned' })
  createContentSource(
    @Ctx() ctx: ContentContext,
    @Arg('input', () => CreateContentSourceInput) input: CreateContentSourceInput,
  ): Promise<AemSource> {
    return this.service.create(ctx.scope, input);
  }

  @Authorized(...MANAGERS)
  @Mutation(() => AemSource)
  updateContentSource(
    @Ctx() ctx: ContentContext,
    @Arg('input', () => UpdateContentSourceInput) input: UpdateContentSourceInput,
  ): Promise<AemSource> {
    return this.service.update(ctx.scope, input);
  }

  @Authorized(...MANAGERS)
  @Mutation(() => Boolean)
  deleteContentSource(@Ctx() ctx: ContentContext, @Arg('id', () => ID) id: string): Promise<boolean> {
    return this.service.remove(ctx.scope, id);
  }

  @Authorized(...MANAGERS)
  @Mutation(() => AemSource, {
    description:
      'Reads the source’s /content once and returns it with the health that read recorded (never fails on AEM)',
  })
  testContentSource(@Ctx() ctx: ContentContext, @Arg('id', () => ID) id: string): Promise<AemSource> {
    return this.test(ctx, id);
  }

  @FieldResolver(() => AemSourceHealth)
  health(@Root() source: AemSource): AemSourceHealth {
    return this.service.health(source);
  }

  @FieldResolver(() => Boolean, { description: 'Whether a secret is stored (it is never returned)' })
  hasSecret(@Root() source: AemSource): boolean {
    return source.secret !== null;
  }
}
