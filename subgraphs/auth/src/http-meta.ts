import type { Express, Request } from 'express';
import { CLIENT_IP_HEADER, type RequestMeta } from './context.js';

/** Where a plain HTTP request came from (express resolves `req.ip` per the app's proxy trust). */
export function clientMeta(req: Request): RequestMeta {
  return { clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown', userAgent: req.header('user-agent') ?? null };
}

/**
 * GraphQL contexts only see headers, so the client address travels in a header we set
 * ourselves; whatever a client sent under that name is overwritten first.
 */
export function stampClientIp(app: Express): void {
  app.use((req, _res, next) => {
    req.headers[CLIENT_IP_HEADER] = clientMeta(req).clientIp;
    next();
  });
}
