import {
  defineSubgraph,
  egress,
  Envelope,
  KmsMasterKey,
  LocalMasterKey,
  type Egress,
  type SubgraphContext,
  type SubgraphOptions,
} from '@phub/kit';
import { AemClient } from './aem/aem.client.js';
import { AemReaders } from './aem/aem.readers.js';
import type { ContentContext } from './context.js';
import { contentEnvSchema, type ContentEnv } from './env.js';
import { createContentMetrics, type ContentMetrics } from './metrics.js';
import { ContentSources1764000000900 } from './migrations/1764000000900-content-sources.js';
import { BrowseResolver } from './modules/browse/browse.resolver.js';
import { BrowseService } from './modules/browse/browse.service.js';
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
  const browse = new BrowseService(sources, readers);
  return {
    sources,
    client,
    readers,
    browse,
    /** One read of the source's /content, whatever its outcome; the health it recorded is the answer. */
    async test(scope: ContentScope, id: string): Promise<AemSource> {
      scope.assertCanManage();
      const source = await sources.get(scope, id);
      await readers.sling(await sources.target(source), '/content', 0).catch(() => undefined);
      return sources.get(scope, id);
    },
  };
}

/** The content subgraph (the seed's JCR component): AEM sources per tenant, their health, browsing AEM. */
export const content = defineSubgraph({
  name: 'content',
  schema: 'content',
  port: { variable: 'CONTENT_PORT', default: 4008 },
  env: contentEnvSchema,
  entities: [AemSource],
  migrations: [ContentSources1764000000900],
  metrics: createContentMetrics,
  services: (ctx: ContentSetup) => createServices(ctx),
  resolvers: [
    [SourceResolver, (s) => new SourceResolver(s.sources, (ctx, id) => s.test(ctx.scope, id))],
    [BrowseResolver, (s) => new BrowseResolver(s.browse)],
  ],
  context: ({ requestId, logger, viewer }): ContentContext => ({
    requestId,
    logger,
    viewer,
    scope: new ContentScope(viewer),
  }),
  references: {},
  handle: (c) => ({
    metrics: c.metrics,
    /** While running: the AEM client (breakers), for tests. */
    client: () => c.running()?.client,
  }),
});

export const CONTENT_SCHEMA = content.schema;
export const buildContentSchema = content.buildSchema;
export const createContentService = content.create;
export type ContentServiceOptions = SubgraphOptions<ContentEnv, ContentOptions>;
export type ContentServiceHandle = ReturnType<typeof createContentService>;
