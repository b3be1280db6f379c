import { defineSubgraph, Envelope, KmsMasterKey, LocalMasterKey, type SubgraphContext } from '@phub/kit';
import { DisplayCommandResolver } from './modules/command/command.resolver.js';
import { DisplayCommand } from './modules/command/command.entity.js';
import { DisplayCommandService } from './modules/command/command.service.js';
import { PlaybackDisplayCommands1764000000450 } from './migrations/1764000000450-playback-display-commands.js';
import { PlaybackFleetNames1764000000470 } from './migrations/1764000000470-playback-fleet-names.js';
import type { PlaybackContext } from './context.js';
import { playbackEnvSchema, type PlaybackEnv } from './env.js';
import { createPlaybackMetrics, type PlaybackMetrics } from './metrics.js';
import { PlaybackInitial1764000000400 } from './migrations/1764000000400-playback-initial.js';
import { PlaybackReportRollups1764000000410 } from './migrations/1764000000410-playback-report-rollups.js';
import { PlaybackStoreHours1764000000420 } from './migrations/1764000000420-playback-store-hours.js';
import { PlaybackKnownCampaign1764000000430 } from './migrations/1764000000430-playback-known-campaign.js';
import { PlaybackWebhooks1764000000440 } from './migrations/1764000000440-playback-webhooks.js';
import { Alert } from './modules/alert/alert.entity.js';
import { AlertResolver } from './modules/alert/alert.resolver.js';
import { AlertService } from './modules/alert/alert.service.js';
import { AlertWebhooks, PlaybackWebhookEvent } from './modules/alert/alert.webhooks.js';
import { DisplayState, ExpectedPlaylist } from './modules/health/display-state.entity.js';
import { CreativeReference, Display } from './modules/health/display.types.js';
import { FleetResolver } from './modules/fleet/fleet.resolver.js';
import { FleetService } from './modules/fleet/fleet.service.js';
import { HealthResolver } from './modules/health/health.resolver.js';
import { displayLoader, HealthService } from './modules/health/health.service.js';
import { IngestResolver } from './modules/ingest/ingest.resolver.js';
import { IngestService } from './modules/ingest/ingest.service.js';
import { PlaybackWriter } from './modules/ingest/ingest.writer.js';
import { NotificationSettings, SentMessage } from './modules/notification/notification.entity.js';
import { NotificationResolver } from './modules/notification/notification.resolver.js';
import { NotificationService } from './modules/notification/notification.service.js';
import { KnownDisplay } from './modules/projection/projection.entity.js';
import { PlaybackProjection } from './modules/projection/projection.service.js';
import { ReportResolver } from './modules/report/report.resolver.js';
import { ReportService } from './modules/report/report.service.js';
import { playbackHealthSweepJob } from './modules/health/health.job.js';
import { playbackRollupRepairJob } from './modules/report/report.job.js';
import { RollupRepair } from './modules/report/report.repair.js';
import { playbackRetentionJob } from './modules/retention/retention.job.js';
import { PlaybackRetention } from './modules/retention/retention.service.js';
import { mountPlaybackRoutes } from './routes.js';
import { PlaybackScope } from './scope.js';
import { tableName } from './tables.js';

export { ConsumedTopic, PlaybackTopic, type PlaybackBatch, type PlaylistVersionEvent } from './events.js';
export { loadPlaybackEnv, playbackEnvSchema, type PlaybackEnv } from './env.js';
export { systemClock, type Clock, type Timer } from '@phub/kit';

/** Playback's test seam: webhook secrets' key sealed by this instead of KMS or DATA_DIR's master key. */
export interface PlaybackOptions {
  envelope?: Envelope;
}
type PlaybackSetup = SubgraphContext<PlaybackEnv, PlaybackMetrics, PlaybackOptions>;

/**
 * The playback subgraph (Location Toolkit): proof-of-play and heartbeat ingestion, display health and
 * alerts with notifications, and playback reports.
 */
/** 1 MB of picture: a 1080p JPEG at the player's quality, with room; within the 2 MB body once base64-encoded. */
const SCREENSHOT_MAX_BYTES = 1024 * 1024;

export const playback = defineSubgraph({
  name: 'playback',
  schema: 'playback',
  port: { variable: 'PLAYBACK_PORT', default: 4004 },
  env: playbackEnvSchema,
  entities: [KnownDisplay, DisplayState, ExpectedPlaylist, Alert, NotificationSettings, SentMessage, DisplayCommand],
  migrations: [
    PlaybackInitial1764000000400,
    PlaybackReportRollups1764000000410,
    PlaybackStoreHours1764000000420,
    PlaybackKnownCampaign1764000000430,
    PlaybackWebhooks1764000000440,
    PlaybackDisplayCommands1764000000450,
    PlaybackFleetNames1764000000470,
  ],
  metrics: createPlaybackMetrics,
  services: ({ dataSource: ds, infra, env, clock, metrics, logger, webhooks }: PlaybackSetup) => {
    const notifications = new NotificationService(ds, clock, metrics, logger, {
      topicArn: env.SNS_TOPIC_ARN,
      region: env.SNS_REGION,
      endpoint: env.SNS_ENDPOINT,
    });
    return {
      notifications,
      // Also the health evaluator: each written batch's display here, every display in the worker's sweep.
      alerts: new AlertService(ds, infra.pubsub, notifications, new AlertWebhooks(webhooks), clock, metrics, logger, {
        offlineAfterMs: env.PLAYBACK_OFFLINE_AFTER_SECONDS * 1000,
        versionGraceMs: env.PLAYBACK_VERSION_GRACE_SECONDS * 1000,
        staleAfterMs: env.PLAYBACK_STALE_AFTER_MINUTES * 60_000,
      }),
      health: new HealthService(),
      fleet: new FleetService(ds),
      ingest: new IngestService(
        ds,
        infra.bus,
        clock,
        metrics,
        env.PLAYBACK_MAX_BATCH,
        env.PLAYBACK_MAX_EVENT_AGE_DAYS * 86_400_000,
      ),
      reports: new ReportService(ds, env.PLAYBACK_REPORT_MAX_DAYS),
      commands: new DisplayCommandService(ds, infra.pubsub, clock, {
        ttlMs: env.PLAYBACK_COMMAND_TTL_SECONDS * 1000,
        maxScreenshotBytes: SCREENSHOT_MAX_BYTES,
      }),
    };
  },
  resolvers: [
    [IngestResolver, (s) => new IngestResolver(s.ingest)],
    [AlertResolver, (s) => new AlertResolver(s.alerts)],
    [HealthResolver, (s) => new HealthResolver(s.health)],
    [FleetResolver, (s) => new FleetResolver(s.fleet)],
    [NotificationResolver, (s) => new NotificationResolver(s.notifications)],
    [ReportResolver, (s) => new ReportResolver(s.reports)],
    [DisplayCommandResolver, (s) => new DisplayCommandResolver(s.commands)],
  ],
  // Display (location's entity, extended here) is reachable from root fields, but list it all the same.
  orphanedTypes: [Display, CreativeReference],
  context: ({ requestId, logger, viewer }, s, { dataSource, infra }): PlaybackContext => {
    const scope = new PlaybackScope(dataSource, viewer);
    const loaders = { display: displayLoader(scope) };
    return { requestId, logger, viewer, scope, loaders, pubsub: infra.pubsub, health: s.health, commands: s.commands };
  },
  references: {
    Display: (ref, ctx) => ctx.loaders.display.load(ref.id),
  },
  // Players send batches of plays and heartbeats, and screenshots (at most SCREENSHOT_MAX_BYTES, base64).
  bodyLimit: '2mb',
  routes: (http, s, { dataSource, logger, verifier }) =>
    mountPlaybackRoutes(http.app, http.jsonBody(), {
      dataSource,
      verifier,
      ingest: s.ingest,
      reports: s.reports,
      logger,
    }),
  consumers: (s, { dataSource, metrics, logger }) => [
    new PlaybackProjection(dataSource, logger),
    // Each written batch re-evaluates its display's health at once.
    new PlaybackWriter(dataSource, metrics, logger, (batch) =>
      s.alerts.evaluate({ tenantId: batch.tenantId, displayIds: [batch.displayId] }),
    ),
  ],
  // Run by the worker: timed, durable, once across replicas, visible to HQ admins.
  jobs: (s, { dataSource, clock, env, logger }) => [
    playbackHealthSweepJob(s.alerts, env.PLAYBACK_EVALUATE_EVERY_SECONDS),
    playbackRetentionJob(
      new PlaybackRetention(dataSource, clock, logger, { rawRetentionDays: env.PLAYBACK_RAW_RETENTION_DAYS }),
    ),
    playbackRollupRepairJob(new RollupRepair(dataSource, clock, logger, { days: env.PLAYBACK_ROLLUP_REPAIR_DAYS })),
  ],
  // Alerts to partners' (and HQ's, store managers') endpoints: the kit's registry in this schema; each alert's
  // transition fans out in its own transaction (modules/alert/alert.webhooks.ts). Playback has no alert topic.
  webhooks: {
    family: 'playback',
    events: PlaybackWebhookEvent,
    describe: 'display alert events',
    subjectField: 'alertId',
    scope: (ctx: PlaybackContext) => ctx.scope,
    settings: (env) => ({
      maxAttempts: env.PLAYBACK_WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: env.PLAYBACK_WEBHOOK_RETRY_BASE_SECONDS * 1000,
      retryCapMs: env.PLAYBACK_WEBHOOK_RETRY_MAX_SECONDS * 1000,
      timeoutMs: env.PLAYBACK_WEBHOOK_TIMEOUT_MS,
      allowPrivate: env.PLAYBACK_WEBHOOK_ALLOW_PRIVATE,
    }),
    envelope: ({ options, env, infra }: PlaybackSetup) =>
      options.envelope ??
      new Envelope(env.KMS_KEY_ID ? new KmsMasterKey(env.KMS_KEY_ID) : LocalMasterKey.loadOrCreate(infra.env.DATA_DIR)),
    // A store playback knows: from location's stores, or one of its displays stands in.
    storeExists:
      ({ dataSource }) =>
      async (tenantId, storeId) =>
        (
          (await dataSource.query(
            `SELECT EXISTS (SELECT 1 FROM ${tableName(dataSource, 'known_store')} WHERE "id" = $1 AND "tenant_id" = $2)
                 OR EXISTS (SELECT 1 FROM ${tableName(dataSource, 'known_display')} WHERE "store_id" = $1 AND "tenant_id" = $2)
               AS "known"`,
            [storeId, tenantId],
          )) as { known: boolean }[]
        )[0]?.known === true,
  },
  handle: (p) => ({
    metrics: p.metrics,
    /** Runs the health sweep (what `playback.health-sweep` runs) once now, for tests and diagnostics. */
    async evaluate() {
      await p.running()?.alerts.sweep();
    },
  }),
});

/** Playback's jobs (health sweep, raw play retention, rollup repair), for the worker target. */
export const playbackJobs = playback.jobSource();

export const PLAYBACK_SCHEMA = playback.schema;
export const playbackEntities = playback.entities;
export const playbackMigrations = playback.migrations;
export const buildPlaybackSchema = playback.buildSchema;
export const createPlaybackService = playback.create;
export type PlaybackServiceHandle = ReturnType<typeof createPlaybackService>;
