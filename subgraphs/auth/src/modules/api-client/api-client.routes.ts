import { DomainError, ErrorCode, type Logger } from '@phub/kit';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { clientMeta } from '../../http-meta.js';
import type { ApiClientService } from './api-client.service.js';

function oauthError(res: Response, status: number, error: string, description: string): void {
  res
    .status(status)
    .set({ 'cache-control': 'no-store', pragma: 'no-cache' })
    .json({ error, error_description: description });
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  // RFC 6749 §2.3.1: both parts are form-urlencoded inside Basic.
  const part = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return { id: part(decoded.slice(0, colon)), secret: part(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

const field = (body: unknown, name: string): string | undefined => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * `POST /oauth/token` (RFC 6749 §4.4 client credentials): form or JSON body, client
 * authentication by HTTP Basic or by client_id/client_secret in the body.
 */
export function mountTokenEndpoint(app: Express, clients: ApiClientService, logger: Logger): void {
  app.post(
    '/oauth/token',
    express.urlencoded({ extended: false, limit: '16kb' }),
    express.json({ limit: '16kb' }),
    async (req: Request, res: Response) => {
      const body: unknown = req.body;
      const basic = basicCredentials(req.header('authorization'));
      const clientId = basic?.id ?? field(body, 'client_id');
      const clientSecret = basic?.secret ?? field(body, 'client_secret');
      const grantType = field(body, 'grant_type');
      if (!grantType) return oauthError(res, 400, 'invalid_request', 'grant_type is required');
      if (grantType !== 'client_credentials') {
        return oauthError(res, 400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported');
      }
      if (!clientId || !clientSecret) {
        return oauthError(
          res,
          401,
          'invalid_client',
          'Client authentication is required (HTTP Basic or client_id and client_secret)',
        );
      }
      try {
        const token = await clients.issueToken(clientId, clientSecret, field(body, 'scope'), clientMeta(req));
        res.status(200).set({ 'cache-control': 'no-store', pragma: 'no-cache' }).json({
          access_token: token.accessToken,
          token_type: token.tokenType,
          expires_in: token.expiresIn,
          scope: token.scope,
        });
      } catch (err) {
        if (!(err instanceof DomainError)) {
          logger.error({ err }, 'token endpoint failed');
          return oauthError(res, 500, 'server_error', 'Internal server error');
        }
        if (err.code === ErrorCode.UNAUTHENTICATED) {
          if (basic) res.set('www-authenticate', 'Basic realm="phub", charset="UTF-8"');
          return oauthError(res, 401, 'invalid_client', err.message);
        }
        if (err.code === ErrorCode.RATE_LIMITED) {
          res.set('retry-after', String(err.details.retryAfterSeconds ?? 60));
          return oauthError(res, 429, 'invalid_request', err.message);
        }
        const oauth = typeof err.details.oauthError === 'string' ? err.details.oauthError : 'invalid_request';
        return oauthError(res, 400, oauth, err.message);
      }
    },
  );
  // Unparseable bodies get an OAuth answer too, not the GraphQL-shaped one.
  app.use('/oauth/token', (_err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    oauthError(res, 400, 'invalid_request', 'Request body could not be parsed');
  });
}
