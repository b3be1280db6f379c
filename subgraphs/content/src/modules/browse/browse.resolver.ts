import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { ContentContext } from '../../context.js';
import { BROWSERS } from '../../roles.js';
import type { BrowseService } from './browse.service.js';
import { AemBrowseResult, AemFragmentPage } from './browse.types.js';

@Resolver()
export class BrowseResolver {
  constructor(private readonly service: BrowseService) {}

  @Authorized(...BROWSERS)
  @Query(() => AemBrowseResult, {
    description:
      'One level of an AEM source’s tree (HQ admins and editors); AEM failures are UNAVAILABLE with a reason',
  })
  aemBrowse(
    @Ctx() ctx: ContentContext,
    @Arg('sourceId', () => ID) sourceId: string,
    @Arg('path', () => String, { nullable: true, defaultValue: '/content' }) path: string,
  ): Promise<AemBrowseResult> {
    return this.service.browse(ctx.scope, sourceId, path);
  }

  @Authorized(...BROWSERS)
  @Query(() => AemFragmentPage, { description: 'Content fragments under a folder, a page at a time' })
  aemFragments(
    @Ctx() ctx: ContentContext,
    @Arg('sourceId', () => ID) sourceId: string,
    @Arg('path', () => String, { nullable: true }) path?: string | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<AemFragmentPage> {
    return this.service.fragments(ctx.scope, sourceId, path ?? undefined, first ?? undefined, after ?? undefined);
  }
}
