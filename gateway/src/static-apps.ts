import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { securityHeaders } from './security-headers.js';

// A year: hashed file names change with their content, so a cached copy is never stale.
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * One web app (/hq, /retail, /player) on the graph's origin, so the apps need no CORS and find the graph at
 * /graphql. Files are served as the build compressed them (`.br`, `.gz` beside each, chosen by Accept-Encoding),
 * so a page costs the gateway no compression CPU. Hashed assets (`assets/name-hash.js`) are cached for good;
 * everything else (index.html, the service worker, the manifest) is revalidated on every load, so a new
 * release is picked up at once.
 */
export function mountStaticApp(app: Express, prefix: string, dir: string, assetSources: string): void {
  app.use(prefix, securityHeaders({ assetSources, scriptHashes: inlineScriptHashes(dir) }));
  app.use(
    prefix,
    expressStaticGzip(dir, {
      enableBrotli: true,
      orderPreference: ['br', 'gzip'],
      index: 'index.html',
      serveStatic: {
        fallthrough: true,
        setHeaders: (res, path) => {
          res.setHeader('cache-control', /[/\\]assets[/\\]/.test(path) ? IMMUTABLE : 'no-cache');
        },
      },
    }),
  );
  // Single-page apps route on the client: a deep link (/hq/campaigns/42) gets the app's index.html.
  // Paths that look like files (a dot in the last segment) stay 404s, so a missing asset is not HTML.
  app.get(`${prefix}/*rest`, (req, res, next) => {
    if (/\.[^/]*$/.test(req.path) || !req.accepts('html')) return next();
    res.sendFile('index.html', { root: dir, headers: { 'cache-control': 'no-cache' } }, (err) => err && next());
  });
}

/**
 * The CSP hashes of index.html's inline scripts (e.g. HQ's session hint, which must run before the first paint,
 * where a file would cost a round trip): allowed one by one, never 'unsafe-inline'. Read once at start-up: a
 * build is immutable for the life of the process.
 */
export function inlineScriptHashes(dir: string): string[] {
  let html: string;
  try {
    html = readFileSync(join(dir, 'index.html'), 'utf8');
  } catch {
    return [];
  }
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)]
    .map((m) => m[1]!)
    .filter((body) => body.trim())
    .map((body) => `sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}`);
}
