// The store app's service worker: the app shell for a flaky shop-floor connection. The graph is never cached.
import { cachePolicy, staleCaches } from './lib/sw-policy';

declare const self: ServiceWorkerGlobalScope;

const CACHE = 'phub-retail-shell-v1';
const SHELL = ['./', 'manifest.webmanifest', 'icon.svg'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(staleCaches(keys, CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function put(req: Request | string, res: Response): Promise<Response> {
  if (res.ok) await (await caches.open(CACHE)).put(req, res.clone());
  return res;
}

self.addEventListener('fetch', (event) => {
  const policy = cachePolicy(event.request, self.registration.scope);
  if (policy === 'network') return;
  const req = event.request;
  if (policy === 'shell') {
    // Latest index.html when online (it names the current build), the cached one when not.
    event.respondWith(
      fetch(req)
        .then((res) => put('./', res))
        .catch(async () => (await caches.match('./')) ?? Response.error()),
    );
  } else if (policy === 'asset') {
    event.respondWith(caches.match(req).then((hit) => hit ?? fetch(req).then((res) => put(req, res))));
  } else {
    event.respondWith(
      fetch(req)
        .then((res) => put(req, res))
        .catch(async () => (await caches.match(req)) ?? Response.error()),
    );
  }
});
