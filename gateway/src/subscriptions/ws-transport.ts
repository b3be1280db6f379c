import { ErrorCode } from '@phub/kit/edge';
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { PreparedOperation } from './graph-planner.js';
import { SubscriberQueue } from './subscriber-queue.js';
import { GraphQLError } from './graphql.js';
import type { ClientSession } from './subscription-hub.js';
import { refusal } from './connection-auth.js';
import { CloseCode, formatErrors, tooManySubscriptions, type ErrorStage } from './subscription-errors.js';
import type { SubscriptionService } from './subscription-service.js';

export interface WsServer {
  close(): Promise<void>;
}

interface ConnectionState {
  session: ClientSession;
  stopWatching: () => void;
}

/** What `onSubscribe` hands to `subscribe` / `execute` through graphql-ws. */
interface Run {
  operation: PreparedOperation;
  variables: Record<string, unknown>;
  session: ClientSession;
  socket: WebSocket;
}

/** Close reasons are limited to 123 bytes by the WebSocket protocol. */
const reason = (text: string) => (Buffer.byteLength(text) <= 123 ? text : `${text.slice(0, 110)}…`);

/**
 * graphql-ws (`graphql-transport-ws`) on the gateway's own HTTP server and path. The token
 * comes with `connection_init`; every operation then runs through the subscription service.
 */
export function serveGraphqlWs(service: SubscriptionService, where: { server: Server; path: string }): WsServer {
  const { config, logger, metrics } = service.options;
  const wss = new WebSocketServer({ ...where, maxPayload: config.MAX_BODY_BYTES });
  // graphql-ws passes the same array to onError that onSubscribe returned; this says how to format it.
  const stages = new WeakMap<readonly GraphQLError[], ErrorStage>();
  const states = new WeakMap<WebSocket, ConnectionState>();

  const cleanup = useServer(
    {
      isProd: config.NODE_ENV === 'production',
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        try {
          const identity = await service.auth.open({
            authorization: request.headers.authorization,
            connectionParams: ctx.connectionParams,
          });
          // Gone while its token was being checked: onClose has run already, nothing to watch.
          if (socket.readyState !== socket.OPEN) return false;
          const stopWatching = service.auth.watch(identity, (ended, message) => {
            metrics.subscriptionsEnded.inc({ reason: ended });
            socket.close(CloseCode.UNAUTHORIZED, reason(message));
          });
          const session = sessionOf(request, identity.authorization, service.options.clientAddress(request));
          if (identity.viewer?.kind === 'partner') session.partnerClientId = identity.viewer.subject;
          states.set(socket, { session, stopWatching });
          return true;
        } catch (err) {
          const { code, message } = refusal(err);
          // Closing first: the 4403 graphql-ws sends for `false` then finds the socket closing.
          socket.close(
            code === ErrorCode.UNAVAILABLE ? CloseCode.TRY_AGAIN_LATER : CloseCode.UNAUTHORIZED,
            reason(message),
          );
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        const state = states.get(ctx.extra.socket);
        // Unreachable: graphql-ws refuses `subscribe` before the connection was acknowledged.
        if (!state) return [new GraphQLError('Unauthorized', { extensions: { code: ErrorCode.UNAUTHENTICATED } })];
        // The subscription being asked for is already counted.
        if (Object.keys(ctx.subscriptions).length > config.SUBSCRIPTION_MAX_PER_CONNECTION) {
          return [tooManySubscriptions(config.SUBSCRIPTION_MAX_PER_CONNECTION)];
        }
        const admitted = await service.admit(payload, state.session);
        if (admitted instanceof GraphQLError) return [admitted];
        const prepared = service.prepare(admitted, state.session);
        if (!prepared.ok) {
          stages.set(prepared.errors, prepared.stage);
          return prepared.errors;
        }
        const { operation, variables } = prepared;
        const run: Run = { operation, variables, session: state.session, socket: ctx.extra.socket };
        return {
          schema: operation.graph.apiSchema,
          document: operation.document,
          operationName: operation.operationName,
          variableValues: variables,
          contextValue: run,
        } satisfies ExecutionArgs;
      },
      subscribe: async (args) => {
        const result = await start(service, args);
        const { socket } = args.contextValue as Run;
        if (result instanceof SubscriberQueue) result.guard(() => congested(socket));
        return result as AsyncGenerator<ExecutionResult>;
      },
      execute: async (args) => (await start(service, args)) as ExecutionResult,
      // Results are formatted already (same codes and masking as HTTP); graphql-ws would call toJSON on them.
      onNext: (_ctx, _id, _payload, _args, result) => result,
      onError: (_ctx, _id, _payload, errors) => formatErrors(errors, stages.get(errors) ?? 'execution'),
      onClose: (ctx) => {
        states.get(ctx.extra.socket)?.stopWatching();
      },
    },
    wss,
  );
  wss.on('error', (err) => logger.error({ err }, 'WebSocket server error'));

  /**
   * graphql-ws sends one result per subscription at a time and waits for the socket to take it,
   * so a client that stops reading leaves its events in the bounded queues; this bounds the bytes
   * stuck in the socket itself (large events, many subscriptions on one connection).
   */
  const congested = (socket: WebSocket): boolean => {
    if (socket.readyState !== socket.OPEN) return true;
    if (socket.bufferedAmount <= config.SUBSCRIPTION_MAX_BUFFERED_BYTES) return false;
    metrics.subscriptionsEnded.inc({ reason: 'slow_socket' });
    const limit = config.SUBSCRIPTION_MAX_BUFFERED_BYTES;
    socket.close(CloseCode.POLICY_VIOLATION, reason(`The client stopped reading: more than ${limit} bytes unsent`));
    return true;
  };

  return {
    close: async () => {
      // Clients that stopped reading never finish the closing handshake; do not wait for them.
      const forced = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
      }, config.SHUTDOWN_TIMEOUT_MS).unref();
      try {
        await cleanup.dispose();
      } finally {
        clearTimeout(forced);
      }
    },
  };
}

/** Formatted results: the types say GraphQLError, graphql-ws only forwards them (see onNext). */
function start(service: SubscriptionService, args: ExecutionArgs) {
  const { operation, variables, session } = args.contextValue as Run;
  return service.run(operation, variables, session, 'ws');
}

function sessionOf(request: IncomingMessage, authorization: string | undefined, client: string): ClientSession {
  const incoming = request.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
  // The address the gateway worked out itself; a client's X-Forwarded-For never travels on.
  return { requestId, authorization, forwardedFor: client };
}
