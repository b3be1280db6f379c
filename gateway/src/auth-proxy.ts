import { ErrorCode, GATEWAY_SECRET_HEADER, graphqlError, type Logger } from '@phub/kit/edge';
import express, { type Express, type Request, type Response } from 'express';
import { fetch, type Agent } from 'undici';

/** The token endpoint (RFC 6749 §4.4) and the JWKS, as the auth subgraph serves them. */
export const TOKEN_PATH = '/oauth/token';
export const JWKS_PATH = '/.well-known/jwks.json';

/** Request headers a token or JWKS request needs upstream; nothing else of the client's travels. */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'authorization', 'accept', 'user-agent'];
/** Response headers RFC 6749 (§5.1, §5.2) and caching depend on. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'cache-control', 'pragma', 'www-authenticate', 'retry-after'];

/** The web apps' browser sessions (`/auth/session/<app>[/refresh|/logout]`), whose refresh token is a cookie. */
export const SESSION_PATH = '/auth/session';
/** A session request needs its cookie; its answer sets or clears it. */
const SESSION_REQUEST_HEADERS = ['content-type', 'accept', 'user-agent', 'cookie'];

/** Mist's webhooks for proximity (`/webhooks/mist/<tenant id>`): unauthenticated, signed with the tenant's secret. */
export const MIST_WEBHOOK_PREFIX = '/webhooks/mist';
/** Request headers Mist's webhooks need upstream: the body's type and its signatures. */
const MIST_REQUEST_HEADERS = ['content-type', 'user-agent', 'x-mist-signature-v2', 'x-mist-signature'];

export interface AuthProxyOptions {
  /** The auth subgraph's base URL (no `/graphql`), or undefined while no supergraph names one. */
  authBase: () => string | undefined;
  agent: Agent;
  timeoutMs: number;
  secret?: string;
  logger: Logger;
}

/**
 * Partners reach the platform through one host, the gateway's: it passes `POST /oauth/token` and
 * `GET /.well-known/jwks.json` on to the auth subgraph (which stays unreachable from outside), with the
 * gateway secret and the client address it saw, so auth's per-address limits see the partner, not us.
 */
export function mountAuthProxy(app: Express, options: AuthProxyOptions): void {
  // Raw bytes: auth parses form or JSON itself, and must see exactly what the client sent.
  const body = express.raw({ type: () => true, limit: '16kb' });
  const upstream = { base: options.authBase, headers: FORWARDED_REQUEST_HEADERS };
  app.post(TOKEN_PATH, body, (req, res) => forward(req, res, TOKEN_PATH, options, upstream));
  app.get(JWKS_PATH, (req, res) => forward(req, res, JWKS_PATH, options, upstream));
  // Only these three shapes pass: the auth subgraph's other routes stay unreachable from outside.
  const session = { ...upstream, headers: SESSION_REQUEST_HEADERS, setsCookies: true };
  const sessionBody = express.raw({ type: () => true, limit: '8kb' });
  app.post(`${SESSION_PATH}/:app`, sessionBody, (req, res) =>
    forward(req, res, `${SESSION_PATH}/${encodeURIComponent(String(req.params.app))}`, options, session),
  );
  app.post(`${SESSION_PATH}/:app/:action`, sessionBody, (req, res) => {
    const action = String(req.params.action);
    if (action !== 'refresh' && action !== 'logout') {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such session action' } });
      return;
    }
    forward(req, res, `${SESSION_PATH}/${encodeURIComponent(String(req.params.app))}/${action}`, options, session);
  });
  app.use(TOKEN_PATH, (err: { type?: string }, _req: Request, res: Response, next: (e: unknown) => void) => {
    if (res.headersSent) return next(err);
    const tooLarge = err.type === 'entity.too.large';
    oauthError(res, tooLarge ? 413 : 400, 'invalid_request', tooLarge ? 'Request body is too large' : 'Bad request');
  });
}

/**
 * Mist posts its webhooks to the graph's host too: `POST /webhooks/mist/<tenant id>` goes, bytes unchanged (the
 * signature is over them), to the proximity subgraph, which verifies and answers; nothing else passes.
 */
export function mountMistProxy(
  app: Express,
  options: Omit<AuthProxyOptions, 'authBase'> & { proximityBase: () => string | undefined },
): void {
  const body = express.raw({ type: () => true, limit: '1mb' });
  const upstream = { base: options.proximityBase, headers: MIST_REQUEST_HEADERS, name: 'proximity' };
  app.post(`${MIST_WEBHOOK_PREFIX}/:tenantId`, body, (req, res) =>
    forward(req, res, `${MIST_WEBHOOK_PREFIX}/${encodeURIComponent(String(req.params.tenantId))}`, options, upstream),
  );
}

interface Upstream {
  base: () => string | undefined;
  headers: readonly string[];
  /** The subgraph, for errors (auth's answers follow RFC 6749). */
  name?: string;
  /** Pass the upstream's Set-Cookie headers on (browser sessions only). */
  setsCookies?: boolean;
}

async function forward(
  req: Request,
  res: Response,
  path: string,
  options: Omit<AuthProxyOptions, 'authBase'>,
  upstreamOf: Upstream,
): Promise<void> {
  const base = upstreamOf.base();
  if (!base) {
    res
      .status(404)
      .json({ error: 'not_found', error_description: `No ${upstreamOf.name ?? 'auth'} service in this graph` });
    return;
  }
  const headers: Record<string, string> = { 'x-request-id': req.id, 'x-forwarded-for': req.ip ?? '' };
  for (const name of upstreamOf.headers) {
    const value = req.header(name);
    if (value !== undefined) headers[name] = value;
  }
  if (options.secret) headers[GATEWAY_SECRET_HEADER] = options.secret;
  try {
    const upstream = await fetch(`${base}${path}`, {
      method: req.method,
      headers,
      body: req.method === 'POST' && Buffer.isBuffer(req.body) ? req.body : undefined,
      dispatcher: options.agent,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const payload = Buffer.from(await upstream.arrayBuffer());
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) res.setHeader(name, value);
    }
    const cookies = upstreamOf.setsCookies ? upstream.headers.getSetCookie() : [];
    if (cookies.length) res.setHeader('set-cookie', cookies);
    res.status(upstream.status).send(payload);
  } catch (err) {
    options.logger.warn(
      { err: (err as Error).message, path, requestId: req.id },
      `${upstreamOf.name ?? 'auth'} service unreachable`,
    );
    res.setHeader('retry-after', '5');
    if (upstreamOf.name) {
      // Not OAuth (Mist's webhooks): say which service is down, in the graph's error shape.
      res
        .status(503)
        .json(graphqlError(ErrorCode.UNAVAILABLE, `The ${upstreamOf.name} service is unavailable; retry shortly`));
      return;
    }
    // RFC 6749 names `temporarily_unavailable` for this; clients retry after the hint.
    oauthError(res, 503, 'temporarily_unavailable', 'The authorization server is unavailable; retry shortly');
  }
}

function oauthError(res: Response, status: number, error: string, description: string): void {
  res
    .status(status)
    .set({ 'cache-control': 'no-store', pragma: 'no-cache' })
    .json({ error, error_description: description });
}
