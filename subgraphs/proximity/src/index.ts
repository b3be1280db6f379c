import {
  defineSubgraph,
  Envelope,
  KmsMasterKey,
  LocalMasterKey,
  type SubgraphContext,
  type SubgraphOptions,
} from '@phub/kit';
import type { ProximityContext } from './context.js';
import { seedDemoData } from './demo/demo-data.js';
import { proximityEnvSchema, type ProximityEnv } from './env.js';
import { Store, storeRef } from './graph.types.js';
import { IngestService } from './ingest.js';
import { ConnectionKeys } from './keys.js';
import { MappingResolver, MappingService } from './mapping.js';
import { createProximityMetrics, type ProximityMetrics } from './metrics.js';
import { ProximityInitial1764000000800 } from './migrations/1764000000800-proximity-initial.js';
import { ProximityZoneMoment1764000000801 } from './migrations/1764000000801-proximity-zone-moment.js';
import { StoreProjection } from './projection.js';
import { ReportResolver, ReportService } from './report.js';
import { proximityRetentionJob } from './retention.job.js';
import { ProximityScope } from './scope.js';
import { DeviceSegmentProjection, deviceSegments, type SegmentSource } from './segments.js';
import { SiteDirectory } from './sites.js';
import { mountMistWebhook } from './webhook.route.js';

export { loadProximityEnv, proximityEnvSchema, type ProximityEnv } from './env.js';
export { MIST_SIGNATURE_HEADER, signMist, verifyMist } from './mist.js';
export { MIST_WEBHOOK_PATH } from './webhook.route.js';
export { DEMO_MIST_SECRET, DEMO_MIST_ZONES, DEMO_STORES, demoMistSiteId, demoMistZoneId } from './demo/demo-data.js';
export type { SegmentSource } from './segments.js';

/** Proximity's test seams: the master key, and where a device's segments come from. */
interface ProximityOptions {
  envelope?: Envelope;
  segments?: SegmentSource;
}
type ProximitySetup = SubgraphContext<ProximityEnv, ProximityMetrics, ProximityOptions>;

// Mist posts at most this much per message (its batches are small; this leaves room for 1,000 events).
const WEBHOOK_BODY_LIMIT = 1024 * 1024;
// Site mappings changed through another replica reach this one's webhook within this time (this one's: at once).
const SITE_CACHE_MS = 5_000;

function createServices(ctx: ProximitySetup) {
  const { dataSource: ds, env, infra, options, clock, metrics, logger, nudgeOutbox } = ctx;
  const envelope =
    options.envelope ??
    new Envelope(env.KMS_KEY_ID ? new KmsMasterKey(env.KMS_KEY_ID) : LocalMasterKey.loadOrCreate(infra.env.DATA_DIR));
  const keys = new ConnectionKeys(ds, envelope);
  const directory = new SiteDirectory(ds, clock, SITE_CACHE_MS);
  return {
    keys,
    mappings: new MappingService(ds, keys, directory),
    reports: new ReportService(ds, env.PROXIMITY_REPORT_MAX_DAYS),
    ingest: new IngestService(
      ds,
      keys,
      directory,
      options.segments ?? deviceSegments,
      clock,
      metrics,
      logger,
      nudgeOutbox,
      {
        momentSeconds: env.PROXIMITY_MOMENT_SECONDS,
        momentRefreshSeconds: Math.min(env.PROXIMITY_MOMENT_REFRESH_SECONDS, env.PROXIMITY_MOMENT_SECONDS),
        presenceMaxMinutes: env.PROXIMITY_PRESENCE_MAX_MINUTES,
        maxEvents: env.PROXIMITY_MAX_EVENTS_PER_MESSAGE,
      },
    ),
  };
}

/**
 * The proximity subgraph (MIST): a Mist-compatible webhook receiver, Mist site and zone mappings, footfall and
 * dwell reports, and presence moments (`presence.moment.v1`) for campaigns' SEGMENT and PROXIMITY_ZONE rules.
 */
export const proximity = defineSubgraph({
  name: 'proximity',
  schema: 'proximity',
  port: { variable: 'PROXIMITY_PORT', default: 4006 },
  env: proximityEnvSchema,
  entities: [],
  migrations: [ProximityInitial1764000000800, ProximityZoneMoment1764000000801],
  // Moments are written with the events that cause them, and relayed to the bus.
  outbox: true,
  metrics: createProximityMetrics,
  services: (ctx: ProximitySetup) => createServices(ctx),
  resolvers: [
    [MappingResolver, (s) => new MappingResolver(s.mappings)],
    [ReportResolver, (s) => new ReportResolver(s.reports)],
  ],
  orphanedTypes: [Store],
  context: ({ requestId, logger, viewer }): ProximityContext => ({
    requestId,
    logger,
    viewer,
    scope: new ProximityScope(viewer),
  }),
  references: { Store: (ref) => storeRef(ref.id) },
  routes: (http, s, { logger }) => mountMistWebhook(http, s.ingest, logger, WEBHOOK_BODY_LIMIT),
  consumers: (_s, { dataSource, logger }) => [
    new StoreProjection(dataSource, logger),
    new DeviceSegmentProjection(dataSource, logger),
  ],
  jobs: (_s, { dataSource, env, clock }) => [
    proximityRetentionJob(dataSource, env.PROXIMITY_EVENT_RETENTION_DAYS, () => new Date(clock.now())),
  ],
  demoData: { seed: (s, { dataSource, logger }) => seedDemoData(dataSource, s.keys, logger) },
});

export const PROXIMITY_SCHEMA = proximity.schema;
export const proximityJobs = proximity.jobSource();
export { PROXIMITY_RETENTION_JOB } from './retention.job.js';
export const buildProximitySchema = proximity.buildSchema;
export const createProximityService = proximity.create;
export type ProximityServiceOptions = SubgraphOptions<ProximityEnv, ProximityOptions>;
export type ProximityServiceHandle = ReturnType<typeof createProximityService>;
