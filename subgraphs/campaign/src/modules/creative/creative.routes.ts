import {
  ErrorCode,
  graphqlError,
  LocalStorage,
  mountAssetRoute,
  UploadRefused,
  type Logger,
  type Storage,
} from '@phub/kit';
import type { Express, Request, Response } from 'express';
import type { CreativeService } from './creative.service.js';

export interface CreativeRouteDeps {
  /** Not needed by the routes today (they check tokens, not creatives); kept for the wiring's sake. */
  service?: CreativeService;
  storage: Storage;
  logger: Logger;
}

/**
 * The local-folder storage's routes: `PUT /uploads/:token` receives a presigned upload and
 * `GET /assets/<key>` serves assets to players. With S3 storage clients talk to S3 and these are 404.
 * Mount before the kit's error handler.
 */
export function mountCreativeRoutes(app: Express, deps: CreativeRouteDeps): void {
  const { storage, logger } = deps;

  // Dashboards upload from another origin (the gateway's, or a CDN's). The signed token in the URL is the
  // whole authority, as with an S3 presigned PUT, so any origin may send it; no cookies are involved.
  app.options('/uploads/:token', (_req: Request, res: Response) => {
    uploadCors(res);
    res.setHeader('Access-Control-Allow-Methods', 'PUT');
    res.setHeader('Access-Control-Allow-Headers', 'content-type');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  });

  app.put('/uploads/:token', async (req: Request, res: Response) => {
    uploadCors(res);
    if (!(storage instanceof LocalStorage)) return notFound(res);
    try {
      const stored = await storage.receive(String(req.params.token), req, {
        contentType: req.header('content-type'),
        contentLength: req.header('content-length'),
      });
      res.setHeader('ETag', `"${stored.checksum}"`);
      res.json({ key: stored.key, sizeBytes: stored.sizeBytes, checksum: stored.checksum });
    } catch (err) {
      if (err instanceof UploadRefused) {
        // Refused before the body was read: do not keep a connection with unread bytes on it.
        if (!req.complete) res.setHeader('Connection', 'close');
        res.status(err.status).json(graphqlError(err.code, err.message));
        return;
      }
      (req.log ?? logger).error({ err }, 'upload failed');
      res.status(500).json(graphqlError(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error'));
    }
  });

  mountAssetRoute(app, storage);
}

function uploadCors(res: Response): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'ETag');
}

function notFound(res: Response): void {
  res.status(404).json(graphqlError(ErrorCode.NOT_FOUND, 'No such asset'));
}
