import type { ApolloServerPlugin } from '@apollo/server';
import { apolloQueryLimits, type QueryLimits } from '@phub/kit/edge';

export type { QueryLimits };

/**
 * What Apollo Server needs to refuse abusive documents before any subgraph is called: the kit's
 * limits, the very ones every subgraph applies again (depth, aliases, directives, tokens, cost).
 */
export function queryLimits(limits: QueryLimits) {
  const { plugins, ...rest } = apolloQueryLimits(limits);
  return { ...rest, plugins: plugins as ApolloServerPlugin<object>[], limits };
}
