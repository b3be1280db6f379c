import type { Clock } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { tableName } from './tables.js';

/** A mapped Mist site: its store and its Mist zone → location zone map. */
export interface Site {
  storeId: string;
  zones: Map<string, string>;
}

/**
 * Each tenant's Mist site and zone mappings, kept in memory for `ttlMs` so a webhook message costs no lookup. A
 * mapping changed through this replica is forgotten at once; one changed through another replica is seen here
 * within `ttlMs` (HQ maps sites rarely; Mist posts many times a second).
 */
export class SiteDirectory {
  private readonly tenants = new Map<string, { loadedAt: number; sites: Promise<Map<string, Site>> }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async sitesOf(tenantId: string): Promise<Map<string, Site>> {
    const now = this.clock.now();
    const cached = this.tenants.get(tenantId);
    if (cached && now - cached.loadedAt < this.ttlMs) return cached.sites;
    const sites = this.load(tenantId);
    this.tenants.set(tenantId, { loadedAt: now, sites });
    sites.catch(() => this.tenants.delete(tenantId));
    return sites;
  }

  /** Called after a mapping of the tenant changed on this replica. */
  forget(tenantId: string): void {
    this.tenants.delete(tenantId);
  }

  private async load(tenantId: string): Promise<Map<string, Site>> {
    const rows = (await this.dataSource.query(
      `SELECT s."mist_site_id", s."store_id", z."mist_zone_id", z."zone_id"
       FROM ${tableName(this.dataSource, 'mist_site')} s
       LEFT JOIN ${tableName(this.dataSource, 'mist_zone')} z USING ("tenant_id", "mist_site_id")
       WHERE s."tenant_id" = $1`,
      [tenantId],
    )) as { mist_site_id: string; store_id: string; mist_zone_id: string | null; zone_id: string | null }[];
    const sites = new Map<string, Site>();
    for (const r of rows) {
      let site = sites.get(r.mist_site_id);
      if (!site) sites.set(r.mist_site_id, (site = { storeId: r.store_id, zones: new Map() }));
      if (r.mist_zone_id && r.zone_id) site.zones.set(r.mist_zone_id, r.zone_id);
    }
    return sites;
  }
}
