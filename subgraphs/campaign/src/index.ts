import {
  authChecker,
  authenticate,
  buildFederatedSchema,
  CreateOutbox1764000000000,
  createMemoryPubSub,
  GraphQLServer,
  OutboxMessage,
  OutboxRelay,
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
import type { CampaignContext } from './context.js';
import { seedDemoData } from './demo/demo-data.js';
import { type CampaignEnv, loadCampaignEnv } from './env.js';
import { createLoaders } from './loaders.js';
import { type CampaignMetrics, createCampaignMetrics } from './metrics.js';
import { CampaignInitial1764000000310 } from './migrations/1764000000310-campaign-initial.js';
import {
  Campaign,
  CampaignCreative,
  CampaignStorePause,
  CampaignTransition,
} from './modules/campaign/campaign.entity.js';
import { CampaignResolver, CampaignTransitionResolver } from './modules/campaign/campaign.resolver.js';
import { CampaignService } from './modules/campaign/campaign.service.js';
import {
  creativeEntities,
  creativeMigrations,
  CreativeResolver,
  CreativeService,
  DEFAULT_MAX_BYTES,
  mountCreativeRoutes,
} from './modules/creative/index.js';
import { DisplayOverride } from './modules/override/override.entity.js';
import { OverrideResolver } from './modules/override/override.resolver.js';
import { OverrideService } from './modules/override/override.service.js';
import { BoundaryScheduler } from './modules/playlist/boundary.scheduler.js';
import { loadStoreKeys } from './modules/playlist/playlist.data.js';
import { PlaylistFeed } from './modules/playlist/playlist.feed.js';
import { PlaylistChangeResolver, PlaylistResolver } from './modules/playlist/playlist.resolver.js';
import { PlaylistService } from './modules/playlist/playlist.service.js';
import { KnownDisplay, KnownStore } from './modules/projection/projection.entity.js';
import { LocationProjection } from './modules/projection/projection.service.js';
import { CampaignSettings } from './modules/settings/settings.entity.js';
import { SettingsResolver } from './modules/settings/settings.resolver.js';
import { SettingsService } from './modules/settings/settings.service.js';
import { referenceTypes } from './references.js';
import { CampaignScope } from './scope.js';
import { createStorage, type Storage } from './storage/index.js';

export { CampaignTopic, type CampaignEvent } from './events.js';
export { PlaylistTopic, type PlaylistVersionEvent } from './modules/playlist/playlist.feed.js';
export { campaignEnvSchema, loadCampaignEnv, type CampaignEnv } from './env.js';
export { systemClock, type Clock, type Timer } from '@phub/kit';
export { demoCampaignId } from './demo/demo-data.js';

export const CAMPAIGN_SCHEMA = 'campaign';
export const campaignEntities = [
  ...creativeEntities,
  Campaign,
  CampaignCreative,
  CampaignStorePause,
  CampaignTransition,
  CampaignSettings,
  DisplayOverride,
  KnownStore,
  KnownDisplay,
  OutboxMessage,
];
export const campaignMigrations = [CreateOutbox1764000000000, ...creativeMigrations, CampaignInitial1764000000310];

/** What the resolvers delegate to. */
interface CampaignServices {
  campaigns: CampaignService;
  settings: SettingsService;
  overrides: OverrideService;
  playlists: PlaylistService;
  creatives: CreativeService;
  clock: Clock;
}

/** Resolvers get their services from here (type-graphql's container hook). */
function containerFor(services: CampaignServices | null): ContainerType {
  // Only the schema printer runs without services, and it calls no resolver.
  const s = (services ?? {}) as CampaignServices;
  const now = () => (services ? services.clock.now() : Date.now());
  const instances = new Map<unknown, unknown>([
    [CampaignResolver, new CampaignResolver(s.campaigns)],
    [CampaignTransitionResolver, new CampaignTransitionResolver()],
    [SettingsResolver, new SettingsResolver(s.settings)],
    [OverrideResolver, new OverrideResolver(s.overrides, now)],
    [PlaylistResolver, new PlaylistResolver(s.playlists)],
    [PlaylistChangeResolver, new PlaylistChangeResolver()],
    [CreativeResolver, new CreativeResolver(s.creatives)],
  ]);
  return { get: (cls) => instances.get(cls) };
}

function buildSchemaWith(services: CampaignServices | null, pubSub: PlatformPubSub): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [
        CampaignResolver,
        CampaignTransitionResolver,
        SettingsResolver,
        OverrideResolver,
        PlaylistResolver,
        PlaylistChangeResolver,
        CreativeResolver,
      ],
      // Reference stubs of other subgraphs' entities are named by fields only through resolvers; list them.
      orphanedTypes: referenceTypes,
      // playlistChanged subscribes through the feed itself; type-graphql insists on a pub/sub all the same.
      pubSub,
      container: containerFor(services),
      authChecker,
      validate: { forbidUnknownValues: false },
    },
    {
      Campaign: {
        __resolveReference: (ref: { id: string }, ctx: CampaignContext) => ctx.loaders.campaign.load(ref.id),
      },
      Creative: {
        __resolveReference: (ref: { id: string }, ctx: CampaignContext) => ctx.loaders.creative.load(ref.id),
      },
    },
  );
}

/** The subgraph schema, for printing SDL (`pnpm compose`); needs no database. */
export function buildCampaignSchema(): Promise<GraphQLSchema> {
  return buildSchemaWith(null, createMemoryPubSub());
}

export interface CampaignServiceOptions {
  port: number;
  host?: string;
  /** Seed demo creatives and LIVE campaigns for the demo tenant when it has none (never overwrites). */
  demoData?: boolean;
  /** Verifies access tokens (JWKS of the auth service, revocations in the shared cache). */
  verifier: TokenVerifier;
  /** Campaign settings; parsed from the process environment when omitted. */
  env?: CampaignEnv;
  /** Time for resolutions, overrides and the schedule-boundary job; tests move it by hand. */
  clock?: Clock;
}

export interface CampaignServiceHandle extends Service {
  readonly url: string;
  readonly metrics: CampaignMetrics;
  /** Resolves when no playlist refresh or boundary planning is in flight (tests, diagnostics). */
  idle(): Promise<void>;
}

/**
 * The campaign subgraph: creatives, campaigns and their workflow, schedules, targeting, store control,
 * emergency overrides, and playlist resolution with live `playlistChanged` updates.
 */
export function createCampaignService(infra: Infra, options: CampaignServiceOptions): CampaignServiceHandle {
  const env = options.env ?? loadCampaignEnv();
  const clock = options.clock ?? systemClock;
  const logger = infra.logger.child({ service: 'campaign' });
  const metrics = createCampaignMetrics();
  let dataSource: DataSource | undefined;
  let relay: OutboxRelay | undefined;
  let server: GraphQLServer<CampaignContext> | undefined;
  let subscription: BusSubscription | undefined;
  let scheduler: BoundaryScheduler | undefined;
  let feed: PlaylistFeed | undefined;

  const serviceUrl = () => {
    if (!server) throw new Error('campaign is not started');
    return server.url.replace(/\/graphql$/, '');
  };

  return {
    name: 'campaign',
    metrics,
    get url() {
      if (!server) throw new Error('campaign is not started');
      return server.url;
    },
    async idle() {
      await scheduler?.idle();
      await feed?.idle();
      await scheduler?.idle();
    },
    async start() {
      dataSource = await openDatabase({
        url: infra.databaseUrl,
        schema: CAMPAIGN_SCHEMA,
        entities: campaignEntities,
        migrations: campaignMigrations,
        logger,
      });
      const ds = dataSource;
      relay = new OutboxRelay(ds, infra.bus, logger);
      const storage: Storage = createStorage({ ...env, serviceUrl, dataDir: infra.env.DATA_DIR }, logger);
      const playlists = new PlaylistService(ds, infra.cache, clock, metrics, logger, {
        cacheSeconds: env.CAMPAIGN_PLAYLIST_CACHE_SECONDS,
        previewMaxDays: env.CAMPAIGN_PREVIEW_MAX_DAYS,
      });
      const liveFeed = new PlaylistFeed(playlists, infra.pubsub, infra.cache, metrics, logger, infra.bus);
      feed = liveFeed;
      const notify = liveFeed.changed.bind(liveFeed);
      const settings = new SettingsService(ds);
      const campaigns = new CampaignService(ds, settings, notify, metrics, () => relay?.nudge());
      const creatives = new CreativeService(ds, storage, {
        maxBytes: DEFAULT_MAX_BYTES,
        defaultImageDurationMs: env.CAMPAIGN_DEFAULT_IMAGE_DURATION_MS,
      });
      const services: CampaignServices = {
        campaigns,
        settings,
        overrides: new OverrideService(ds, campaigns, notify, clock, env.CAMPAIGN_OVERRIDE_MAX_HOURS),
        playlists,
        creatives,
        clock,
      };

      server = new GraphQLServer<CampaignContext>({
        name: 'campaign',
        schema: await buildSchemaWith(services, infra.pubsub),
        logger,
        metrics,
        readiness: [{ name: 'postgres', check: () => ds.query('SELECT 1') }, ...infra.readiness],
        shutdownTimeoutMs: infra.env.SHUTDOWN_TIMEOUT_MS,
        context: async (input): Promise<CampaignContext> => {
          const viewer = await authenticate(input, options.verifier);
          const scope = new CampaignScope(ds, viewer);
          return {
            requestId: input.requestId,
            logger: input.logger,
            viewer,
            scope,
            loaders: createLoaders(ds, scope, campaigns),
            feed: liveFeed,
          };
        },
      });
      // Before start(), so the upload and asset routes run ahead of the kit's error handler.
      mountCreativeRoutes(server.http.app, { service: creatives, storage, logger });
      await server.start(options.port, options.host);

      // Demo creatives get URLs of this service, known once it listens.
      if (options.demoData) await seedDemoData(ds, storage, logger);
      relay.start();
      scheduler = new BoundaryScheduler({
        clock,
        stores: (tenantId) => loadStoreKeys(ds, tenantId),
        nextBoundary: (store, after) => playlists.storeBoundary(store.tenantId, store.storeId, after),
        onBoundary: async (store) =>
          liveFeed.refresh({ tenantId: store.tenantId, reason: 'boundary', storeIds: [store.storeId] }),
        claim: async (key) => (await infra.cache.incr(key, 3600)) === 1,
        pubsub: infra.pubsub,
        metrics,
        logger,
      });
      await scheduler.start();
      const projection = new LocationProjection(ds, notify, metrics, logger);
      subscription = await projection.subscribe(infra.bus);
    },
    async stop() {
      await server?.stop();
      await subscription?.close();
      await scheduler?.stop();
      await feed?.idle();
      await relay?.stop();
      await dataSource?.destroy();
    },
  };
}
