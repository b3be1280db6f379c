/** How the service worker treats a request: only the app's own shell is cached, never the graph or other apps. */
export type CachePolicy = 'network' | 'shell' | 'asset' | 'static';

export function cachePolicy(req: { method: string; url: string; mode?: string }, scope: string): CachePolicy {
  if (req.method !== 'GET') return 'network';
  const url = new URL(req.url);
  const base = new URL(scope);
  // The graph (HTTP and ws), other apps on the origin and other origins always go to the network.
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return 'network';
  if (url.pathname.includes('/graphql')) return 'network';
  // A page of the app (any client-side route): the network first, the cached shell when offline.
  if (req.mode === 'navigate') return 'shell';
  // Vite's hashed build files never change under one name: the cache first.
  if (url.pathname.startsWith(`${base.pathname}assets/`)) return 'asset';
  return 'static';
}

/** Caches an update of this worker may delete: its own older ones only (the player shares the origin). */
export function staleCaches(keys: readonly string[], current: string): string[] {
  const prefix = current.replace(/-v\d+$/, '-');
  return keys.filter((k) => k !== current && k.startsWith(prefix));
}
