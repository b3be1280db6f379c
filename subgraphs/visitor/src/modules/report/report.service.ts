import type { DataSource } from 'typeorm';
import type { VisitorScope } from '../../scope.js';
import { tableName } from '../../tables.js';
import { PURPOSES } from '../consent/consent.service.js';
import type { ConsentPurpose } from '../profile/profile.entity.js';
import type { VisitorReport } from './report.types.js';

/** Aggregates for HQ and partners: counts of pseudonymous rows, so erasure (which keeps them) changes none. */
export class VisitorReportService {
  constructor(private readonly dataSource: DataSource) {}

  async report(scope: VisitorScope, from: Date | null, to: Date | null): Promise<VisitorReport> {
    scope.assertCanReadAggregates();
    const t = (name: string) => tableName(this.dataSource, name);
    const tenant = scope.tenantId;
    const [profiles] = (await this.dataSource.query(
      `SELECT count(*)::int AS profiles, count(*) FILTER (WHERE "erased_at" IS NOT NULL)::int AS erased
         FROM ${t('profile')} WHERE "tenant_id" = $1 AND "merged_into" IS NULL`,
      [tenant],
    )) as { profiles: number; erased: number }[];
    const stores = (await this.dataSource.query(
      `SELECT "store_id" AS "storeId", count(*)::int AS "checkIns", count(DISTINCT "profile_id")::int AS "visitors"
         FROM ${t('visit')} WHERE "tenant_id" = $1 AND ($2::timestamptz IS NULL OR "at" >= $2)
          AND ($3::timestamptz IS NULL OR "at" < $3)
        GROUP BY "store_id" ORDER BY "store_id"`,
      [tenant, from, to],
    )) as { storeId: string; checkIns: number; visitors: number }[];
    const [totals] = (await this.dataSource.query(
      `SELECT count(*)::int AS "checkIns", count(DISTINCT "profile_id")::int AS "visitors"
         FROM ${t('visit')} WHERE "tenant_id" = $1 AND ($2::timestamptz IS NULL OR "at" >= $2)
          AND ($3::timestamptz IS NULL OR "at" < $3)`,
      [tenant, from, to],
    )) as { checkIns: number; visitors: number }[];
    const consents = (await this.dataSource.query(
      `SELECT "purpose", count(*)::int AS n FROM (
         SELECT DISTINCT ON (c."profile_id", c."purpose") c."purpose", c."granted"
           FROM ${t('consent_event')} c JOIN ${t('profile')} p ON p."id" = c."profile_id" AND p."erased_at" IS NULL
          WHERE c."tenant_id" = $1 ORDER BY c."profile_id", c."purpose", c."at" DESC, c."id" DESC) cur
        WHERE "granted" GROUP BY "purpose"`,
      [tenant],
    )) as { purpose: ConsentPurpose; n: number }[];
    return {
      profiles: profiles?.profiles ?? 0,
      erasedProfiles: profiles?.erased ?? 0,
      checkIns: totals?.checkIns ?? 0,
      visitors: totals?.visitors ?? 0,
      consents: PURPOSES.map((purpose) => ({ purpose, granted: consents.find((c) => c.purpose === purpose)?.n ?? 0 })),
      stores,
    };
  }
}
