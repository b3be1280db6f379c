import { badInput, type Viewer } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { isUuid } from '../../ids.js';
import { findInTenant, inTenant } from '../../tenant-scope.js';
import { ApiClient } from './api-client.entity.js';
import { apiClientNotFound } from './api-client.errors.js';
import {
  ApiClientUsageRow,
  UsageGranularity,
  type ApiClientUsage,
  type UsageReport,
} from './api-client-usage.entity.js';

const HOUR_MS = 3_600_000;
/** Buckets one answer may hold: a month of hours, a year of days. */
const MAX_SPAN_MS = { [UsageGranularity.HOUR]: 31 * 24 * HOUR_MS, [UsageGranularity.DAY]: 366 * 24 * HOUR_MS };
/** Reports one gateway flush may carry (clients × hours since its last flush). */
export const MAX_REPORTS = 10_000;

const FIGURES = ['requests', 'errors', 'rateLimited', 'cost'] as const;

/**
 * Usage per partner API client: the gateway counts requests, errors, 429s and cost per client and hour
 * and reports them here (an internal route); HQ admins read them per hour or day (`ApiClient.usage`).
 * Hours are UTC: a partner's traffic has no store, so no store's clock applies.
 */
export class ApiClientUsageService {
  constructor(private readonly dataSource: DataSource) {}

  /** Adds the gateway's counts to what is stored; reports of unknown (deleted) clients are skipped. */
  async record(reports: UsageReport[]): Promise<number> {
    const merged = new Map<string, UsageReport>();
    reports.forEach((r, index) => {
      const hour = new Date(r.hour);
      if (!isUuid(r.clientId)) throw badInput(`usage[${index}].clientId is not an API client id`);
      if (Number.isNaN(hour.getTime()) || hour.getTime() % HOUR_MS !== 0)
        throw badInput(`usage[${index}].hour must be the start of an hour (ISO 8601)`);
      for (const figure of FIGURES) {
        if (!Number.isSafeInteger(r[figure]) || r[figure] < 0)
          throw badInput(`usage[${index}].${figure} must be a whole number >= 0`);
      }
      const key = `${r.clientId}|${hour.toISOString()}`;
      const before = merged.get(key);
      merged.set(key, {
        clientId: r.clientId,
        hour: hour.toISOString(),
        requests: (before?.requests ?? 0) + r.requests,
        errors: (before?.errors ?? 0) + r.errors,
        rateLimited: (before?.rateLimited ?? 0) + r.rateLimited,
        cost: (before?.cost ?? 0) + r.cost,
      });
    });
    if (!merged.size) return 0;
    const rows = [...merged.values()];
    const usage = this.dataSource.getMetadata(ApiClientUsageRow).tablePath;
    const clients = this.dataSource.getMetadata(ApiClient).tablePath;
    // One statement: the tenant comes from the client row, so a report can never land in another tenant.
    const result: unknown = await this.dataSource.query(
      `INSERT INTO ${usage} AS u ("client_id", "hour", "tenant_id", "requests", "errors", "rate_limited", "cost")
       SELECT r.client_id, r.hour, c.tenant_id, r.requests, r.errors, r.rate_limited, r.cost
       FROM unnest($1::uuid[], $2::timestamptz[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[])
         AS r(client_id, hour, requests, errors, rate_limited, cost)
       JOIN ${clients} c ON c.id = r.client_id
       ON CONFLICT ("client_id", "hour") DO UPDATE SET
         "requests" = u."requests" + EXCLUDED."requests",
         "errors" = u."errors" + EXCLUDED."errors",
         "rate_limited" = u."rate_limited" + EXCLUDED."rate_limited",
         "cost" = u."cost" + EXCLUDED."cost"`,
      [
        rows.map((r) => r.clientId),
        rows.map((r) => r.hour),
        rows.map((r) => r.requests),
        rows.map((r) => r.errors),
        rows.map((r) => r.rateLimited),
        rows.map((r) => r.cost),
      ],
    );
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : rows.length;
  }

  /** A client of the viewer's tenant: its usage in hours starting within [from, to), per bucket and in total. */
  async usage(
    viewer: Viewer,
    clientId: string,
    from: Date,
    to: Date,
    granularity: UsageGranularity,
  ): Promise<ApiClientUsage> {
    if (!(from.getTime() < to.getTime())) throw badInput('from must be before to', { reason: 'USAGE_RANGE' });
    if (to.getTime() - from.getTime() > MAX_SPAN_MS[granularity]) {
      const most = granularity === UsageGranularity.HOUR ? '31 days by hour' : '366 days by day';
      throw badInput(`The range is too long: at most ${most}`, { reason: 'USAGE_RANGE' });
    }
    const manager = this.dataSource.manager;
    if (!(await findInTenant(manager, ApiClient, viewer.tenantId, clientId))) throw apiClientNotFound(clientId);
    const unit = granularity === UsageGranularity.HOUR ? 'hour' : 'day';
    const raw = await inTenant(manager, ApiClientUsageRow, 'u', viewer.tenantId)
      .select(`date_trunc('${unit}', u.hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`, 'start')
      .addSelect('sum(u.requests)::bigint', 'requests')
      .addSelect('sum(u.errors)::bigint', 'errors')
      .addSelect('sum(u.rateLimited)::bigint', 'rateLimited')
      .addSelect('sum(u.cost)::bigint', 'cost')
      .andWhere('u.clientId = :clientId AND u.hour >= :from AND u.hour < :to', { clientId, from, to })
      .groupBy('1')
      .orderBy('1', 'ASC')
      .getRawMany<Record<'start' | (typeof FIGURES)[number], string | Date>>();
    const buckets = raw.map((r) => ({
      start: new Date(r.start),
      requests: Number(r.requests),
      errors: Number(r.errors),
      rateLimited: Number(r.rateLimited),
      cost: Number(r.cost),
    }));
    const total = (figure: (typeof FIGURES)[number]) => buckets.reduce((sum, b) => sum + b[figure], 0);
    return {
      from,
      to,
      granularity,
      buckets,
      requests: total('requests'),
      errors: total('errors'),
      rateLimited: total('rateLimited'),
      cost: total('cost'),
    };
  }
}
