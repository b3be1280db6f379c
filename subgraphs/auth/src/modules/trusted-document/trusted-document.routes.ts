import type { Express } from 'express';
import type { TrustedDocumentService } from './trusted-document.service.js';

/** Where the gateway fetches a partner's registered document (never routed from outside). */
export const TRUSTED_DOCUMENT_PATH = '/internal/trusted-documents/:clientId/:id';

/** For the gateway only (its secret): the text of a registered document, 404 when there is none. */
export function mountTrustedDocuments(app: Express, documents: TrustedDocumentService): void {
  app.get(TRUSTED_DOCUMENT_PATH, async (req, res, next) => {
    if (!req.fromGateway) {
      res.status(403).json({ error: 'This route answers the gateway only' });
      return;
    }
    try {
      const body = await documents.lookup(String(req.params.clientId), String(req.params.id));
      if (body === null) res.status(404).json({ error: 'not registered' });
      else res.set('cache-control', 'no-store').json({ body });
    } catch (err) {
      next(err);
    }
  });
}
