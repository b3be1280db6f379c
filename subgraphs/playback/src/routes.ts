import {
  authenticate,
  DomainError,
  ErrorCode,
  graphqlError,
  type Logger,
  requireRole,
  type TokenVerifier,
} from '@phub/kit';
import type { Express, Request, RequestHandler, Response } from 'express';
import type { DataSource } from 'typeorm';
import type { IngestService } from './modules/ingest/ingest.service.js';
import { ReportDimension } from './modules/report/report.input.js';
import type { ReportService } from './modules/report/report.service.js';
import { RECORDERS, REPORT_READERS } from './roles.js';
import { PlaybackScope } from './scope.js';

export interface RouteDeps {
  dataSource: DataSource;
  verifier: TokenVerifier;
  ingest: IngestService;
  reports: ReportService;
  logger: Logger;
}

const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.BAD_REQUEST]: 400,
  [ErrorCode.UNAVAILABLE]: 503,
};

/**
 * Plain HTTP for players and spreadsheets, with the same rules as the graph:
 * `POST /ingest` (the recordPlayback input as JSON, bearer device token) and
 * `GET /reports/plays.csv?from=&to=&groupBy=CAMPAIGN,DAY&campaignId=&creativeId=&storeId=`.
 * Mount before the kit's error handler.
 */
export function mountPlaybackRoutes(app: Express, jsonBody: RequestHandler, deps: RouteDeps): void {
  const scopeOf = async (req: Request) =>
    new PlaybackScope(
      deps.dataSource,
      await authenticate({ headers: req.headers as Record<string, string | undefined> }, deps.verifier),
    );

  const fail = (req: Request, res: Response, err: unknown) => {
    const original = (err as { originalError?: unknown }).originalError ?? err;
    if (original instanceof DomainError) {
      res.status(STATUS[original.code] ?? 400).json(graphqlError(original.code, original.message));
      return;
    }
    req.log.error({ err }, 'playback route failed');
    res.status(500).json(graphqlError(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error'));
  };

  app.post('/ingest', jsonBody, async (req: Request, res: Response) => {
    try {
      const scope = await scopeOf(req);
      requireRole(scope, ...RECORDERS);
      const body = (req.body ?? {}) as { plays?: unknown; heartbeats?: unknown };
      if (typeof body !== 'object' || Array.isArray(body))
        throw new DomainError(ErrorCode.BAD_USER_INPUT, 'Body must be { plays, heartbeats }');
      const result = await deps.ingest.ingest(scope, {
        plays: (body.plays ?? []) as unknown[],
        heartbeats: (body.heartbeats ?? []) as unknown[],
      });
      res.json(result);
    } catch (err) {
      fail(req, res, err);
    }
  });

  app.get('/reports/plays.csv', async (req: Request, res: Response) => {
    try {
      const scope = await scopeOf(req);
      requireRole(scope, ...REPORT_READERS);
      const q = req.query as Record<string, string | undefined>;
      const groupBy = (q['groupBy'] ?? '')
        .split(',')
        .map((g) => g.trim().toUpperCase())
        .filter(Boolean);
      const unknown = groupBy.find((g) => !(g in ReportDimension));
      if (unknown)
        throw new DomainError(
          ErrorCode.BAD_USER_INPUT,
          `groupBy: ${unknown} is not one of ${Object.keys(ReportDimension).join(', ')}`,
        );
      const csv = await deps.reports.csv(scope, {
        from: q['from'] ?? '',
        to: q['to'] ?? '',
        campaignId: q['campaignId'] ?? null,
        creativeId: q['creativeId'] ?? null,
        storeId: q['storeId'] ?? null,
        groupBy: groupBy as ReportDimension[],
      });
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', 'attachment; filename="plays.csv"');
      res.send(csv);
    } catch (err) {
      fail(req, res, err);
    }
  });
}
