import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { WebSocket } from 'ws';

/** A graphql-ws client subscription, recording everything it hears. */
export interface WsSubscription {
  client: Client;
  /** `next` payloads, in order. */
  events: FormattedExecutionResult[];
  /** What the sink's `error` got: GraphQL errors of an `error` message, or the close event. */
  errors: unknown[];
  completed: boolean;
  /** How the server closed the socket, if it did. */
  closed?: { code: number; reason: string };
  /** The client's socket once connected (a `ws` WebSocket), e.g. to stop reading from it. */
  socket?: WebSocket;
  /** Completes the subscription and closes the client. */
  dispose(): Promise<void>;
}

export interface WsSubscribeOptions {
  /** `connection_init` payload, e.g. `{ authorization: 'Bearer …' }`. */
  connectionParams?: Record<string, unknown>;
  variables?: Record<string, unknown>;
  /** Another subscription on the same connection. */
  client?: WsClient;
}

export const wsUrl = (gatewayUrl: string) => gatewayUrl.replace(/^http/, 'ws');

/** A client that never reconnects on its own, so tests see every close the server decides on. */
export function wsClient(gatewayUrl: string, connectionParams?: Record<string, unknown>): WsClient {
  const state: WsState = {};
  const client = createClient({
    url: wsUrl(gatewayUrl),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams,
    on: {
      connected: (socket) => void (state.socket = socket as WebSocket),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        state.closed = { code, reason: String(reason) };
      },
    },
  });
  return Object.assign(client, { state });
}

interface WsState {
  socket?: WebSocket;
  closed?: { code: number; reason: string };
}

export type WsClient = Client & { state: WsState };

export function subscribeWs(gatewayUrl: string, query: string, options: WsSubscribeOptions = {}): WsSubscription {
  const client = options.client ?? wsClient(gatewayUrl, options.connectionParams);
  const subscription: WsSubscription = {
    client,
    events: [],
    errors: [],
    completed: false,
    get closed() {
      return client.state.closed;
    },
    get socket() {
      return client.state.socket;
    },
    dispose: async () => {
      stop();
      await client.dispose();
    },
  };
  const stop = client.subscribe(
    { query, variables: options.variables },
    {
      next: (result) => void subscription.events.push(result as FormattedExecutionResult),
      error: (err) => void subscription.errors.push(err),
      complete: () => void (subscription.completed = true),
    },
  );
  return subscription;
}

/** A Server-Sent Events subscription (distinct connections mode), recording its events. */
export interface SseSubscription {
  status: number;
  contentType: string | null;
  /** The parsed `event: next` payloads. */
  events: FormattedExecutionResult[];
  /** Event names in order (`next`, `complete`). */
  kinds: string[];
  /** The body when the server answered with something other than a stream. */
  body?: unknown;
  /** Resolves when the server ends the stream (and it was read to the end). */
  ended: Promise<void>;
  /** Starts reading a stream opened with `paused`. */
  resume(): void;
  abort(): void;
}

export async function subscribeSse(
  gatewayUrl: string,
  query: string,
  options: {
    headers?: Record<string, string>;
    variables?: Record<string, unknown>;
    /** Do not read the stream until `resume()`: a client that stopped reading. */
    paused?: boolean;
  } = {},
): Promise<SseSubscription> {
  const controller = new AbortController();
  const res = await fetch(gatewayUrl.replace(/\/graphql$/, '/graphql/stream'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...options.headers },
    body: JSON.stringify({ query, variables: options.variables }),
    signal: controller.signal,
  });
  const contentType = res.headers.get('content-type');
  const subscription: SseSubscription = {
    status: res.status,
    contentType,
    events: [],
    kinds: [],
    ended: Promise.resolve(),
    resume: () => undefined,
    abort: () => controller.abort(),
  };
  if (!contentType?.startsWith('text/event-stream') || !res.body) {
    subscription.body = await res.json();
    return subscription;
  }
  // Locked at once: undici cancels the body of a Response that is garbage-collected unread,
  // which a paused subscription's would be.
  const reader = res.body.getReader();
  let resume!: () => void;
  const resumed = new Promise<void>((resolve) => (resume = resolve));
  subscription.resume = resume;
  if (!options.paused) resume();
  subscription.ended = (async () => {
    await resumed;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        buffer += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(message)?.[1];
          const data = /^data: (.*)$/m.exec(message)?.[1];
          if (!event) continue; // keep-alive comment
          subscription.kinds.push(event);
          if (event === 'next' && data) subscription.events.push(JSON.parse(data) as FormattedExecutionResult);
        }
      }
    } catch (err) {
      if ((err as Error).name !== 'AbortError') throw err;
    }
  })();
  return subscription;
}
