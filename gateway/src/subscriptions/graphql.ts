import type * as GraphQL from 'graphql';
import { createRequire } from 'node:module';

/**
 * The graphql-js copy that @apollo/gateway, graphql-ws and graphql-sse use: its CommonJS build.
 * Node gives ESM importers that same build (graphql has no `exports` map), but bundling resolvers
 * such as Vite's (the tests) give them the ESM build, a second copy whose `instanceof` checks
 * reject the gateway's schemas and whose errors graphql-ws does not recognise. Schemas, rules and
 * errors must come from one copy, so subscription code takes every graphql value from here.
 */
const graphql = createRequire(import.meta.url)('graphql') as typeof GraphQL;

export const { GraphQLError, getOperationAST, getVariableValues, parse, print, specifiedRules, validate } = graphql;
export type GraphQLError = GraphQL.GraphQLError;
