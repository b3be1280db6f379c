import type { Express } from 'express';
import type { SigningKeyService } from './signing-key.service.js';

export const JWKS_PATH = '/.well-known/jwks.json';

/** Public keys for every verifier. PENDING keys are in it long before they sign, so caching is safe. */
export function mountJwks(app: Express, keys: SigningKeyService): void {
  app.get(JWKS_PATH, async (_req, res, next) => {
    try {
      res.set('cache-control', 'public, max-age=300').json(await keys.jwks());
    } catch (err) {
      next(err);
    }
  });
}
