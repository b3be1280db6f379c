import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '@phub/kit/edge';
import { GraphQLError } from './graphql.js';

/**
 * @apollo/gateway cannot execute a subscription sent as a plain HTTP request (it fails with an
 * internal error); this says where subscriptions are served instead, as a 400.
 */
export function subscriptionsOverHttpGuard(): ApolloServerPlugin<object> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError(
            'Subscriptions are served over graphql-ws on /graphql and Server-Sent Events on /graphql/stream',
            { extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } } },
          );
        },
      };
    },
  };
}
