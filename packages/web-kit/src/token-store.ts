/** The session's tokens, kept for this tab (sessionStorage) so that two tabs never spend one refresh token. */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
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
  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null,
    private readonly key = 'phub.session',
  ) {
    this.tokens = read(storage, key);
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
    return t.accessToken && t.refreshToken && t.expiresAt ? (t as Tokens) : null;
  } catch {
    return null;
  }
}

/** The tab's token store for one app (`key` e.g. `phub.hq.session`). */
export function createTokenStore(key: string): TokenStore {
  return new TokenStore(typeof sessionStorage === 'undefined' ? null : sessionStorage, key);
}
