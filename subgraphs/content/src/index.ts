import {
  createStorage,
  defineSubgraph,
  egress,
  Envelope,
  KmsMasterKey,
  LocalMasterKey,
  mountAssetRoute,
  type Egress,
  type Storage,
  type SubgraphContext,
  type SubgraphOptions,
} from '@phub/kit';
import { AemClient } from './aem/aem.client.js';
import { AemReaders } from './aem/aem.readers.js';
import type { ContentContext } from './context.js';
import { contentEnvSchema, type ContentEnv } from './env.js';
import { createContentMetrics, type ContentMetrics } from './metrics.js';
import { ContentSources1764000000900 } from './migrations/1764000000900-content-sources.js';
import { ContentCreatives1764000000910 } from './migrations/1764000000910-content-creatives.js';
import { ContentSearch1764000000920 } from './migrations/1764000000920-content-search.js';
import { AemCreativeConsumer } from './modules/creative/creative.consumer.js';
import { AemCreative, ContentFile } from './modules/creative/creative.entity.js';
import { contentSyncJob } from './modules/creative/creative.job.js';
import { AemCreativeService } from './modules/creative/creative.service.js';
import { BrowseResolver } from './modules/browse/browse.resolver.js';
import { BrowseService } from './modules/browse/browse.service.js';
import { CampaignSearchConsumer } from './modules/search/search.consumer.js';
import type { SearchIndex } from './modules/search/search.index.js';
import { OpenSearchIndex } from './modules/search/search.opensearch.js';
import { PostgresSearchIndex } from './modules/search/search.postgres.js';
import { SearchResolver } from './modules/search/search.resolver.js';
import { SearchService } from './modules/search/search.service.js';
import { CampaignReference, CreativeReference } from './modules/search/search.types.js';
import { AemSource } from './modules/source/source.entity.js';
import { SourceResolver } from './modules/source/source.resolver.js';
import { SourceService } from './modules/source/source.service.js';
import { ContentScope } from './scope.js';

export { contentEnvSchema, loadContentEnv, type ContentEnv } from './env.js';

/** The content subgraph's own test seams. */
interface ContentOptions {
  /** Seals AEM secrets instead of KMS or DATA_DIR's master key. */
  envelope?: Envelope;
  /** The egress AEM reads leave through (tests give one with their Squid); else the process's. */
  egress?: Egress;
  /** The search index instead of OPENSEARCH_URL's or Postgres's (the contract tests give each). */
  searchIndex?: SearchIndex;
}
type ContentSetup = SubgraphContext<ContentEnv, ContentMetrics, ContentOptions>;

function createServices(ctx: ContentSetup) {
  const { dataSource, env, clock, metrics, options, infra, logger } = ctx;
  const envelope =
    options.envelope ??
    new Envelope(env.KMS_KEY_ID ? new KmsMasterKey(env.KMS_KEY_ID) : LocalMasterKey.loadOrCreate(infra.env.DATA_DIR));
  const route = options.egress ?? egress();
  // The client reports every read to the source's health; the sources reset the client's breakers on changes.
  const sources: SourceService = new SourceService(
    dataSource,
    envelope,
    route,
    clock,
    logger,
    { allowHttp: env.CONTENT_AEM_ALLOW_HTTP },
    () => client,
  );
  const client: AemClient = new AemClient(
    {
      timeoutMs: env.CONTENT_AEM_TIMEOUT_MS,
      retries: env.CONTENT_AEM_RETRIES,
      retryBaseMs: env.CONTENT_AEM_RETRY_BASE_MS,
      maxJsonBytes: env.CONTENT_AEM_MAX_JSON_BYTES,
      failures: env.CONTENT_CIRCUIT_FAILURES,
      openMs: env.CONTENT_CIRCUIT_OPEN_SECONDS * 1000,
    },
    route,
    async (sourceId, outcome) => {
      metrics.aemRequests.inc({ api: outcome.api, outcome: outcome.ok ? 'ok' : outcome.error.reason });
      await sources.record(sourceId, outcome);
    },
    clock,
  );
  const readers = new AemReaders(client);
  // OpenSearch when OPENSEARCH_URL is set, else Postgres full-text search in this schema: one interface.
  const index: SearchIndex =
    options.searchIndex ??
    (env.OPENSEARCH_URL
      ? OpenSearchIndex.fromUrl(env.OPENSEARCH_URL, env.CONTENT_SEARCH_INDEX)
      : new PostgresSearchIndex(dataSource, SCHEMA));
  const search = new SearchService(index, logger, () => clock.now());
  const storage = contentStorage(ctx);
  const browse = new BrowseService(sources, readers, search);
  const creatives = new AemCreativeService(
    dataSource,
    sources,
    readers,
    clock,
    logger,
    storage,
    ctx.nudgeOutbox,
    search,
  );
  return {
    storage,
    sources,
    creatives,
    client,
    readers,
    browse,
    search,
    /** One read of the source's /content, whatever its outcome; the health it recorded is the answer. */
    async test(scope: ContentScope, id: string): Promise<AemSource> {
      scope.assertCanManage();
      const source = await sources.get(scope, id);
      await readers.sling(await sources.target(source), '/content', 0).catch(() => undefined);
      return sources.get(scope, id);
    },
  };
}

// The content service's own address in this process, once it listens: the worker's jobs of `--target=all` (which
// serve nothing) announce copies at it too.
let servingUrl: string | undefined;

/** This service's origin (in the worker: the content service of the same process, else its default port). */
function contentOrigin(ctx: ContentSetup): string {
  if (!ctx.worker) {
    try {
      servingUrl = ctx.serviceUrl();
    } catch {
      // Not listening yet.
    }
  }
  return servingUrl ?? `http://127.0.0.1:${Number(process.env.CONTENT_PORT) || CONTENT_PORT}`;
}

/**
 * Copies of AEM content live in the platform's object storage, as campaign's creatives do: S3 when S3_BUCKET is
 * set, else ASSET_DIR served by this service at `/assets` (in `--target=all` campaign may share the folder: its
 * keys are `<tenant>/<creative uuid>/…`, these `<tenant>/aem/…`). Players fetch them from CONTENT_FILES_URL, else
 * ASSET_PUBLIC_URL, else the bucket's or this service's own URL.
 */
function contentStorage(ctx: ContentSetup): Storage {
  const { env, logger } = ctx;
  return createStorage(
    { ...env, ASSET_PUBLIC_URL: env.CONTENT_FILES_URL ?? env.ASSET_PUBLIC_URL, serviceUrl: () => contentOrigin(ctx) },
    logger,
  );
}
const CONTENT_PORT = 4010;
/** The Postgres schema this subgraph owns. */
const SCHEMA = 'content';

/** The content subgraph (the seed's JCR component): AEM sources per tenant, their health, browsing AEM. */
export const content = defineSubgraph({
  name: 'content',
  schema: SCHEMA,
  port: { variable: 'CONTENT_PORT', default: CONTENT_PORT },
  env: contentEnvSchema,
  entities: [AemSource, AemCreative, ContentFile],
  migrations: [ContentSources1764000000900, ContentCreatives1764000000910, ContentSearch1764000000920],
  // content.aem-rendition.v1 is written with the copy it announces.
  outbox: true,
  metrics: createContentMetrics,
  services: (ctx: ContentSetup) => createServices(ctx),
  resolvers: [
    [SourceResolver, (s) => new SourceResolver(s.sources, (ctx, id) => s.test(ctx.scope, id))],
    [BrowseResolver, (s) => new BrowseResolver(s.browse)],
    [SearchResolver, (s) => new SearchResolver(s.search, s.sources)],
  ],
  // Reference stubs of campaign's entities, named by search hits.
  orphanedTypes: [CampaignReference, CreativeReference],
  context: ({ requestId, logger, viewer }): ContentContext => ({
    requestId,
    logger,
    viewer,
    scope: new ContentScope(viewer),
  }),
  references: {},
  // Copies of AEM content, immutable by their keys (sha256): what players play, so AEM down never blocks playback.
  routes: ({ app }, s) => {
    mountAssetRoute(app, s.storage);
    // Copies made before they moved to the object storage, until the sync job has moved them (and announced
    // their new URLs): creatives announced at `/files/<sha256>` keep playing meanwhile.
    app.get('/files/:checksum', async (req, res, next) => {
      try {
        const file = await s.creatives.legacyFile(String(req.params.checksum));
        if (!file) {
          res.status(404).json({ error: 'NOT_FOUND' });
          return;
        }
        res.set({
          'content-type': file.mimeType,
          'cache-control': 'public, max-age=31536000, immutable',
          etag: `"${file.checksum}"`,
        });
        res.send(file.bytes);
      } catch (err) {
        next(err);
      }
    });
  },
  consumers: (s, ctx) => {
    // Listening now: the worker of the same process announces copies at this address from its first run.
    contentOrigin(ctx);
    return [new AemCreativeConsumer(s.creatives, ctx.logger), new CampaignSearchConsumer(s.search, ctx.logger)];
  },
  drain: (s) => s.search.close(),
  jobs: (s, { env }) => [contentSyncJob(s.creatives, env.CONTENT_SYNC_EVERY_SECONDS, env.CONTENT_SYNC_BATCH)],
  handle: (c) => ({
    metrics: c.metrics,
    /** While running: the AEM client (breakers), for tests. */
    client: () => c.running()?.client,
    /** While running: the object storage copies live in, for tests. */
    storage: () => c.running()?.storage,
    /** While running: AEM creatives (copies, the sync job's refresh), for tests. */
    creatives: () => c.running()?.creatives,
    /** While running: search (its implementation's name, feeding), for tests. */
    search: () => c.running()?.search,
  }),
});

export const CONTENT_SCHEMA = content.schema;
export const buildContentSchema = content.buildSchema;
export const createContentService = content.create;
export type ContentServiceOptions = SubgraphOptions<ContentEnv, ContentOptions>;
export type ContentServiceHandle = ReturnType<typeof createContentService>;
/** The worker's sync job, on the content schema. */
export const contentJobs = content.jobSource();
