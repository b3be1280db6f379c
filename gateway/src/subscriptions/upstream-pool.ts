import { GATEWAY_SECRET_HEADER, type Logger } from '@phub/kit/edge';
import { createClient, type Client } from 'graphql-ws';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import type { GatewayMetrics } from '../metrics.js';

export interface UpstreamPoolOptions {
  metrics: GatewayMetrics;
  logger: Logger;
  /** Reconnects in a row before the subscriptions on a connection fail. */
  retryAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Ping interval; a pong missing for as long again drops the socket (and reconnects). */
  keepAliveMs: number;
  /** Sent on every upgrade: subgraphs accept sockets only from their gateway. */
  secret?: string;
  /**
   * Sockets per subgraph shared by every client (each operation carries its client's token in
   * `extensions.authorization`); 0: one socket per (subgraph, authorization), the token in `connection_init`.
   */
  socketsPerSubgraph?: number;
}

/** graphql-ws close codes after which reconnecting with the same token cannot help. */
const REFUSED = new Set([4401, 4403]);

/**
 * One graphql-ws connection to one subgraph, shared by the upstream subscriptions placed on it (graphql-ws
 * multiplexes them): either one of a few per subgraph carrying every client's operations, each with its
 * client's token (`multiplexed`), or one per (subgraph, authorization) with the token in `connection_init`. Eager (`lazy: false`): it stays
 * connected while referenced and reconnects with backoff when the subgraph restarts or the
 * socket drops; graphql-ws then sends the active subscriptions again, so the gateway's
 * subscribers carry on without noticing beyond the events published while it was away.
 */
export class UpstreamConnection {
  readonly client: Client;
  refs = 0;
  private readonly abort = new AbortController();

  constructor(
    readonly key: string,
    readonly subgraph: string,
    url: string,
    authorization: string | undefined,
    options: UpstreamPoolOptions,
    /** Operations on it carry their own client's token (`extensions.authorization`); the socket none. */
    readonly multiplexed = false,
  ) {
    const { metrics, logger, retryBaseMs, retryMaxMs, keepAliveMs } = options;
    const { signal } = this.abort;
    let connected = false;
    let pongTimer: NodeJS.Timeout | undefined;
    const headers = options.secret ? { [GATEWAY_SECRET_HEADER]: options.secret } : {};
    this.client = createClient({
      url,
      webSocketImpl: class extends WebSocket {
        constructor(address: string | URL, protocols?: string | string[]) {
          super(address, protocols, { headers });
        }
      },
      lazy: false,
      // The subgraph authenticates the subscription with the client's token, as it does HTTP requests.
      connectionParams: authorization ? { authorization } : {},
      keepAlive: keepAliveMs,
      retryAttempts: options.retryAttempts,
      // Refused, reset and dropped sockets all deserve another try; a refused token does not.
      shouldRetry: (event) => !REFUSED.has((event as { code?: number } | undefined)?.code ?? 0),
      retryWait: async (retries) => {
        const ms = Math.min(retryMaxMs, retryBaseMs * 2 ** retries) * (1 + Math.random() / 2);
        // Cut short on close; graphql-ws then gives up since nothing holds the connection.
        await sleep(ms, undefined, { signal, ref: false }).catch(() => undefined);
      },
      onNonLazyError: (err) => {
        if (!signal.aborted)
          logger.warn({ subgraph, reason: describe(err) }, 'subgraph subscription connection gave up');
      },
      on: {
        connecting: (isRetry) => {
          if (isRetry) metrics.subscriptionUpstreamReconnects.inc({ subgraph });
        },
        connected: () => {
          connected = true;
          metrics.subscriptionUpstreamConnections.inc({ subgraph });
        },
        ping: (received) => {
          if (received) return;
          clearTimeout(pongTimer);
          // graphql-ws pings but never gives up on a missing pong; a frozen peer would hold subscribers forever.
          pongTimer = setTimeout(() => this.client.terminate(), keepAliveMs);
        },
        pong: (received) => {
          if (received) clearTimeout(pongTimer);
        },
        closed: (event) => {
          clearTimeout(pongTimer);
          if (connected) {
            connected = false;
            metrics.subscriptionUpstreamConnections.dec({ subgraph });
            if (!signal.aborted)
              logger.info({ subgraph, reason: describe(event) }, 'subgraph subscription socket closed');
          }
        },
      },
    });
  }

  close(): void {
    this.abort.abort();
    // dispose() rejects when the subgraph is unreachable at that moment; there is nothing left to close then.
    Promise.resolve(this.client.dispose()).catch(() => undefined);
  }
}

/** Upstream connections by subgraph URL and authorization, reference-counted. */
export class UpstreamPool {
  private readonly connections = new Map<string, UpstreamConnection>();

  constructor(private readonly options: UpstreamPoolOptions) {}

  acquire(subgraph: string, url: string, authorization: string | undefined): UpstreamConnection {
    const sockets = this.options.socketsPerSubgraph ?? 0;
    let connection: UpstreamConnection | undefined;
    if (sockets > 0) {
      // The least loaded of the subgraph's shared sockets, opening the next one while fewer exist.
      for (let i = 0; i < sockets; i++) {
        const candidate = this.connections.get(JSON.stringify([url, i]));
        if (!candidate) {
          const key = JSON.stringify([url, i]);
          connection = new UpstreamConnection(key, subgraph, url, undefined, this.options, true);
          this.connections.set(key, connection);
          break;
        }
        if (!connection || candidate.refs < connection.refs) connection = candidate;
      }
    } else {
      const key = JSON.stringify([url, authorization ?? '']);
      connection = this.connections.get(key);
      if (!connection) {
        connection = new UpstreamConnection(key, subgraph, url, authorization, this.options);
        this.connections.set(key, connection);
      }
    }
    connection!.refs++;
    return connection!;
  }

  release(connection: UpstreamConnection): void {
    if (--connection.refs > 0) return;
    if (this.connections.get(connection.key) === connection) this.connections.delete(connection.key);
    connection.close();
  }

  get size(): number {
    return this.connections.size;
  }

  close(): void {
    for (const connection of this.connections.values()) connection.close();
    this.connections.clear();
  }
}

/** For logs: close events carry code and reason, errors a message. */
export function describe(event: unknown): string {
  const close = event as { code?: unknown; reason?: unknown; message?: unknown } | undefined;
  if (typeof close?.code === 'number') return `${close.code} ${String(close.reason ?? '')}`.trim();
  if (typeof close?.message === 'string') return close.message;
  return String(event);
}
