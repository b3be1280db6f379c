import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum AemNodeKind {
  FOLDER = 'FOLDER',
  PAGE = 'PAGE',
  ASSET = 'ASSET',
  OTHER = 'OTHER',
}
registerEnumType(AemNodeKind, { name: 'AemNodeKind' });

@ObjectType({ description: 'A node of the AEM tree: a folder, a page or an asset' })
export class AemNode {
  @Field(() => String)
  name: string;

  @Field(() => String)
  path: string;

  @Field(() => String, { nullable: true })
  title: string | null;

  @Field(() => AemNodeKind)
  kind: AemNodeKind;

  @Field(() => String, { nullable: true, description: 'jcr:primaryType, e.g. cq:Page, dam:Asset, sling:Folder' })
  primaryType: string | null;

  @Field(() => String, { nullable: true, description: 'Assets: the original’s type (dc:format)' })
  mimeType: string | null;
}

@ObjectType({ description: 'One level of the AEM tree' })
export class AemBrowseResult {
  @Field(() => ID)
  sourceId: string;

  @Field(() => String)
  path: string;

  @Field(() => String, { nullable: true })
  parentPath: string | null;

  @Field(() => [AemNode])
  nodes: AemNode[];
}

@ObjectType({ description: 'A content fragment, as AEM’s delivery API gives it' })
export class AemFragment {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  path: string;

  @Field(() => String, { nullable: true })
  title: string | null;

  @Field(() => String, { nullable: true })
  modelId: string | null;

  @Field(() => String, { nullable: true, description: 'When AEM last changed it (ISO 8601)' })
  modified: string | null;

  @Field(() => GraphQLJSONObject, { description: 'The fragment’s fields by name (headline, body, image, price…)' })
  fields: Record<string, unknown>;
}

@ObjectType()
export class AemFragmentPage {
  @Field(() => [AemFragment])
  items: AemFragment[];

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page; null on the last' })
  cursor: string | null;
}
