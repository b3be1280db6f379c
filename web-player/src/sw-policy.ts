/**
 * How the player's service worker treats a request (the same rules as the store app's, web-retail/src/lib):
 * only the player's own shell is cached; the graph, other apps on the origin and creatives' origins go to the
 * network untouched (creatives are cached by the page itself, in Cache Storage `phub-assets`).
 */
export type CachePolicy = 'network' | 'shell' | 'asset' | 'static';

/** Shell caches are named `phub-player-shell-<build>`; the worker deletes only its own old ones. */
export const SHELL_CACHE_PREFIX = 'phub-player-shell-';

export function cachePolicy(req: { method: string; url: string; mode?: string }, scope: string): CachePolicy {
  if (req.method !== 'GET') return 'network';
  const url = new URL(req.url);
  const base = new URL(scope);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return 'network';
  if (url.pathname.includes('/graphql')) return 'network';
  // The page itself (any query string: ?gateway=, ?rotate=): the network first, the cached shell when offline.
  if (req.mode === 'navigate') return 'shell';
  // Vite's hashed build files never change under one name: the cache first.
  if (url.pathname.startsWith(`${base.pathname}assets/`)) return 'asset';
  return 'static';
}

/** An old shell cache of this worker (a previous build), to delete when a new worker takes over. */
export function isStaleShellCache(name: string, current: string): boolean {
  return name.startsWith(SHELL_CACHE_PREFIX) && name !== current;
}
