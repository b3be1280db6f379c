import { DomainError, ErrorCode, type Logger } from '@phub/kit';
import { parse as parseCookies } from 'cookie';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { clientMeta } from '../../http-meta.js';
import type { IssuedSession, SessionService } from './session.service.js';

/**
 * Browser sessions of the web apps: `POST /auth/session/<app>` signs in, `…/refresh` renews, `…/logout` ends.
 * The refresh token lives only in an HttpOnly cookie scoped to the app's path here, so page scripts never see
 * it and every tab of the app shares one sign-in that survives reloads; the access token is returned in the
 * body and kept in memory. `<app>` (hq, retail) keeps the two apps' sessions apart on one origin.
 */
export const SESSION_PATH = '/auth/session';
export const SESSION_COOKIE = 'phub_session';
const APPS = new Set(['hq', 'retail']);

interface SessionBody {
  accessToken: string;
  expiresAt: string;
}

function sessionError(res: Response, status: number, code: string, message: string): void {
  res.status(status).set({ 'cache-control': 'no-store' }).json({ error: { code, message } });
}

const cookiePath = (app: string) => `${SESSION_PATH}/${app}`;

function setCookie(res: Response, app: string, issued: IssuedSession, now: number): void {
  res.cookie(SESSION_COOKIE, issued.refreshToken, {
    httpOnly: true,
    // Browsers accept Secure cookies from http://localhost too, so the demo keeps working over plain HTTP there.
    secure: true,
    sameSite: 'strict',
    path: cookiePath(app),
    maxAge: Math.max(0, issued.refreshTokenExpiresAt.getTime() - now),
  });
}

function clearCookie(res: Response, app: string): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, secure: true, sameSite: 'strict', path: cookiePath(app) });
}

function sent(res: Response, app: string, issued: IssuedSession, now: number): void {
  setCookie(res, app, issued, now);
  const body: SessionBody = { accessToken: issued.accessToken, expiresAt: issued.expiresAt.toISOString() };
  res.status(200).set({ 'cache-control': 'no-store' }).json(body);
}

const cookieToken = (req: Request): string | undefined => {
  const header = req.header('cookie');
  const token = header ? parseCookies(header)[SESSION_COOKIE] : undefined;
  return token && token.length <= 200 ? token : undefined;
};

/**
 * Cookies travel with any request to this path, so every endpoint insists on a JSON body: a cross-site form
 * cannot send one without a CORS preflight, which we never grant (SameSite=Strict is the second fence).
 */
function guard(req: Request, res: Response, next: NextFunction): void {
  // Express 5's paths take no patterns, so the app is checked here.
  if (!APPS.has(String(req.params.app))) return sessionError(res, 404, ErrorCode.NOT_FOUND, 'No such app');
  if (!req.is('application/json')) {
    return sessionError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request with Content-Type: application/json');
  }
  next();
}

export function mountSessionEndpoints(
  app: Express,
  sessions: SessionService,
  clock: () => number,
  logger: Logger,
): void {
  const json = express.json({ limit: '8kb' });

  const fail = (res: Response, appName: string, err: unknown, where: string) => {
    if (!(err instanceof DomainError)) {
      logger.error({ err }, `session ${where} failed`);
      return sessionError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
    }
    if (err.code === ErrorCode.RATE_LIMITED) {
      res.set('retry-after', String(err.details.retryAfterSeconds ?? 60));
      return sessionError(res, 429, err.code, err.message);
    }
    if (err.code === ErrorCode.UNAUTHENTICATED) {
      // A refused refresh ends the browser's session: the cookie goes too.
      if (where === 'refresh') clearCookie(res, appName);
      return sessionError(res, 401, err.code, err.message);
    }
    return sessionError(res, 400, err.code, err.message);
  };

  app.post(`${SESSION_PATH}/:app`, guard, json, async (req: Request, res: Response) => {
    const appName = String(req.params.app);
    const body = req.body as Record<string, unknown> | undefined;
    const email = typeof body?.email === 'string' ? body.email : undefined;
    const password = typeof body?.password === 'string' ? body.password : undefined;
    if (!email || !password) {
      return sessionError(res, 400, ErrorCode.BAD_USER_INPUT, 'email and password are required');
    }
    try {
      const issued = await sessions.login(email.slice(0, 254), password.slice(0, 1024), clientMeta(req));
      sent(res, appName, issued, clock());
    } catch (err) {
      fail(res, appName, err, 'sign-in');
    }
  });

  app.post(`${SESSION_PATH}/:app/refresh`, guard, async (req: Request, res: Response) => {
    const appName = String(req.params.app);
    const token = cookieToken(req);
    if (!token) return sessionError(res, 401, ErrorCode.UNAUTHENTICATED, 'No session; sign in');
    try {
      sent(res, appName, await sessions.refresh(token, clientMeta(req)), clock());
    } catch (err) {
      fail(res, appName, err, 'refresh');
    }
  });

  app.post(`${SESSION_PATH}/:app/logout`, guard, async (req: Request, res: Response) => {
    const appName = String(req.params.app);
    const token = cookieToken(req);
    try {
      if (token) await sessions.logoutByRefreshToken(token, clientMeta(req));
      clearCookie(res, appName);
      res.status(204).set({ 'cache-control': 'no-store' }).end();
    } catch (err) {
      fail(res, appName, err, 'logout');
    }
  });

  app.use(SESSION_PATH, (_err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sessionError(res, 400, ErrorCode.BAD_REQUEST, 'Request body could not be parsed');
  });
}
