import { badInput, notFound, Role, scopeRule, writeScope } from '@phub/kit';
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { ProximityContext } from './context.js';
import { MapMistSiteInput, MistConnection, MistSite, storeRef, UnknownMistSite } from './graph.types.js';
import { type ConnectionKeys, hashDevice } from './keys.js';
import { deviceOf, mac as macSchema } from './mist.js';
import type { SiteDirectory } from './sites.js';
import { HQ, HQ_ADMIN, type ProximityScope } from './scope.js';
import { tableName } from './tables.js';
import { MIST_WEBHOOK_PATH } from './webhook.route.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MIST_ID = /^[A-Za-z0-9-]{1,100}$/;
const MAX_ZONES = 200;

/** HQ's view and changes of the tenant's Mist connection: secret (sealed), site → store and zone → zone maps. */
export class MappingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: ConnectionKeys,
    private readonly directory: SiteDirectory,
  ) {}

  async connection(scope: ProximityScope): Promise<MistConnection> {
    const tenantId = scope.tenantId;
    const t = (name: string) => tableName(this.dataSource, name);
    const [conn] = (await this.dataSource.query(
      `SELECT "sealed_secret" IS NOT NULL AS "set" FROM ${t('mist_connection')} WHERE "tenant_id" = $1`,
      [tenantId],
    )) as { set: boolean }[];
    const unknown = (await this.dataSource.query(
      `SELECT "mist_site_id", "events", "last_seen_at" FROM ${t('unknown_site')} u
       WHERE "tenant_id" = $1 AND NOT EXISTS (SELECT 1 FROM ${t('mist_site')} s WHERE s."tenant_id" = u."tenant_id" AND s."mist_site_id" = u."mist_site_id")
       ORDER BY "last_seen_at" DESC LIMIT 100`,
      [tenantId],
    )) as { mist_site_id: string; events: string; last_seen_at: Date }[];
    return Object.assign(new MistConnection(), {
      webhookPath: `${MIST_WEBHOOK_PATH}/${tenantId}`,
      secretSet: conn?.set ?? false,
      sites: await this.sites(tenantId),
      unknownSites: unknown.map((u) =>
        Object.assign(new UnknownMistSite(), {
          mistSiteId: u.mist_site_id,
          events: Number(u.events),
          lastSeenAt: u.last_seen_at,
        }),
      ),
    });
  }

  async setSecret(scope: ProximityScope, secret: string): Promise<MistConnection> {
    if (secret.length < 16 || secret.length > 256)
      throw badInput('The webhook secret must have 16 to 256 characters', { fields: [{ field: 'secret' }] });
    await this.keys.setSecret(scope.tenantId, secret);
    return this.connection(scope);
  }

  /**
   * A device's hash as the webhook makes it, for linking the device to a visitor (DEVICE_MAC_HASH) by an app or CDP
   * that knows its MAC or Mist SDK client id. Nothing is stored; the key never leaves this subgraph.
   */
  async deviceHash(scope: ProximityScope, mac: string | null, sdkClientId: string | null): Promise<string> {
    if ((mac == null) === (sdkClientId == null)) {
      throw badInput('Give exactly one of mac and sdkClientId', {
        fields: [{ field: 'mac' }, { field: 'sdkClientId' }],
      });
    }
    let device: string;
    if (mac != null) {
      const parsed = macSchema.safeParse(mac);
      if (!parsed.success) throw badInput('mac must be a 12-digit hex MAC', { fields: [{ field: 'mac' }] });
      device = deviceOf({ mac: parsed.data });
    } else {
      if (!/^[\x21-\x7e]{1,100}$/.test(sdkClientId!)) {
        throw badInput('sdkClientId must be 1 to 100 printable characters', { fields: [{ field: 'sdkClientId' }] });
      }
      device = deviceOf({ id: sdkClientId! });
    }
    const connection = await this.keys.get(scope.tenantId);
    if (!connection) throw notFound('MistConnection', scope.tenantId);
    return hashDevice(connection.macKey, device);
  }

  async mapSite(scope: ProximityScope, input: MapMistSiteInput): Promise<MistSite> {
    const tenantId = scope.tenantId;
    const fields: { field: string; message: string }[] = [];
    if (!MIST_ID.test(input.mistSiteId)) fields.push({ field: 'mistSiteId', message: 'a Mist site id' });
    if (!UUID.test(input.storeId)) fields.push({ field: 'storeId', message: 'a store id' });
    if (input.zones.length > MAX_ZONES) fields.push({ field: 'zones', message: `at most ${MAX_ZONES}` });
    input.zones.forEach((z, i) => {
      if (!MIST_ID.test(z.mistZoneId)) fields.push({ field: `zones[${i}].mistZoneId`, message: 'a Mist zone id' });
      if (!UUID.test(z.zoneId)) fields.push({ field: `zones[${i}].zoneId`, message: 'a zone id' });
    });
    if (new Set(input.zones.map((z) => z.mistZoneId)).size !== input.zones.length)
      fields.push({ field: 'zones', message: 'each Mist zone once' });
    if (fields.length) throw badInput('The site mapping is not valid', { fields });
    const t = (name: string) => tableName(this.dataSource, name);
    // A store of the caller's tenant, as location announced it (another tenant's store is simply unknown).
    const [store] = (await this.dataSource.query(
      `SELECT 1 FROM ${t('known_store')} WHERE "id" = $1 AND "tenant_id" = $2 AND "archived_at" IS NULL`,
      [input.storeId, tenantId],
    )) as unknown[];
    if (!store) throw notFound('Store', input.storeId);
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO ${t('mist_site')} ("tenant_id", "mist_site_id", "store_id") VALUES ($1, $2, $3)
         ON CONFLICT ("tenant_id", "mist_site_id") DO UPDATE SET "store_id" = EXCLUDED."store_id"`,
        [tenantId, input.mistSiteId, input.storeId],
      );
      await m.query(`DELETE FROM ${t('mist_zone')} WHERE "tenant_id" = $1 AND "mist_site_id" = $2`, [
        tenantId,
        input.mistSiteId,
      ]);
      for (const z of input.zones)
        await m.query(
          `INSERT INTO ${t('mist_zone')} ("tenant_id", "mist_site_id", "mist_zone_id", "zone_id") VALUES ($1, $2, $3, $4)`,
          [tenantId, input.mistSiteId, z.mistZoneId, z.zoneId],
        );
    });
    this.directory.forget(tenantId);
    const [site] = await this.sites(tenantId, input.mistSiteId);
    return site!;
  }

  async unmapSite(scope: ProximityScope, mistSiteId: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      // As a CTE: TypeORM answers a bare DELETE with [rows, count], a SELECT with the rows.
      `WITH gone AS (DELETE FROM ${tableName(this.dataSource, 'mist_site')} WHERE "tenant_id" = $1 AND "mist_site_id" = $2 RETURNING 1)
       SELECT * FROM gone`,
      [scope.tenantId, mistSiteId],
    )) as unknown[];
    this.directory.forget(scope.tenantId);
    if (!rows.length) throw notFound('MistSite', mistSiteId);
    return true;
  }

  private async sites(tenantId: string, only?: string): Promise<MistSite[]> {
    const rows = (await this.dataSource.query(
      `SELECT s."mist_site_id", s."store_id", z."mist_zone_id", z."zone_id"
       FROM ${tableName(this.dataSource, 'mist_site')} s
       LEFT JOIN ${tableName(this.dataSource, 'mist_zone')} z USING ("tenant_id", "mist_site_id")
       WHERE s."tenant_id" = $1 AND ($2::text IS NULL OR s."mist_site_id" = $2)
       ORDER BY s."mist_site_id", z."mist_zone_id"`,
      [tenantId, only ?? null],
    )) as { mist_site_id: string; store_id: string; mist_zone_id: string | null; zone_id: string | null }[];
    const sites = new Map<string, MistSite>();
    for (const r of rows) {
      let site = sites.get(r.mist_site_id);
      if (!site) {
        site = Object.assign(new MistSite(), {
          mistSiteId: r.mist_site_id,
          storeId: r.store_id,
          store: storeRef(r.store_id),
          zones: [],
        });
        sites.set(r.mist_site_id, site);
      }
      if (r.mist_zone_id && r.zone_id) site.zones.push({ mistZoneId: r.mist_zone_id, zoneId: r.zone_id });
    }
    return [...sites.values()];
  }
}

@Resolver()
export class MappingResolver {
  constructor(private readonly mappings: MappingService) {}

  @Authorized(...HQ)
  @Query(() => MistConnection, { description: 'The tenant’s Mist webhook and site mappings (HQ)' })
  mistConnection(@Ctx() ctx: ProximityContext): Promise<MistConnection> {
    return this.mappings.connection(ctx.scope);
  }

  @Authorized(...HQ_ADMIN)
  @Mutation(() => MistConnection, {
    description:
      'Sets the secret Mist signs webhooks with (X-Mist-Signature-v2); sealed at rest, never shown again (HQ admins)',
  })
  setMistWebhookSecret(@Ctx() ctx: ProximityContext, @Arg('secret', () => String) secret: string) {
    return this.mappings.setSecret(ctx.scope, secret);
  }

  @Authorized(Role.HQ_ADMIN, scopeRule(writeScope('visitor')))
  @Query(() => String, {
    description:
      'A device’s pseudonymous hash as the Mist webhook makes it (HMAC-SHA256 under the tenant’s key), to link the ' +
      'device to a visitor as a DEVICE_MAC_HASH identifier: a consenting visitor’s segments then reach the moments ' +
      'that device makes. Give its MAC or Mist SDK client id; nothing is stored (HQ admins, partners with visitor:write)',
  })
  mistDeviceHash(
    @Ctx() ctx: ProximityContext,
    @Arg('mac', () => String, { nullable: true }) mac: string | null,
    @Arg('sdkClientId', () => String, { nullable: true }) sdkClientId: string | null,
  ): Promise<string> {
    return this.mappings.deviceHash(ctx.scope, mac ?? null, sdkClientId ?? null);
  }

  @Authorized(...HQ_ADMIN)
  @Mutation(() => MistSite, {
    description: 'Maps a Mist site to a store and its Mist zones to the store’s zones (HQ admins)',
  })
  mapMistSite(@Ctx() ctx: ProximityContext, @Arg('input', () => MapMistSiteInput) input: MapMistSiteInput) {
    return this.mappings.mapSite(ctx.scope, input);
  }

  @Authorized(...HQ_ADMIN)
  @Mutation(() => Boolean, { description: 'Removes a site mapping: its events are rejected again (HQ admins)' })
  unmapMistSite(@Ctx() ctx: ProximityContext, @Arg('mistSiteId', () => String) mistSiteId: string) {
    return this.mappings.unmapSite(ctx.scope, mistSiteId);
  }
}
