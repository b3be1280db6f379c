import type { SessionRenewer } from './cookie-session';

/**
 * A session's tokens. A person's session in a web app keeps only the access token, in memory (the refresh token
 * is an HttpOnly cookie, see cookie-session.ts); a device (the kiosk) keeps both in its storage.
 */
export interface Tokens {
  accessToken: string;
  /** Absent when the refresh token is a cookie */
  refreshToken?: string;
  /** When the access token expires (ISO instant) */
  expiresAt: string;
}

type Listener = () => void;

export class TokenStore {
  private tokens: Tokens | null;
  /** Changes on sign-out (not on sign-in or refresh): the GraphQL client is rebuilt so no cache outlives a user. */
  private epoch = 0;
  private readonly listeners = new Set<Listener>();

  /** `key`: where this app keeps its session, so two apps on one origin keep separate sessions. */
  private unreachable = false;

  /**
   * `key`: where this app keeps its session, so two apps on one origin keep separate sessions.
   * `renewer`: renews by cookie instead of by a stored refresh token (then nothing is stored).
   */
  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null,
    private readonly key = 'phub.session',
    readonly renewer?: SessionRenewer,
  ) {
    this.tokens = read(storage, key);
  }

  /** True while the platform could not be reached to renew the session (which is kept, not ended). */
  isUnreachable = (): boolean => this.unreachable;

  setUnreachable(value: boolean): void {
    if (this.unreachable === value) return;
    this.unreachable = value;
    this.emit();
  }

  get(): Tokens | null {
    return this.tokens;
  }

  getEpoch = (): number => this.epoch;

  /** A new session (sign-in). */
  start(tokens: Tokens): void {
    this.write(tokens);
    this.emit();
  }

  /** The same session with fresh tokens (refresh): nothing is rebuilt. */
  renew(tokens: Tokens): void {
    this.write(tokens);
  }

  clear(): void {
    if (!this.tokens) return;
    this.write(null);
    this.epoch++;
    this.emit();
  }

  /** Seconds-level skew allowance: a token this close to expiry is refreshed before use. */
  expiresSoon(now = Date.now(), marginMs = 15_000): boolean {
    return !!this.tokens && Date.parse(this.tokens.expiresAt) - marginMs <= now;
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private write(tokens: Tokens | null): void {
    this.tokens = tokens;
    try {
      if (tokens) this.storage?.setItem(this.key, JSON.stringify(tokens));
      else this.storage?.removeItem(this.key);
    } catch {
      // storage full or disabled: the session lives in memory only
    }
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

function read(storage: Pick<Storage, 'getItem'> | null, key: string): Tokens | null {
  try {
    const raw = storage?.getItem(key);
    if (!raw) return null;
    const t = JSON.parse(raw) as Partial<Tokens>;
    return t.accessToken && t.expiresAt ? (t as Tokens) : null;
  } catch {
    return null;
  }
}

/**
 * A person's session in a web app: the access token in memory only, renewed by the HttpOnly cookie, so every tab
 * shares one sign-in that survives reloads and no script can read a long-lived credential.
 */
export function createTokenStore(renewer: SessionRenewer): TokenStore {
  return new TokenStore(null, undefined, renewer);
}
