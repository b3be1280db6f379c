import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorCallbackConfiguration } from '@escape.tech/graphql-armor-types';
import { GraphQLError } from 'graphql';
import { GatewayErrorCode } from './errors.js';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
}

/** Report a rejection as a validation error carrying our own stable code (armor's default is BAD_USER_INPUT). */
function rejectWith(code: GatewayErrorCode): GraphQLArmorCallbackConfiguration {
  return {
    propagateOnRejection: false,
    onReject: [(ctx, error) => ctx?.reportError(new GraphQLError(error.message, { extensions: { code } }))],
  };
}

/**
 * What Apollo Server needs to refuse abusive documents before any subgraph is called.
 * Tokens are limited by graphql-js's own parser option: armor's Apollo max-tokens plugin
 * throws from `parsingDidStart`, which Apollo Server turns into a 500 instead of a 400.
 */
export function queryLimits(limits: QueryLimits) {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ...rejectWith(GatewayErrorCode.QUERY_TOO_DEEP) },
    maxAliases: { n: limits.maxAliases, ...rejectWith(GatewayErrorCode.TOO_MANY_ALIASES) },
    maxDirectives: rejectWith(GatewayErrorCode.TOO_MANY_DIRECTIVES),
    maxTokens: { enabled: false },
    // Depth, aliases and tokens already bound the work; a cost model would need per-field weights to be fair.
    costLimit: { enabled: false },
    // Its mask leaves "[Suggestion hidden]?" behind; formatGatewayError drops the suggestion whole.
    blockFieldSuggestion: { enabled: false },
  });
  const { plugins, validationRules, allowBatchedHttpRequests } = armor.protect();
  return {
    // armor's typings name the CommonJS build of @apollo/server; the objects are the same at run time.
    plugins: plugins as unknown as ApolloServerPlugin<object>[],
    validationRules,
    allowBatchedHttpRequests,
    parseOptions: { maxTokens: limits.maxTokens },
  };
}
