import type { HttpApp, Logger } from '@phub/kit';
import type { Request, Response } from 'express';
import type { IngestService } from './ingest.js';

/** Where Mist posts (one URL per tenant; the gateway passes the same path on). */
export const MIST_WEBHOOK_PATH = '/webhooks/mist';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the raw body (the signature is over its exact bytes), refusing more than `limit` bytes. */
function rawBody(req: Request, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * `POST /webhooks/mist/<tenant id>`: Mist's webhook, signed with `X-Mist-Signature-v2`. It carries no token (the
 * tenant's secret is its credential) and, like GraphQL, is served only to the gateway, which passes Mist's posts on
 * unchanged. Answers JSON with a result per event.
 */
export function mountMistWebhook(http: HttpApp, ingest: IngestService, logger: Logger, limitBytes: number): void {
  http.app.post(`${MIST_WEBHOOK_PATH}/:tenantId`, http.requireGateway(), async (req: Request, res: Response) => {
    try {
      const tenantId = String(req.params.tenantId);
      if (!UUID.test(tenantId)) {
        res.status(404).json({ error: 'not_found' });
        return;
      }
      const body = await rawBody(req, limitBytes);
      if (!body) {
        res.status(413).json({ error: 'too_large', limitBytes });
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]),
      );
      const answer = await ingest.receive(tenantId.toLowerCase(), body, headers);
      res.status(answer.status).json(answer.body);
    } catch (err) {
      logger.error({ err }, 'Mist webhook failed');
      // Nothing was committed (one transaction per message): Mist's next events are unaffected.
      if (!res.headersSent) res.status(500).json({ error: 'internal_error' });
    }
  });
}
