import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { ContentContext } from '../../context.js';
import { SOURCE_READERS } from '../../roles.js';
import { AemSource } from '../source/source.entity.js';
import type { SourceService } from '../source/source.service.js';
import type { SearchService } from './search.service.js';
import { SearchHit, SearchKind } from './search.types.js';

@Resolver(() => SearchHit)
export class SearchResolver {
  constructor(
    private readonly service: SearchService,
    private readonly sources: SourceService,
  ) {}

  @Authorized(...SOURCE_READERS)
  @Query(() => [SearchHit], {
    description:
      'Campaigns, AEM creatives and AEM content of the tenant by text (HQ), best first. Web-search syntax: every ' +
      'word must match, "a phrase", -left out, or; whole words, any case',
  })
  search(
    @Ctx() ctx: ContentContext,
    @Arg('query', () => String) query: string,
    @Arg('kinds', () => [SearchKind], { nullable: true }) kinds?: SearchKind[] | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first = 20,
  ): Promise<SearchHit[]> {
    return this.service.search(ctx.scope, query, kinds, first);
  }

  @FieldResolver(() => AemSource, { nullable: true, description: 'The AEM source, while it exists' })
  async source(@Ctx() ctx: ContentContext, @Root() hit: SearchHit): Promise<AemSource | null> {
    if (!hit.aemSourceId) return null;
    return this.sources.find(ctx.scope.tenantId, hit.aemSourceId);
  }
}
