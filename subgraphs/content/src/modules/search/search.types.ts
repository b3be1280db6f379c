import { Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { AemSource } from '../source/source.entity.js';

export enum SearchKind {
  CAMPAIGN = 'CAMPAIGN',
  CREATIVE = 'CREATIVE',
  AEM_CONTENT = 'AEM_CONTENT',
}
registerEnumType(SearchKind, {
  name: 'SearchKind',
  valuesConfig: {
    CAMPAIGN: { description: 'A campaign, by its name' },
    CREATIVE: { description: 'A creative made from AEM content, by that content’s words and path' },
    AEM_CONTENT: { description: 'A folder, asset or content fragment of an AEM source, as HQ has browsed it' },
  },
});

// Entities other subgraphs own: only the key lives here; the gateway fetches the rest from their owner.
@ObjectType('Campaign', { description: 'A campaign (owned by campaign)' })
@Directive('@key(fields: "id", resolvable: false)')
export class CampaignReference {
  @Field(() => ID)
  id: string;
}

@ObjectType('Creative', { description: 'A creative (owned by campaign)' })
@Directive('@key(fields: "id", resolvable: false)')
export class CreativeReference {
  @Field(() => ID)
  id: string;
}

@ObjectType({ description: 'One thing that matched a search, best first' })
export class SearchHit {
  @Field(() => SearchKind)
  kind: SearchKind;

  @Field(() => ID, { description: 'The campaign’s or creative’s id; for AEM content `<sourceId>:<path>`' })
  id: string;

  @Field(() => String)
  title: string;

  @Field(() => String, { nullable: true, description: 'The words around the match, matches in «»' })
  snippet: string | null;

  @Field(() => Float)
  score: number;

  @Field(() => ID, { nullable: true, description: 'AEM content and AEM creatives: the source it comes from' })
  aemSourceId: string | null;

  @Field(() => String, { nullable: true })
  aemPath: string | null;

  @Field(() => CampaignReference, { nullable: true, description: 'Set for CAMPAIGN hits' })
  campaign: CampaignReference | null;

  @Field(() => CreativeReference, { nullable: true, description: 'Set for CREATIVE hits' })
  creative: CreativeReference | null;

  /** Resolved by the resolver from aemSourceId. */
  source?: AemSource | null;
}
