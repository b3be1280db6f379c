import type { Express, Request, Response } from 'express';
import { ErrorCode } from '../errors.js';
import { graphqlError } from '../http.js';
import { LocalStorage } from './local-storage.js';
import type { Storage } from './storage.js';

// Keys name immutable bytes (a new upload or copy gets a new key), so a URL always names the same bytes.
const CACHE_FOREVER = 'public, max-age=31536000, immutable';
const ACTIVE_CONTENT = new Set(['text/html', 'image/svg+xml']);

/**
 * `GET /assets/<key>`: the local-folder storage's objects, served to players by the service that owns them.
 * With S3 storage players fetch from the bucket (or its CDN) and this answers 404. Mount before the kit's error
 * handler.
 */
export function mountAssetRoute(app: Express, storage: Storage): void {
  app.get('/assets/*key', async (req: Request, res: Response) => {
    if (!(storage instanceof LocalStorage)) return notFound(res);
    const param = (req.params as Record<string, unknown>).key;
    const key = Array.isArray(param) ? param.join('/') : String(param ?? '');
    const asset = await storage.asset(key).catch(() => null);
    if (!asset) return notFound(res);
    res.setHeader('Content-Type', asset.meta.mimeType);
    res.setHeader('ETag', `"${asset.meta.checksum}"`);
    res.setHeader('Cache-Control', CACHE_FOREVER);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Access-Control-Allow-Origin', '*');
    // HTML and SVG run in an opaque origin, never with this service's.
    if (ACTIVE_CONTENT.has(asset.meta.mimeType)) res.setHeader('Content-Security-Policy', 'sandbox allow-scripts');
    if (matchesEtag(req.header('if-none-match'), asset.meta.checksum)) {
      res.status(304).end();
      return;
    }
    res.sendFile(
      asset.relative,
      { root: asset.root, dotfiles: 'deny', etag: false, cacheControl: false, lastModified: true },
      (err) => {
        if (err && !res.headersSent) notFound(res);
      },
    );
  });
}

function matchesEtag(header: string | undefined, checksum: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === '*' || t === `"${checksum}"`;
  });
}

function notFound(res: Response): void {
  res.status(404).json(graphqlError(ErrorCode.NOT_FOUND, 'No such asset'));
}
