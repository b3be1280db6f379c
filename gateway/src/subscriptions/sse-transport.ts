import { ErrorCode, graphqlError } from '@phub/kit/edge';
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from 'express';
import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import { createHandler, type Response as SseResponse } from 'graphql-sse';
import { refusal } from './connection-auth.js';
import { GraphQLError } from './graphql.js';
import { SubscriberQueue } from './subscriber-queue.js';
import { formatErrors } from './subscription-errors.js';
import type { SubscriptionService } from './subscription-service.js';

/** Per request: the subscriber queue, so the writer can grant it credit after each written event. */
interface StreamContext {
  queue?: SubscriberQueue;
}

const EVENT_STREAM = 'text/event-stream';

/**
 * GraphQL over Server-Sent Events (graphql-sse, "distinct connections" mode): one request per
 * operation, `POST` (JSON body) or `GET` (query string) with `Accept: text/event-stream`, the
 * token in the `Authorization` header. Events arrive as `event: next`, the end as `event: complete`.
 *
 * graphql-sse's own adapters queue whatever the operation yields without bound, so this writes
 * the stream itself and lets the subscriber's queue hand out the next event only once the
 * previous one was written: a client that stops reading leaves events in the bounded queue.
 */
export function sseHandler(service: SubscriptionService): RequestHandler {
  const { logger, metrics } = service.options;
  const handler = createHandler<ExpressRequest, StreamContext>({
    // No stream reservations ("single connection mode"): every operation is its own request.
    authenticate: () => null,
    onSubscribe: async (req, params) => {
      let identity;
      try {
        identity = await service.auth.open({ authorization: req.headers.get('authorization') ?? undefined });
      } catch (err) {
        const { code, message, status } = refusal(err);
        return json(status, graphqlError(code, message));
      }
      const raw = req.raw;
      const session = {
        requestId: raw.id,
        authorization: identity.authorization,
        // Per the gateway's own TRUST_PROXY; a client's X-Forwarded-For never travels on.
        forwardedFor: raw.ip ?? raw.socket.remoteAddress ?? '',
        partnerClientId: identity.viewer?.kind === 'partner' ? identity.viewer.subject : undefined,
      };
      const admitted = await service.admit(params, session);
      if (admitted instanceof GraphQLError) return once({ errors: formatErrors([admitted], 'validation') });
      const prepared = service.prepare(admitted, session);
      if (!prepared.ok) return once({ errors: formatErrors(prepared.errors, prepared.stage) });
      const result = await service.run(prepared.operation, prepared.variables, session, 'sse');
      if (!(result instanceof SubscriberQueue)) return once(result);
      result.useCredit();
      req.context.queue = result;
      const stopWatching = service.auth.watch(identity, (ended, message) => {
        metrics.subscriptionsEnded.inc({ reason: ended });
        result.end({
          errors: formatErrors([new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED } })]),
        });
      });
      result.onRelease(stopWatching);
      return result as AsyncGenerator<ExecutionResult>;
    },
  });

  return async (req, res) => {
    if (!accepts(req)) {
      res.status(406).json(graphqlError(ErrorCode.BAD_REQUEST, `Ask for "Accept: ${EVENT_STREAM}"`));
      return;
    }
    const context: StreamContext = {};
    let answer: SseResponse;
    try {
      answer = await handler({
        method: req.method,
        url: req.originalUrl,
        headers: {
          // graphql-sse compares the whole header; any list that includes the type counts.
          get: (key) => (key.toLowerCase() === 'accept' ? EVENT_STREAM : req.get(key)),
        },
        body: (req.body as Record<string, unknown> | undefined) ?? null,
        raw: req,
        context,
      });
    } catch (err) {
      logger.error({ err }, 'SSE request failed');
      res.status(500).json(graphqlError(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error'));
      return;
    }
    const [body, init] = answer;
    res.writeHead(init.status, init.statusText, init.headers);
    if (!body || typeof body === 'string') {
      res.end(body ?? undefined);
      return;
    }
    res.once('close', () => void body.return(undefined));
    for await (const chunk of body) {
      if (!(await write(res, chunk))) break;
      if (chunk.startsWith('event: next')) context.queue?.written();
    }
    res.end();
  };
}

/**
 * A single result as a stream of one: graphql-sse takes a plain result only when it has a
 * `data` key, and errors before execution have none.
 */
async function* once(result: FormattedExecutionResult): AsyncGenerator<ExecutionResult> {
  yield result as ExecutionResult;
}

function accepts(req: ExpressRequest): boolean {
  return (req.get('accept') ?? '').split(',').some((type) => type.split(';')[0]?.trim() === EVENT_STREAM);
}

function json(status: number, body: unknown): SseResponse {
  const statusText = status === 401 ? 'Unauthorized' : status === 503 ? 'Service Unavailable' : 'Bad Request';
  return [JSON.stringify(body), { status, statusText, headers: { 'content-type': 'application/json; charset=utf-8' } }];
}

/** Resolves once the chunk is handed to the socket; false when the client is gone. */
function write(res: ExpressResponse, chunk: string): Promise<boolean> {
  if (!res.writable) return Promise.resolve(false);
  return new Promise((resolve) => res.write(chunk, (err) => resolve(!err)));
}
