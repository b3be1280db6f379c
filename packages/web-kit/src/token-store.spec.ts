import { describe, expect, it } from 'vitest';
import { TokenStore } from './token-store';

function memory() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

const tokens = (expiresAt: string) => ({ accessToken: 'a', refreshToken: 'r', expiresAt });

describe(TokenStore.name, () => {
  it('keeps the session in storage across instances (a reload)', () => {
    const storage = memory();
    new TokenStore(storage).start(tokens('2030-01-01T00:00:00Z'));
    expect(new TokenStore(storage).get()?.accessToken).toBe('a');
  });

  it('rebuilds the client on sign-out only: the epoch changes on clear, not on start or renew', () => {
    const store = new TokenStore(memory());
    const seen: number[] = [];
    store.subscribe(() => seen.push(store.getEpoch()));
    store.start(tokens('2030-01-01T00:00:00Z'));
    store.renew(tokens('2030-01-02T00:00:00Z'));
    store.clear();
    expect(seen).toEqual([0, 1]);
    expect(store.get()).toBeNull();
  });

  it('says a token expiring within the margin needs a refresh', () => {
    const store = new TokenStore(memory());
    const now = Date.parse('2030-01-01T00:00:00Z');
    store.start(tokens('2030-01-01T00:00:10Z'));
    expect(store.expiresSoon(now, 15_000)).toBe(true);
    expect(store.expiresSoon(now, 5_000)).toBe(false);
  });

  it('ignores damaged stored data', () => {
    const storage = memory();
    storage.setItem('phub.hq.session', '{not json');
    expect(new TokenStore(storage, 'phub.hq.session').get()).toBeNull();
  });

  it('keeps each app its own session: signing out of one leaves the other signed in', () => {
    const storage = memory();
    const hq = new TokenStore(storage, 'phub.hq.session');
    const retail = new TokenStore(storage, 'phub.retail.session');
    hq.start(tokens('2030-01-01T00:00:00Z'));
    retail.start({ ...tokens('2030-01-01T00:00:00Z'), accessToken: 'b' });
    hq.clear();
    expect(new TokenStore(storage, 'phub.hq.session').get()).toBeNull();
    expect(new TokenStore(storage, 'phub.retail.session').get()?.accessToken).toBe('b');
  });
});
