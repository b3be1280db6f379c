import type { Viewer } from '@phub/kit';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { Creative } from './creative.entity.js';
import { CreativeScope } from './creative.scope.js';

@ObjectType({ description: 'A campaign that plays a creative (or will, once its edit in review is approved)' })
export class CreativeUse {
  @Field(() => ID)
  campaignId: string;

  @Field(() => String)
  campaignName: string;

  @Field(() => String, { description: 'The campaign’s status, e.g. LIVE' })
  campaignStatus: string;

  @Field(() => Boolean, { description: 'Only its edit in review uses it' })
  inRevision: boolean;
}

interface UseRow {
  creative_id: string;
  campaign_id: string;
  name: string;
  status: string;
  in_revision: boolean;
}

/** `"schema".` of the creative table, for the campaign tables beside it. */
export function schemaPrefix(dataSource: DataSource): string {
  const path = dataSource.getRepository(Creative).metadata.tablePath;
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : `"${path.slice(0, dot)}".`;
}

/**
 * Where creatives are used: campaigns naming them (and pending revisions that add them), of those campaigns the
 * viewer may see (store roles: tenant-wide ones and their stores'). One query per batch of creatives.
 */
export async function creativeUses(
  dataSource: DataSource,
  viewer: Viewer | null,
  creativeIds: readonly string[],
): Promise<Map<string, CreativeUse[]>> {
  const scope = new CreativeScope(dataSource, viewer);
  scope.assertCanRead();
  const stores = await scope.stores();
  const s = schemaPrefix(dataSource);
  const params: unknown[] = [scope.tenantId, [...creativeIds]];
  let storeFilter = '';
  if (stores !== 'all') {
    params.push([...stores]);
    storeFilter = 'AND (c.store_id IS NULL OR c.store_id = ANY($3::uuid[]))';
  }
  const rows: UseRow[] = await dataSource.query(
    `SELECT DISTINCT ON (u.creative_id, c.id) u.creative_id, c.id AS campaign_id, c.name, c.status, u.in_revision
     FROM (
       SELECT cc.creative_id, cc.campaign_id, false AS in_revision FROM ${s}"campaign_creative" cc
       WHERE cc.creative_id = ANY($2::uuid[])
       UNION ALL
       SELECT unnest(r.creative_ids), r.campaign_id, true FROM ${s}"campaign_revision" r
       WHERE r.status = 'PENDING' AND r.tenant_id = $1 AND r.creative_ids && $2::uuid[]
     ) u
     JOIN ${s}"campaign" c ON c.id = u.campaign_id
     WHERE c.tenant_id = $1 AND u.creative_id = ANY($2::uuid[]) AND c.status <> 'ARCHIVED' ${storeFilter}
     ORDER BY u.creative_id, c.id, u.in_revision`,
    params,
  );
  const byCreative = new Map<string, CreativeUse[]>();
  for (const row of rows) {
    const list = byCreative.get(row.creative_id) ?? [];
    list.push({
      campaignId: row.campaign_id,
      campaignName: row.name,
      campaignStatus: row.status,
      inRevision: row.in_revision,
    });
    byCreative.set(row.creative_id, list);
  }
  for (const list of byCreative.values()) list.sort((a, b) => a.campaignName.localeCompare(b.campaignName));
  return byCreative;
}

/** A per-request loader of creative uses (a page of 100 creatives is one query). */
export function creativeUseLoader(dataSource: DataSource, viewer: Viewer | null) {
  return new DataLoader<string, CreativeUse[]>(async (ids) => {
    const uses = await creativeUses(dataSource, viewer, ids);
    return ids.map((id) => uses.get(id) ?? []);
  });
}

/** SQL (on alias `c` of creative) true when a non-archived campaign or a pending revision names the creative. */
export function usedSql(dataSource: DataSource): string {
  const s = schemaPrefix(dataSource);
  return `(EXISTS (SELECT 1 FROM ${s}"campaign_creative" cc JOIN ${s}"campaign" k ON k.id = cc.campaign_id
            WHERE cc.creative_id = c.id AND k.status <> 'ARCHIVED')
        OR EXISTS (SELECT 1 FROM ${s}"campaign_revision" r
            WHERE r.status = 'PENDING' AND r.tenant_id = c.tenant_id AND c.id = ANY(r.creative_ids)))`;
}
