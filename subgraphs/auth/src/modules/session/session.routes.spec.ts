import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/demo-data.js';
import { startAuth, type AuthHarness } from '../../testing/harness.js';
import { SESSION_COOKIE } from './session.routes.js';

const VIEWER = '{ viewer { kind subject sessionId } }';

let h: AuthHarness;

beforeAll(async () => {
  h = await startAuth();
});
afterAll(() => h?.stop());

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${h.baseUrl}/auth/session/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? '{}' : JSON.stringify(body),
  });
}

/** The cookie a response sets, as the browser would send it back, with its attributes. */
function cookieOf(res: Response): { value: string; attributes: string } {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  expect(header, 'a session cookie is set').toBeDefined();
  const [pair, ...attributes] = header!.split(';').map((s) => s.trim());
  return { value: pair!.slice(SESSION_COOKIE.length + 1), attributes: attributes.join('; ') };
}

const signIn = async (app = 'hq', email = 'editor@demo.test') => {
  const res = await post(app, { email, password: DEMO_PASSWORD });
  expect(res.status).toBe(200);
  return { res, body: (await res.json()) as { accessToken: string; expiresAt: string }, cookie: cookieOf(res) };
};

describe('browser sessions (/auth/session/<app>)', () => {
  it('signs in with the refresh token only in an HttpOnly, Secure, SameSite=Strict cookie scoped to the app', async () => {
    const { res, body, cookie } = await signIn();
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresAt']);
    expect(cookie.attributes).toMatch(/Path=\/auth\/session\/hq/);
    expect(cookie.attributes).toMatch(/HttpOnly/);
    expect(cookie.attributes).toMatch(/Secure/);
    expect(cookie.attributes).toMatch(/SameSite=Strict/);
    expect(cookie.attributes).toMatch(/Max-Age=\d+/);
    const viewer = await h.ok<{ viewer: { kind: string } }>(VIEWER, {}, body.accessToken);
    expect(viewer.viewer.kind).toBe('user');
  });

  it('renews with the cookie (rotating it), and a rotated cookie presented again revokes the session', async () => {
    const first = await signIn();
    const renewed = await post('hq/refresh', {}, { cookie: `${SESSION_COOKIE}=${first.cookie.value}` });
    expect(renewed.status).toBe(200);
    const next = cookieOf(renewed);
    expect(next.value).not.toBe(first.cookie.value);
    const { accessToken } = (await renewed.json()) as { accessToken: string };
    expect((await h.gql(VIEWER, {}, accessToken)).errors).toBeUndefined();

    const replay = await post('hq/refresh', {}, { cookie: `${SESSION_COOKIE}=${first.cookie.value}` });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    // The refused refresh clears the browser's cookie, and the session is over for the newer cookie too.
    expect(replay.headers.getSetCookie().join()).toMatch(new RegExp(`${SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`));
    const after = await post('hq/refresh', {}, { cookie: `${SESSION_COOKIE}=${next.value}` });
    expect(after.status).toBe(401);
  });

  it('signs out with the cookie alone: the session and its access tokens end, and the cookie is cleared', async () => {
    const { body, cookie } = await signIn('retail', 'staff@demo.test');
    expect(cookie.attributes).toMatch(/Path=\/auth\/session\/retail/);
    const out = await post('retail/logout', {}, { cookie: `${SESSION_COOKIE}=${cookie.value}` });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/Path=\/auth\/session\/retail/);
    expect((await h.gql(VIEWER, {}, body.accessToken)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await post('retail/refresh', {}, { cookie: `${SESSION_COOKIE}=${cookie.value}` })).status).toBe(401);
    // Signing out without a session (or twice) still succeeds.
    expect((await post('retail/logout', {})).status).toBe(204);
  });

  it('refuses bad input with stable codes and sets no cookie', async () => {
    const cases: [string, RequestInit, number, string][] = [
      ['hq', { body: JSON.stringify({ email: 'editor@demo.test', password: 'wrong' }) }, 401, 'UNAUTHENTICATED'],
      ['hq', { body: JSON.stringify({ email: 'editor@demo.test' }) }, 400, 'BAD_USER_INPUT'],
      ['hq', { body: '{"email":' }, 400, 'BAD_REQUEST'],
      // A cross-site form can post only form encodings: refused before the cookie or the body is read.
      [
        'hq/refresh',
        { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      ['hq/refresh', { body: '{}' }, 401, 'UNAUTHENTICATED'],
      ['hq/refresh', { body: '{}', headers: { cookie: `${SESSION_COOKIE}=nonsense` } }, 401, 'UNAUTHENTICATED'],
      ['other', { body: '{}' }, 404, 'NOT_FOUND'],
    ];
    for (const [path, init, status, code] of cases) {
      const res = await fetch(`${h.baseUrl}/auth/session/${path}`, {
        method: 'POST',
        ...init,
        headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
      });
      expect(res.status, path).toBe(status);
      expect(await res.json(), path).toMatchObject({ error: { code } });
      expect(
        res.headers.getSetCookie().filter((c) => !c.includes('Expires=Thu, 01 Jan 1970')),
        path,
      ).toEqual([]);
    }
  });
});
