import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ErrorCode } from './errors.js';
import type { Logger } from './logger.js';
import type { ServiceMetrics } from './metrics.js';

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
    }
  }
}

export interface HttpAppOptions {
  logger: Logger;
  metrics: ServiceMetrics;
  readiness?: ReadinessCheck[];
  /** Express `trust proxy` value; default TRUST_PROXY, else loopback and private networks. */
  trustProxy?: string;
  /** Largest accepted JSON body; GraphQL documents beyond it are refused before parsing. */
  bodyLimit?: string;
}

/**
 * The HTTP shell every service shares: request ids, JSON logs, HTTP metrics,
 * `/healthz`, `/readyz`, `/metrics`, JSON body parsing with clear errors.
 */
export class HttpApp {
  readonly app: Express;
  readonly server: Server;
  private draining = false;

  constructor(private readonly options: HttpAppOptions) {
    const app = express();
    app.disable('x-powered-by');
    // Only proxies we run (the gateway, the load balancer) may tell us the client address.
    app.set('trust proxy', options.trustProxy ?? process.env.TRUST_PROXY ?? 'loopback, linklocal, uniquelocal');
    app.use((req, res, next) => {
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
      next();
    });
    app.get('/healthz', (_req, res) => {
      res.json({ status: 'ok' });
    });
    app.get('/readyz', async (_req, res) => {
      if (this.draining) {
        res.status(503).json({ status: 'draining' });
        return;
      }
      const results = await Promise.all(
        (options.readiness ?? []).map(async (r) => {
          try {
            await withTimeout(r.check(), 2_000);
            return { name: r.name, ok: true };
          } catch (err) {
            return { name: r.name, ok: false, error: err instanceof Error ? err.message : String(err) };
          }
        }),
      );
      const ok = results.every((r) => r.ok);
      res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks: results });
    });
    app.get('/metrics', async (_req, res) => {
      res.setHeader('content-type', options.metrics.registry.contentType);
      res.send(await options.metrics.registry.metrics());
    });
    this.app = app;
    this.server = createServer(app);
    this.server.keepAliveTimeout = 65_000; // longer than load balancers' idle timeout
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
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
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
