import { graphqlUrl } from './config';
import type { Tokens } from './token-store';

/** What renewing a browser session came to. */
export type Renewal = { tokens: Tokens } | { ended: true } | { unreachable: true };

/** A failed sign-in or session call, with the platform's stable code (shown by ErrorNotice). */
export class SessionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SessionError';
  }
}

/** How a web app's session is started, renewed and ended when its refresh token lives in a cookie. */
export interface SessionRenewer {
  signIn(email: string, password: string): Promise<Tokens>;
  /** Renews with the cookie; never throws: a refused cookie ends the session, anything else is "unreachable". */
  renew(): Promise<Renewal>;
  signOut(): Promise<void>;
  /**
   * Whether a session cookie may exist: a hint this origin keeps (not a credential), so that a signed-out visitor
   * gets the sign-in page at once instead of after a refresh round trip.
   */
  maybeSignedIn(): boolean;
  /** Other tabs of this app signing in or out (one sign-in serves every tab). */
  onOtherTab(listener: (event: 'signed-in' | 'signed-out') => void): () => void;
}

type Fetch = typeof fetch;

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * The web app's session against the gateway's `/auth/session/<app>`: the refresh token is an HttpOnly cookie the
 * page never sees, the access token stays in memory. Renewals are serialised across the app's tabs with a Web
 * Lock, since a refresh token works once: two tabs renewing with the same cookie would end the session.
 */
export function createCookieSession(
  app: 'hq' | 'retail',
  options: {
    base?: string;
    fetch?: Fetch;
    locks?: LockManagerLike | null;
    channel?: BroadcastChannel | null;
    hints?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  } = {},
): SessionRenewer {
  // The graph's host serves the session endpoint (the gateway passes it to auth), beside /graphql.
  const base = options.base ?? graphqlUrl();
  const url = (action = '') => new URL(`/auth/session/${app}${action}`, base).toString();
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const locks =
    options.locks !== undefined ? options.locks : typeof navigator !== 'undefined' ? (navigator.locks ?? null) : null;
  const channel =
    options.channel !== undefined
      ? options.channel
      : typeof BroadcastChannel === 'undefined'
        ? null
        : new BroadcastChannel(`phub.${app}.session`);
  const hints = options.hints !== undefined ? options.hints : typeof localStorage === 'undefined' ? null : localStorage;
  const hintKey = `phub.${app}.signed-in`;
  const hint = (on: boolean) => {
    try {
      if (on) hints?.setItem(hintKey, '1');
      else hints?.removeItem(hintKey);
    } catch {
      // storage disabled: every load asks the platform
    }
  };
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => (locks ? locks.request(`phub.${app}.session`, fn) : fn());

  const post = (action: string, body: unknown) =>
    doFetch(url(action), {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const tokensOf = async (res: Response): Promise<Tokens> => {
    const body = (await res.json()) as { accessToken: string; expiresAt: string };
    return { accessToken: body.accessToken, expiresAt: body.expiresAt };
  };

  const failure = async (res: Response): Promise<SessionError> => {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    // A gateway that cannot reach auth answers 503 in OAuth's shape: say it as the platform being unreachable.
    if (res.status >= 500) return new SessionError('NETWORK_ERROR', 'The platform cannot be reached right now');
    return new SessionError(body?.error?.code ?? 'INTERNAL_SERVER_ERROR', body?.error?.message ?? res.statusText);
  };

  return {
    async signIn(email, password) {
      const res = await exclusive(() => post('', { email, password })).catch((err: Error) => {
        throw new SessionError('NETWORK_ERROR', err.message);
      });
      if (!res.ok) throw await failure(res);
      const tokens = await tokensOf(res);
      hint(true);
      channel?.postMessage('signed-in');
      return tokens;
    },

    renew() {
      return exclusive(async (): Promise<Renewal> => {
        try {
          const res = await post('/refresh', {});
          if (res.ok) return { tokens: await tokensOf(res) };
          // Only a refusal ends the session; an outage keeps it for when the platform answers again.
          if (res.status === 401) {
            hint(false);
            return { ended: true };
          }
          return { unreachable: true };
        } catch {
          return { unreachable: true };
        }
      });
    },

    async signOut() {
      await exclusive(() => post('/logout', {})).catch(() => undefined);
      hint(false);
      channel?.postMessage('signed-out');
    },

    maybeSignedIn() {
      try {
        return !hints || hints.getItem(hintKey) === '1';
      } catch {
        return true;
      }
    },

    onOtherTab(listener) {
      if (!channel) return () => undefined;
      const handler = (e: MessageEvent) => {
        if (e.data === 'signed-in' || e.data === 'signed-out') listener(e.data);
      };
      channel.addEventListener('message', handler);
      return () => channel.removeEventListener('message', handler);
    },
  };
}
