import express, { type Express } from 'express';
import { DomainError } from '@phub/kit';
import { MAX_REPORTS, type ApiClientUsageService } from './api-client-usage.service.js';
import type { UsageReport } from './api-client-usage.entity.js';

/** Where the gateway reports what partner clients used (never routed from outside). */
export const USAGE_REPORT_PATH = '/internal/api-client-usage';

/** For the gateway only (its secret): `{ usage: UsageReport[] }`, added to the stored hours. */
export function mountUsageReports(app: Express, usage: ApiClientUsageService): void {
  app.post(USAGE_REPORT_PATH, express.json({ limit: '2mb' }), async (req, res, next) => {
    if (!req.fromGateway) {
      res.status(403).json({ error: 'This route answers the gateway only' });
      return;
    }
    const reports = (req.body as { usage?: unknown } | undefined)?.usage;
    if (!Array.isArray(reports) || reports.length > MAX_REPORTS) {
      res.status(400).json({ error: `usage must be an array of at most ${MAX_REPORTS} reports` });
      return;
    }
    try {
      const stored = await usage.record(reports as UsageReport[]);
      res.json({ stored });
    } catch (err) {
      if (err instanceof DomainError) res.status(400).json({ error: err.message });
      else next(err);
    }
  });
}
