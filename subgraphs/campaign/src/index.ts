import {
  defineSubgraph,
  Envelope,
  KmsMasterKey,
  LocalMasterKey,
  type Logger,
  type SubgraphContext,
  type SubgraphOptions,
  createStorage,
  type Storage,
} from '@phub/kit';
import type { CampaignContext } from './context.js';
import { seedDemoData } from './demo/demo-data.js';
import { campaignEnvSchema, type CampaignEnv } from './env.js';
import { createLoaders } from './loaders.js';
import { createCampaignMetrics, type CampaignMetrics } from './metrics.js';
import { CampaignInitial1764000000310 } from './migrations/1764000000310-campaign-initial.js';
import { CampaignQueueLines1764000000340 } from './migrations/1764000000340-campaign-queue-lines.js';
import { CampaignPresenceMoments1764000000370 } from './migrations/1764000000370-campaign-presence-moments.js';
import { CampaignWebhooks1764000000350 } from './migrations/1764000000350-campaign-webhooks.js';
import { CampaignStoreTakeovers1764000000360 } from './migrations/1764000000360-campaign-store-takeovers.js';
import { CampaignLanding1764000000365 } from './migrations/1764000000365-campaign-landing.js';
import { CampaignRevisions1764000000390 } from './migrations/1764000000390-campaign-revisions.js';
import { CampaignLayouts1764000000430 } from './migrations/1764000000430-campaign-layouts.js';
import { CampaignWebhookEvent, campaignWebhookSource } from './modules/webhook/webhook.events.js';
import {
  Campaign,
  CampaignCreative,
  CampaignStorePause,
  CampaignRevision,
  CampaignTransition,
} from './modules/campaign/campaign.entity.js';
import {
  CampaignResolver,
  CampaignRevisionResolver,
  CampaignTransitionResolver,
  OutrankedDisplayResolver,
} from './modules/campaign/campaign.resolver.js';
import { CampaignService } from './modules/campaign/campaign.service.js';
import {
  creativeEntities,
  creativeMigrations,
  CreativeResolver,
  CreativeService,
  DEFAULT_MAX_BYTES,
  mountCreativeRoutes,
} from './modules/creative/index.js';
import { CreativeCleanup } from './modules/creative/creative.cleanup.js';
import { creativeCleanupJob } from './modules/creative/creative.job.js';
import { DisplayLayout, Layout } from './modules/layout/layout.entity.js';
import { LayoutResolver } from './modules/layout/layout.resolver.js';
import { LayoutService } from './modules/layout/layout.service.js';
import { DisplayOverride } from './modules/override/override.entity.js';
import { OverrideResolver } from './modules/override/override.resolver.js';
import { OverrideService } from './modules/override/override.service.js';
import { BoundaryJobs } from './modules/playlist/boundary.jobs.js';
import { loadStoreKeys } from './modules/playlist/playlist.data.js';
import { PlaylistFeed } from './modules/playlist/playlist.feed.js';
import { PlaylistChangeResolver, PlaylistResolver } from './modules/playlist/playlist.resolver.js';
import { PlaylistService } from './modules/playlist/playlist.service.js';
import {
  KnownDisplay,
  KnownPresenceMoment,
  KnownQueueLine,
  KnownStore,
} from './modules/projection/projection.entity.js';
import { PresenceProjection } from './modules/projection/presence.projection.js';
import { LocationProjection } from './modules/projection/projection.service.js';
import { QueueLineProjection } from './modules/projection/queue-line.projection.js';
import { AemRenditionProjection } from './modules/projection/aem-rendition.projection.js';
import { CampaignSettings } from './modules/settings/settings.entity.js';
import { SettingsResolver } from './modules/settings/settings.resolver.js';
import { SettingsService } from './modules/settings/settings.service.js';
import { StoreTakeover } from './modules/takeover/takeover.entity.js';
import { TakeoverResolver } from './modules/takeover/takeover.resolver.js';
import { CampaignLanding, CampaignLandingScan } from './modules/landing/landing.entity.js';
import { LandingResolver } from './modules/landing/landing.resolver.js';
import { LandingService } from './modules/landing/landing.service.js';
import { TakeoverService } from './modules/takeover/takeover.service.js';
import { referenceTypes } from './references.js';
import { CampaignScope } from './scope.js';

export { CampaignTopic, type CampaignEvent } from './events.js';
export { PlaylistTopic, type PlaylistVersionEvent } from './modules/playlist/playlist.feed.js';
export { campaignEnvSchema, loadCampaignEnv, type CampaignEnv } from './env.js';
export { systemClock, type Clock, type Timer } from '@phub/kit';
export { demoCampaignId } from './demo/demo-data.js';

const refuse = () => Promise.reject(new Error('creatives are not stored from the worker'));
const noUrl = () => {
  throw new Error('creatives are not stored from the worker');
};
/** Creative storage of the worker's service graph: it stores nothing, only removes abandoned uploads. */
function workerStorage(env: CampaignEnv, logger: Logger): Storage {
  // No upload is signed here, so no signing key (a read-only worker pod has no DATA_DIR for one).
  const storage = createStorage({ ...env, serviceUrl: noUrl }, logger);
  return {
    kind: storage.kind,
    presignUpload: refuse,
    inspect: refuse,
    putIfAbsent: refuse,
    publicUrl: noUrl,
    remove: (key) => storage.remove(key),
  };
}

/**
 * The campaign subgraph: creatives, campaigns and their workflow, schedules, targeting, store control,
 * emergency overrides and store takeovers, and playlist resolution with live `playlistChanged` updates.
 */
/** Campaign's test seam: webhook secrets' key sealed by this instead of KMS or DATA_DIR's master key. */
export interface CampaignOptions {
  envelope?: Envelope;
}
type CampaignSetup = SubgraphContext<CampaignEnv, CampaignMetrics, CampaignOptions>;

export const campaign = defineSubgraph({
  name: 'campaign',
  schema: 'campaign',
  port: { variable: 'CAMPAIGN_PORT', default: 4003 },
  env: campaignEnvSchema,
  entities: [
    ...creativeEntities,
    Campaign,
    CampaignCreative,
    CampaignStorePause,
    CampaignTransition,
    CampaignRevision,
    CampaignSettings,
    DisplayOverride,
    StoreTakeover,
    CampaignLanding,
    CampaignLandingScan,
    Layout,
    DisplayLayout,
    KnownStore,
    KnownDisplay,
    KnownQueueLine,
    KnownPresenceMoment,
  ],
  migrations: [
    ...creativeMigrations,
    CampaignInitial1764000000310,
    CampaignQueueLines1764000000340,
    CampaignWebhooks1764000000350,
    CampaignStoreTakeovers1764000000360,
    CampaignLanding1764000000365,
    CampaignPresenceMoments1764000000370,
    CampaignRevisions1764000000390,
    CampaignLayouts1764000000430,
  ],
  outbox: true,
  metrics: createCampaignMetrics,
  services: ({
    dataSource: ds,
    infra,
    env,
    clock,
    metrics,
    logger,
    nudgeOutbox,
    serviceUrl,
    worker,
  }: CampaignSetup) => {
    // The worker's jobs resolve playlists and store no creative (a read-only worker pod has no DATA_DIR for a key).
    const storage = worker
      ? workerStorage(env, logger)
      : createStorage({ ...env, serviceUrl, dataDir: infra.env.DATA_DIR }, logger);
    const playlists = new PlaylistService(ds, infra.cache, clock, metrics, logger, {
      cacheSeconds: env.CAMPAIGN_PLAYLIST_CACHE_SECONDS,
      previewMaxDays: env.CAMPAIGN_PREVIEW_MAX_DAYS,
    });
    const feed = new PlaylistFeed(playlists, infra.pubsub, infra.cache, metrics, logger, infra.bus);
    const notify = feed.changed.bind(feed);
    const settings = new SettingsService(ds);
    const campaigns = new CampaignService(ds, settings, notify, metrics, nudgeOutbox, () => new Date(clock.now()));
    return {
      storage,
      playlists,
      feed,
      notify,
      settings,
      campaigns,
      overrides: new OverrideService(ds, campaigns, notify, clock, env.CAMPAIGN_OVERRIDE_MAX_HOURS, nudgeOutbox),
      takeovers: new TakeoverService(ds, notify, clock, logger, nudgeOutbox),
      landings: new LandingService(ds, campaigns, clock),
      layouts: new LayoutService(ds, notify),
      creatives: new CreativeService(
        ds,
        storage,
        { maxBytes: DEFAULT_MAX_BYTES, defaultImageDurationMs: env.CAMPAIGN_DEFAULT_IMAGE_DURATION_MS },
        nudgeOutbox,
        (tenantId) => notify({ tenantId, reason: 'creative', index: true }),
      ),
      now: () => clock.now(),
    };
  },
  drain: (s) => s.feed.idle(),
  resolvers: [
    [CampaignResolver, (s) => new CampaignResolver(s.campaigns)],
    [CampaignTransitionResolver, () => new CampaignTransitionResolver()],
    [CampaignRevisionResolver, () => new CampaignRevisionResolver()],
    [OutrankedDisplayResolver, () => new OutrankedDisplayResolver()],
    [SettingsResolver, (s) => new SettingsResolver(s.settings)],
    [OverrideResolver, (s) => new OverrideResolver(s.overrides, s.now)],
    [TakeoverResolver, (s) => new TakeoverResolver(s.takeovers)],
    [LandingResolver, (s) => new LandingResolver(s.landings)],
    [LayoutResolver, (s) => new LayoutResolver(s.layouts)],
    [PlaylistResolver, (s) => new PlaylistResolver(s.playlists)],
    [PlaylistChangeResolver, () => new PlaylistChangeResolver()],
    [CreativeResolver, (s) => new CreativeResolver(s.creatives)],
  ],
  // Reference stubs of other subgraphs' entities are named by fields only through resolvers; list them.
  orphanedTypes: referenceTypes,
  context: ({ requestId, logger, viewer }, s, { dataSource }): CampaignContext => {
    const scope = new CampaignScope(dataSource, viewer);
    return { requestId, logger, viewer, scope, loaders: createLoaders(dataSource, scope, s.campaigns), feed: s.feed };
  },
  references: {
    Campaign: (ref, ctx) => ctx.loaders.campaign.load(ref.id),
    Creative: (ref, ctx) => ctx.loaders.creative.load(ref.id),
  },
  routes: ({ app }, s, { logger }) => mountCreativeRoutes(app, { service: s.creatives, storage: s.storage, logger }),
  consumers: (s, { dataSource, metrics, logger, clock }) => [
    new LocationProjection(dataSource, s.notify, metrics, logger),
    new QueueLineProjection(dataSource, s.notify, metrics, logger),
    new PresenceProjection(dataSource, s.notify, clock, metrics, logger),
    new AemRenditionProjection(s.creatives, s.notify, logger),
  ],
  // Schedule boundaries, run by the worker: what they publish reaches subscribers over the shared pub/sub.
  jobs: (s, { dataSource, infra, env, clock, metrics, logger, send }) => {
    const boundaries = new BoundaryJobs({
      clock,
      stores: (tenantId) => loadStoreKeys(dataSource, tenantId),
      nextBoundary: (store, after) => s.playlists.storeBoundary(store.tenantId, store.storeId, after),
      onBoundary: async (store) => {
        s.feed.refresh({ tenantId: store.tenantId, reason: 'boundary', storeIds: [store.storeId] });
        await s.feed.idle();
      },
      send,
      pubsub: infra.pubsub,
      metrics,
      logger,
    });
    const cleanup = new CreativeCleanup(dataSource, s.storage, clock, logger, {
      olderThanHours: Math.max(env.CAMPAIGN_ORPHAN_UPLOAD_HOURS, Math.ceil(env.UPLOAD_URL_TTL_SECONDS / 3600) + 1),
    });
    return {
      jobs: [boundaries.boundaryJob, boundaries.planJob, creativeCleanupJob(cleanup)],
      started: () => boundaries.start(),
      close: async () => {
        await boundaries.stop();
        await s.feed.idle();
      },
    };
  },
  // Partners' (and HQ's) campaign webhooks: the kit's registry in this schema, fed from campaign.campaign.v1
  // (this subgraph's own events, relayed from its outbox) by the consumer group campaign.webhooks.
  webhooks: {
    family: 'campaign',
    events: CampaignWebhookEvent,
    describe: 'campaign events',
    subjectField: 'campaignId',
    scope: (ctx: CampaignContext) => ctx.scope,
    settings: (env) => ({
      maxAttempts: env.CAMPAIGN_WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: env.CAMPAIGN_WEBHOOK_RETRY_BASE_SECONDS * 1000,
      retryCapMs: env.CAMPAIGN_WEBHOOK_RETRY_MAX_SECONDS * 1000,
      timeoutMs: env.CAMPAIGN_WEBHOOK_TIMEOUT_MS,
      allowPrivate: env.CAMPAIGN_WEBHOOK_ALLOW_PRIVATE,
    }),
    envelope: ({ options, env, infra }: CampaignSetup) =>
      options.envelope ??
      new Envelope(env.KMS_KEY_ID ? new KmsMasterKey(env.KMS_KEY_ID) : LocalMasterKey.loadOrCreate(infra.env.DATA_DIR)),
    storeExists:
      ({ dataSource }) =>
      async (tenantId, storeId) =>
        (await dataSource.manager.countBy(KnownStore, { id: storeId, tenantId })) > 0,
    sources: [campaignWebhookSource],
  },
  // Demo creatives get URLs of this service, known once it listens.
  demoData: { afterListening: true, seed: (s, { dataSource, logger }) => seedDemoData(dataSource, s.storage, logger) },
  handle: (c) => ({
    metrics: c.metrics,
    /** Resolves when no playlist refresh is in flight (tests, diagnostics). */
    async idle() {
      await c.running()?.feed.idle();
    },
  }),
});

/** Campaign's jobs (schedule boundaries, abandoned uploads), for the worker target. */
export const campaignJobs = campaign.jobSource();

export const CAMPAIGN_SCHEMA = campaign.schema;
export const campaignEntities = campaign.entities;
export const campaignMigrations = campaign.migrations;
export const buildCampaignSchema = campaign.buildSchema;
export const createCampaignService = campaign.create;
export type CampaignServiceHandle = ReturnType<typeof createCampaignService>;
export type CampaignServiceOptions = SubgraphOptions<CampaignEnv, CampaignOptions>;
