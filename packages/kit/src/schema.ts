import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, Directive, type BuildSchemaOptions } from 'type-graphql';

const FEDERATION_LINK = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag"])
`;

/** The federation tag of the partners' public contract (`pnpm compose` writes schema/public-supergraph.graphql). */
export const PUBLIC_TAG_DIRECTIVE = '@tag(name: "public")';

/**
 * Puts an object type, a field or a root operation in the partners' public contract. Arguments of a
 * public field, and the input types, enums and scalars it reaches, follow (cmd/phub/src/contract.ts).
 */
export const Public = () => Directive(PUBLIC_TAG_DIRECTIVE);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ReferenceResolvers = Record<string, { __resolveReference: (ref: any, context: any) => unknown }>;

/**
 * type-graphql schema → SDL with directives → `@apollo/subgraph` schema.
 * Reference resolvers are merged in so entities resolve through batched loaders.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({ ...options, skipCheck: true });
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, resolver] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...resolver } as GraphQLResolverMap<unknown>[string];
  }
  return buildSubgraphSchema([{ typeDefs: parse(FEDERATION_LINK + printSchemaWithDirectives(schema)), resolvers }]);
}
