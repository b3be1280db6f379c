import type { HttpApp } from '@phub/kit';

export const CLIENT_IP_HEADER = 'x-phub-client-ip';

/**
 * GraphQL contexts only see headers, so the client's address (express resolves `req.ip` per the kit's proxy
 * trust: the gateway's forwarded address, else the peer) travels in a header set here; whatever a client
 * sent under that name is overwritten first.
 */
export function stampClientIp(app: HttpApp['app']): void {
  app.use((req, _res, next) => {
    req.headers[CLIENT_IP_HEADER] = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    next();
  });
}
