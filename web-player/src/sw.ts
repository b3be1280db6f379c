// The player's service worker: the offline shell. A screen that reboots without the network (or while the platform
// is down) opens the player from here, and the page then plays its stored playlist from its own asset cache.
import { cachePolicy, isStaleShellCache, SHELL_CACHE_PREFIX } from './sw-policy';

declare const self: ServiceWorkerGlobalScope;

// The build's file list, written in by vite.config.ts (playerShell): a new build is a new worker and a new cache.
const SHELL = JSON.parse('__PLAYER_SHELL__') as { version: string; files: string[] };
const CACHE = `${SHELL_CACHE_PREFIX}${SHELL.version}`;
/** A page request that hangs (a half-open shop network) falls back to the cached shell after this long. */
const NAVIGATE_TIMEOUT_MS = 4_000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(['./', ...SHELL.files]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => isStaleShellCache(k, CACHE)).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function cached(req: Request | string): Promise<Response | undefined> {
  return (await caches.open(CACHE)).match(req, { ignoreSearch: true });
}

async function put(key: Request | string, res: Response): Promise<Response> {
  if (res.ok) await (await caches.open(CACHE)).put(key, res.clone());
  return res;
}

/** The latest page when the platform answers in time; the cached one when it is offline, down or slow. */
async function page(req: Request): Promise<Response> {
  // A navigation request takes no init (no abort signal), so the timeout races it instead.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), NAVIGATE_TIMEOUT_MS);
  });
  try {
    const res = await Promise.race([fetch(req), timeout]);
    // A proxy's 502 while the platform restarts is no page to show on a screen: the cached shell is.
    if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
    return await put('./', res);
  } catch {
    return (await cached('./')) ?? Response.error();
  } finally {
    clearTimeout(timer);
  }
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const policy = cachePolicy(req, self.registration.scope);
  if (policy === 'network') return;
  if (policy === 'shell') event.respondWith(page(req));
  else if (policy === 'asset') event.respondWith(cached(req).then((hit) => hit ?? fetch(req).then((r) => put(req, r))));
  else event.respondWith(fetch(req).catch(async () => (await cached(req)) ?? Response.error()));
});
