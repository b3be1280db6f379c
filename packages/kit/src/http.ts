import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { busMetrics } from './bus/dead-letter.js';
import { ErrorCode } from './errors.js';
import {
  clientAddress,
  GATEWAY_SECRET_HEADER,
  gatewayForwardedAddress,
  gatewaySecretMatches,
} from './gateway-trust.js';
import type { Logger } from './logger.js';
import { runWithRequestId } from './request-context.js';
import { outboundMetrics, type ServiceMetrics } from './metrics.js';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<unknown>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      id: string;
      log: Logger;
      /** Carries the gateway secret (always true where no secret is configured). */
      fromGateway: boolean;
    }
  }
}

export interface HttpAppOptions {
  logger: Logger;
  metrics: ServiceMetrics;
  readiness?: ReadinessCheck[];
  /**
   * Express `trust proxy` value (false, a hop count, or addresses / subnets); default TRUST_PROXY,
   * else loopback and private networks. Ignored when `gatewaySecret` is set.
   */
  trustProxy?: string | number | boolean;
  /**
   * A subgraph's shared secret with its gateway: `X-Forwarded-For` is believed only on requests
   * that carry it (the gateway sets the client address it saw), and `requireGateway()` can refuse the rest.
   */
  gatewaySecret?: string;
  /** Largest accepted JSON body; GraphQL documents beyond it are refused before parsing. */
  bodyLimit?: string;
  /**
   * `/metrics` and the detailed `/readyz` on their own server (`listenInternal`), out of reach of
   * the public port; the public `/readyz` then answers its status only.
   */
  internalOps?: boolean;
}

/**
 * The HTTP shell every service shares: request ids, JSON logs, HTTP metrics,
 * `/healthz`, `/readyz`, `/metrics`, JSON body parsing with clear errors.
 */
export class HttpApp {
  readonly app: Express;
  readonly server: Server;
  /** Where `/metrics` and the detailed `/readyz` live: `app` itself unless `internalOps`. */
  readonly internalApp: Express;
  readonly internalServer?: Server;
  private draining = false;

  constructor(private readonly options: HttpAppOptions) {
    const app = express();
    app.disable('x-powered-by');
    const secret = options.gatewaySecret;
    // Only proxies we run may tell us the client address: with a gateway secret, only requests that carry it.
    app.set(
      'trust proxy',
      secret !== undefined
        ? false
        : (options.trustProxy ?? process.env.TRUST_PROXY ?? 'loopback, linklocal, uniquelocal'),
    );
    app.use((req, res, next) => {
      req.fromGateway = this.isFromGateway(req);
      if (secret !== undefined) {
        const ip =
          (req.fromGateway && gatewayForwardedAddress(req.headers['x-forwarded-for'])) || req.socket.remoteAddress;
        Object.defineProperty(req, 'ip', { value: ip, configurable: true, enumerable: true });
      }
      const incoming = req.header('x-request-id');
      req.id = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
      req.log = options.logger.child({ requestId: req.id });
      res.setHeader('x-request-id', req.id);
      const started = process.hrtime.bigint();
      // Read now: a mounted router (app.use('/graphql', …)) strips its prefix from req.url while it runs.
      const path = req.path;
      res.on('finish', () => {
        // Routes, not raw paths, keep the label set bounded.
        const route = routeLabel(path, res.statusCode);
        const labels = { method: req.method, route, status: String(res.statusCode) };
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        options.metrics.httpRequests.inc(labels);
        options.metrics.httpDuration.observe(labels, seconds);
        if (route !== '/healthz' && route !== '/metrics' && route !== '/readyz') {
          req.log.debug({ method: req.method, path, status: res.statusCode, ms: seconds * 1000 }, 'request');
        }
      });
      // Everything this request does, down to the events it publishes, runs under its id.
      runWithRequestId(req.id, next);
    });
    app.get('/healthz', (_req, res) => {
      res.json({ status: 'ok' });
    });
    const internal = options.internalOps ? express() : app;
    internal.disable('x-powered-by');
    if (internal !== app) {
      // Public readiness for load balancers: the status, not which dependency failed and why.
      app.get('/readyz', async (_req, res) => {
        const { ok, status } = await this.readiness();
        res.status(ok ? 200 : 503).json({ status });
      });
    }
    internal.get('/readyz', async (_req, res) => {
      const { ok, status, checks } = await this.readiness();
      res.status(ok ? 200 : 503).json(checks ? { status, checks } : { status });
    });
    // The service's own metrics and the process-wide ones no service owns (bus dead letters, outbound deliveries).
    // Read each at each scrape: a merged registry would miss metrics registered after it was made.
    internal.get('/metrics', async (_req, res) => {
      res.setHeader('content-type', options.metrics.registry.contentType);
      const parts = [options.metrics.registry, busMetrics.registry, outboundMetrics.registry];
      res.send((await Promise.all(parts.map((r) => r.metrics()))).join('\n'));
    });
    this.app = app;
    this.internalApp = internal;
    this.server = createServer(app);
    this.server.keepAliveTimeout = 65_000; // longer than load balancers' idle timeout
    if (internal !== app) this.internalServer = createServer(internal);
  }

  private async readiness(): Promise<{ ok: boolean; status: string; checks?: unknown[] }> {
    if (this.draining) return { ok: false, status: 'draining' };
    const results = await Promise.all(
      (this.options.readiness ?? []).map(async (r) => {
        try {
          await withTimeout(r.check(), 2_000);
          return { name: r.name, ok: true };
        } catch (err) {
          return { name: r.name, ok: false, error: err instanceof Error ? err.message : String(err) };
        }
      }),
    );
    const ok = results.every((r) => r.ok);
    return { ok, status: ok ? 'ready' : 'not ready', checks: results };
  }

  /** True when no gateway secret is configured, or the request (HTTP or WebSocket upgrade) carries it. */
  isFromGateway(request: IncomingMessage): boolean {
    const secret = this.options.gatewaySecret;
    return secret === undefined || gatewaySecretMatches(secret, request.headers[GATEWAY_SECRET_HEADER]);
  }

  /** The client address of a request express does not see (WebSocket upgrades), as `req.ip` would be. */
  clientAddressOf(request: IncomingMessage): string {
    if (this.options.gatewaySecret !== undefined) {
      const forwarded = this.isFromGateway(request) && gatewayForwardedAddress(request.headers['x-forwarded-for']);
      return forwarded || (request.socket.remoteAddress ?? '');
    }
    const trust = this.app.get('trust proxy fn') as (address: string, hop: number) => boolean;
    return clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for'], trust);
  }

  /** Refuses (403) requests that do not come from the gateway; mount before GraphQL. */
  requireGateway(): RequestHandler {
    return (req, res, next) => {
      if (req.fromGateway) return next();
      res.status(403).json(graphqlError(ErrorCode.FORBIDDEN, 'This service accepts requests only from the gateway'));
    };
  }

  /** Parses JSON bodies; mount before GraphQL. */
  jsonBody(): RequestHandler {
    return express.json({ limit: this.options.bodyLimit ?? '256kb' });
  }

  /** Turns body-parser and unexpected errors into GraphQL-shaped errors with stable codes. */
  errorHandler() {
    return (err: unknown, req: Request, res: Response, next: NextFunction) => {
      if (res.headersSent) return next(err);
      const e = err as { type?: string; status?: number; message?: string };
      if (e.type === 'entity.too.large') {
        res.status(413).json(graphqlError(ErrorCode.PAYLOAD_TOO_LARGE, 'Request body is too large'));
      } else if (e.type === 'entity.parse.failed') {
        res.status(400).json(graphqlError(ErrorCode.BAD_REQUEST, 'Request body is not valid JSON'));
      } else if (e.status && e.status >= 400 && e.status < 500) {
        res.status(e.status).json(graphqlError(ErrorCode.BAD_REQUEST, e.message ?? 'Bad request'));
      } else {
        req.log.error({ err }, 'unhandled error');
        res.status(500).json(graphqlError(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error'));
      }
    };
  }

  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    return listenOn(this.server, port, host);
  }

  /** Starts the internal server (`internalOps`) for `/metrics` and the detailed `/readyz`. */
  async listenInternal(port: number, host = '0.0.0.0'): Promise<number> {
    if (!this.internalServer) throw new Error('internalOps is off: /metrics is served on the public port');
    return listenOn(this.internalServer, port, host);
  }

  async closeInternal(): Promise<void> {
    const server = this.internalServer;
    if (!server?.listening) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** From now on `/readyz` answers 503 so load balancers stop sending new work. */
  startDraining(): void {
    this.draining = true;
  }
}

export function graphqlError(code: string, message: string) {
  return { errors: [{ message, extensions: { code } }] };
}

function routeLabel(path: string, status: number): string {
  const known = ['/graphql', '/healthz', '/readyz', '/metrics'];
  if (known.includes(path)) return path;
  // Paths nobody serves are made up by clients (scanners, typos); one bucket keeps the label set bounded.
  if (status === 404) return 'other';
  const first = path.split('/')[1];
  return first && /^[a-z][a-z0-9-]{0,30}$/.test(first) ? `/${first}` : 'other';
}

async function listenOn(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
