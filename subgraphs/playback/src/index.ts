import {
  authChecker,
  authenticate,
  buildFederatedSchema,
  createMemoryPubSub,
  GraphQLServer,
  openDatabase,
  type BusSubscription,
  type Infra,
  type PlatformPubSub,
  type Service,
  type TokenVerifier,
} from '@phub/kit';
import type { GraphQLSchema } from 'graphql';
import type { ContainerType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { type Clock, systemClock } from '@phub/kit';
import type { PlaybackContext } from './context.js';
import { loadPlaybackEnv, type PlaybackEnv } from './env.js';
import { createPlaybackMetrics, type PlaybackMetrics } from './metrics.js';
import { PlaybackInitial1764000000400 } from './migrations/1764000000400-playback-initial.js';
import { PlaybackReportRollups1764000000410 } from './migrations/1764000000410-playback-report-rollups.js';
import { PlaybackStoreHours1764000000420 } from './migrations/1764000000420-playback-store-hours.js';
import { Alert } from './modules/alert/alert.entity.js';
import { AlertResolver } from './modules/alert/alert.resolver.js';
import { AlertService } from './modules/alert/alert.service.js';
import { DisplayState, ExpectedPlaylist } from './modules/health/display-state.entity.js';
import { Display } from './modules/health/display.types.js';
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
import { mountPlaybackRoutes } from './routes.js';
import { PlaybackScope } from './scope.js';

export { ConsumedTopic, PlaybackTopic, type PlaybackBatch, type PlaylistVersionEvent } from './events.js';
export { loadPlaybackEnv, playbackEnvSchema, type PlaybackEnv } from './env.js';
export { systemClock, type Clock, type Timer } from '@phub/kit';

export const PLAYBACK_SCHEMA = 'playback';
export const playbackEntities = [
  KnownDisplay,
  DisplayState,
  ExpectedPlaylist,
  Alert,
  NotificationSettings,
  SentMessage,
];
export const playbackMigrations = [
  PlaybackInitial1764000000400,
  PlaybackReportRollups1764000000410,
  PlaybackStoreHours1764000000420,
];

interface PlaybackServices {
  ingest: IngestService;
  alerts: AlertService;
  health: HealthService;
  notifications: NotificationService;
  reports: ReportService;
}

const resolvers = [IngestResolver, AlertResolver, HealthResolver, NotificationResolver, ReportResolver] as const;

/** Resolvers get their services from here (type-graphql's container hook). */
function containerFor(services: PlaybackServices | null): ContainerType {
  // Only the schema printer runs without services, and it calls no resolver.
  const s = (services ?? {}) as PlaybackServices;
  const instances = new Map<unknown, unknown>([
    [IngestResolver, new IngestResolver(s.ingest)],
    [AlertResolver, new AlertResolver(s.alerts)],
    [HealthResolver, new HealthResolver(s.health)],
    [NotificationResolver, new NotificationResolver(s.notifications)],
    [ReportResolver, new ReportResolver(s.reports)],
  ]);
  return { get: (cls) => instances.get(cls) };
}

function buildSchemaWith(services: PlaybackServices | null, pubSub: PlatformPubSub): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [...resolvers],
      // Display (location's entity, extended here) is reachable from root fields, but list it all the same.
      orphanedTypes: [Display],
      pubSub,
      container: containerFor(services),
      authChecker,
      validate: { forbidUnknownValues: false },
    },
    {
      Display: {
        __resolveReference: (ref: { id: string }, ctx: PlaybackContext) => ctx.loaders.display.load(ref.id),
      },
    },
  );
}

/** The subgraph schema, for printing SDL (`pnpm compose`); needs no database. */
export function buildPlaybackSchema(): Promise<GraphQLSchema> {
  return buildSchemaWith(null, createMemoryPubSub());
}

export interface PlaybackServiceOptions {
  port: number;
  host?: string;
  /** Accepted for symmetry with the other services; playback has no demo rows of its own. */
  demoData?: boolean;
  /** Verifies access tokens (JWKS of the auth service, revocations in the shared cache). */
  verifier: TokenVerifier;
  /** Playback settings; parsed from the process environment when omitted. */
  env?: PlaybackEnv;
  /** Time for ingestion checks and the health evaluator; tests move it by hand. */
  clock?: Clock;
}

export interface PlaybackServiceHandle extends Service {
  readonly url: string;
  readonly metrics: PlaybackMetrics;
  /** Runs the health evaluator once now (tests, diagnostics) and resolves when it is done. */
  evaluate(): Promise<void>;
}

/**
 * The playback subgraph (Location Toolkit): proof-of-play and heartbeat ingestion, display health and
 * alerts with notifications, and playback reports.
 */
export function createPlaybackService(infra: Infra, options: PlaybackServiceOptions): PlaybackServiceHandle {
  const env = options.env ?? loadPlaybackEnv();
  const clock = options.clock ?? systemClock;
  const logger = infra.logger.child({ service: 'playback' });
  const metrics = createPlaybackMetrics();
  let dataSource: DataSource | undefined;
  let server: GraphQLServer<PlaybackContext> | undefined;
  let alerts: AlertService | undefined;
  const subscriptions: BusSubscription[] = [];

  return {
    name: 'playback',
    metrics,
    get url() {
      if (!server) throw new Error('playback is not started');
      return server.url;
    },
    async evaluate() {
      await alerts?.evaluate();
    },
    async start() {
      dataSource = await openDatabase({
        url: infra.databaseUrl,
        schema: PLAYBACK_SCHEMA,
        entities: playbackEntities,
        migrations: playbackMigrations,
        logger,
      });
      const ds = dataSource;
      const notifications = new NotificationService(ds, clock, metrics, logger, {
        topicArn: env.SNS_TOPIC_ARN,
        region: env.SNS_REGION,
        endpoint: env.SNS_ENDPOINT,
      });
      const alertService = new AlertService(ds, infra.pubsub, notifications, clock, metrics, logger, {
        offlineAfterMs: env.PLAYBACK_OFFLINE_AFTER_SECONDS * 1000,
        versionGraceMs: env.PLAYBACK_VERSION_GRACE_SECONDS * 1000,
        staleAfterMs: env.PLAYBACK_STALE_AFTER_MINUTES * 60_000,
        everyMs: env.PLAYBACK_EVALUATE_EVERY_SECONDS * 1000,
      });
      alerts = alertService;
      const health = new HealthService();
      const services: PlaybackServices = {
        ingest: new IngestService(
          ds,
          infra.bus,
          clock,
          metrics,
          env.PLAYBACK_MAX_BATCH,
          env.PLAYBACK_MAX_EVENT_AGE_DAYS * 86_400_000,
        ),
        alerts: alertService,
        health,
        notifications,
        reports: new ReportService(ds, env.PLAYBACK_REPORT_MAX_DAYS),
      };
      server = new GraphQLServer<PlaybackContext>({
        name: 'playback',
        schema: await buildSchemaWith(services, infra.pubsub),
        logger,
        metrics,
        bodyLimit: '2mb',
        readiness: [{ name: 'postgres', check: () => ds.query('SELECT 1') }, ...infra.readiness],
        shutdownTimeoutMs: infra.env.SHUTDOWN_TIMEOUT_MS,
        context: async (input): Promise<PlaybackContext> => {
          const viewer = await authenticate(input, options.verifier);
          const scope = new PlaybackScope(ds, viewer);
          return {
            requestId: input.requestId,
            logger: input.logger,
            viewer,
            scope,
            loaders: { display: displayLoader(scope) },
            pubsub: infra.pubsub,
            health,
          };
        },
      });
      // Before start(), so the routes run ahead of the kit's error handler.
      mountPlaybackRoutes(server.http.app, server.http.jsonBody(), {
        dataSource: ds,
        verifier: options.verifier,
        ingest: services.ingest,
        reports: services.reports,
        logger,
      });
      await server.start(options.port, options.host);

      subscriptions.push(await new PlaybackProjection(ds, logger).subscribe(infra.bus));
      const writer = new PlaybackWriter(ds, metrics, logger, (batch) =>
        alertService.evaluate({ tenantId: batch.tenantId, displayIds: [batch.displayId] }),
      );
      subscriptions.push(await writer.subscribe(infra.bus));
      alertService.start();
    },
    async stop() {
      await server?.stop();
      await alerts?.stop();
      for (const s of subscriptions.splice(0)) await s.close();
      await dataSource?.destroy();
    },
  };
}
