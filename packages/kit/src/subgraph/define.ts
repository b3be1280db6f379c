import type { GraphQLSchema } from 'graphql';
import type { ContainerType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { authChecker } from '../auth/auth-checker.js';
import { authenticate } from '../auth/authenticate.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { BusSubscription } from '../bus/bus.js';
import { CreateOutbox1764000000000, OutboxMessage, OutboxRelay } from '../bus/outbox.js';
import { systemClock } from '../clock.js';
import { openDatabase } from '../db.js';
import { parseEnv } from '../env.js';
import { GraphQLServer } from '../graphql-server.js';
import type { Infra } from '../infra.js';
import type { JobSource } from '../jobs/worker.js';
import type { ServiceMetrics } from '../metrics.js';
import { createMemoryPubSub, type PlatformPubSub } from '../pubsub.js';
import { buildFederatedSchema, type ReferenceResolvers } from '../schema.js';
import type { Service } from '../service.js';
import {
  createWebhookRuntime,
  webhookConsumer,
  webhookJob,
  type WebhookRuntime,
} from '../webhooks/webhook.declaration.js';
import { WebhookDeliveryRecord, WebhookEndpointRecord } from '../webhooks/webhook.entity.js';
import { webhookGraph } from '../webhooks/webhook.graph.js';
import type { WebhookHub } from '../webhooks/webhook.service.js';
import type {
  BackgroundLoop,
  PortSetting,
  SubgraphContext,
  SubgraphDeclaration,
  SubgraphInstance,
  SubgraphOptions,
} from './declaration.js';

/** A created subgraph: the common life cycle plus what its declaration's `handle` adds. */
export type SubgraphService<Handle> = Service & { readonly url: string } & Handle;

/** What `defineSubgraph` gives back: everything the binary, `pnpm compose` and tests need. */
export interface SubgraphDefinition<Env, Extra, Handle> {
  readonly name: string;
  /** The Postgres schema it owns. */
  readonly schema: string;
  readonly port: PortSetting;
  /** True when it verifies tokens with its own keys (auth) and needs no `options.verifier`. */
  readonly ownVerifier: boolean;
  /** Entities and migrations as opened, outbox included (for tests that open the database themselves). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: Function[];
  /** Parses the subgraph's own settings from `source`, every problem at once. */
  loadEnv(source?: NodeJS.ProcessEnv): Env;
  /** The subgraph schema for printing SDL (`pnpm compose`): needs no database and runs no resolver. */
  buildSchema(): Promise<GraphQLSchema>;
  create(infra: Infra, options: SubgraphOptions<Env, Extra>): SubgraphService<Handle>;
  /** The domain's jobs for the worker target (none declared: an empty source). */
  jobSource(options?: Partial<SubgraphOptions<Env, Extra>>): JobSource;
}

/** Declares a subgraph; see `SubgraphDeclaration` for what the kit does with it, and in which order. */
export function defineSubgraph<Env, M extends ServiceMetrics, S, Ctx extends object, Extra = unknown, Handle = object>(
  declaration: SubgraphDeclaration<Env, M, S, Ctx, Extra, Handle>,
): SubgraphDefinition<Env, Extra, Handle> {
  const d = declaration;
  const entities = [
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    ...(d.entities as Function[]),
    ...(d.outbox ? [OutboxMessage] : []),
    ...(d.webhooks ? [WebhookEndpointRecord, WebhookDeliveryRecord] : []),
  ];
  // The family's graph types and resolver (its instance is built per start, with the hub).
  const webhooks = d.webhooks ? webhookGraph(d.webhooks) : undefined;
  const hubOf = (runtime: WebhookRuntime | undefined): WebhookHub => {
    if (!runtime) throw new Error(`${d.name} declares no webhooks`);
    return runtime.hub;
  };
  const migrations = [...(d.outbox ? [CreateOutbox1764000000000] : []), ...d.migrations];
  const loadEnv = (source: NodeJS.ProcessEnv = process.env): Env => (d.env ? parseEnv(d.env, source) : ({} as Env)); // a subgraph without settings of its own has an empty env

  function buildSchemaWith(container: ContainerType, pubSub: PlatformPubSub): Promise<GraphQLSchema> {
    const references: ReferenceResolvers = {};
    for (const [type, resolve] of Object.entries(d.references ?? {}))
      references[type] = { __resolveReference: resolve };
    return buildFederatedSchema(
      {
        resolvers: [...d.resolvers.map(([cls]) => cls), ...(webhooks ? [webhooks.resolver] : [])] as BuildResolvers,
        ...(d.orphanedTypes ? { orphanedTypes: d.orphanedTypes } : {}),
        // Subscriptions start through the subgraph's own feeds; type-graphql insists on a pub/sub all the same.
        pubSub,
        container,
        authChecker,
        validate: { forbidUnknownValues: false },
      },
      references,
    );
  }

  return {
    name: d.name,
    schema: d.schema,
    port: d.port,
    ownVerifier: d.verifier !== undefined,
    entities,
    migrations,
    loadEnv,
    buildSchema: () =>
      buildSchemaWith(
        {
          get: () => {
            throw new Error(`${d.name} schema built without services cannot execute operations`);
          },
        },
        createMemoryPubSub(),
      ),

    jobSource(options = {}) {
      return {
        name: d.name,
        async open({ infra, logger: workerLogger, source, send }) {
          if (!d.jobs && !d.webhooks) return { jobs: [], close: async () => undefined };
          const env = options.env ?? loadEnv(source);
          const logger = workerLogger.child({ domain: d.name });
          const dataSource = await openDatabase({
            url: infra.databaseUrl,
            schema: d.schema,
            entities,
            migrations,
            logger,
            // Jobs run one at a time per queue: a small pool leaves the connections to the subgraphs.
            poolSize: 2,
          });
          let runtime: WebhookRuntime | undefined;
          try {
            const ctx = {
              name: d.name,
              infra,
              env,
              logger,
              clock: options.clock ?? systemClock,
              metrics: d.metrics(),
              options: { port: 0, ...options } as SubgraphOptions<Env, Extra>,
              dataSource,
              get verifier(): TokenVerifier {
                throw new Error(`${d.name}: jobs verify no tokens`);
              },
              // The subgraph's relay (another process, maybe) polls its outbox: nothing to wake here.
              nudgeOutbox: () => undefined,
              serviceUrl: () => {
                throw new Error(`${d.name}: jobs have no service URL`);
              },
              worker: true,
              get webhooks(): WebhookHub {
                return hubOf(runtime);
              },
              send,
            };
            if (d.webhooks) runtime = createWebhookRuntime(d.webhooks, ctx, d.schema);
            const services = d.services(ctx);
            const declared = d.jobs?.(services, ctx) ?? [];
            const set = Array.isArray(declared) ? { jobs: declared } : declared;
            const started = runtime;
            return {
              jobs: [...set.jobs, ...(started ? [webhookJob(started.hub)] : [])],
              started: set.started,
              close: async () => {
                await set.close?.();
                await started?.close();
                await dataSource.destroy();
              },
            };
          } catch (err) {
            await runtime?.close();
            await dataSource.destroy();
            throw err;
          }
        },
      };
    },

    create(infra, options) {
      const env = options.env ?? loadEnv();
      const clock = options.clock ?? systemClock;
      const logger = infra.logger.child({ service: d.name });
      const metrics = d.metrics();
      let dataSource: DataSource | undefined;
      let relay: OutboxRelay | undefined;
      let services: S | undefined;
      let runtime: WebhookRuntime | undefined;
      let server: GraphQLServer<Ctx> | undefined;
      const subscriptions: BusSubscription[] = [];
      const loops: BackgroundLoop[] = [];

      const url = () => {
        if (!server) throw new Error(`${d.name} is not started`);
        return server.url;
      };
      const instance: SubgraphInstance<Env, M, S> = {
        name: d.name,
        infra,
        env,
        clock,
        metrics,
        logger,
        running: () => services,
        get url() {
          return url();
        },
        get verifier(): TokenVerifier {
          return tokens;
        },
      };
      // A subgraph that issues tokens verifies them with its own keys; the others are given a verifier.
      const verifier = d.verifier ? d.verifier(instance) : options.verifier;
      if (!verifier) throw new Error(`${d.name}: options.verifier is required`);
      const tokens: TokenVerifier = verifier;

      const service: Service & { readonly url: string } = {
        name: d.name,
        get url() {
          return url();
        },
        async start() {
          const ds = await openDatabase({
            url: infra.databaseUrl,
            schema: d.schema,
            entities,
            migrations,
            logger,
            poolSize: infra.env.DATABASE_POOL_SIZE,
            preparedStatements: infra.env.DATABASE_PREPARED_STATEMENTS,
          });
          dataSource = ds;
          const outbox = d.outbox ? new OutboxRelay(ds, infra.bus, logger) : undefined;
          relay = outbox;
          const ctx: SubgraphContext<Env, M, Extra> = {
            name: d.name,
            infra,
            env,
            logger,
            clock,
            metrics,
            options,
            dataSource: ds,
            verifier: tokens,
            nudgeOutbox: () => outbox?.nudge(),
            serviceUrl: () => url().replace(/\/graphql$/, ''),
            worker: false,
            get webhooks(): WebhookHub {
              return hubOf(runtime);
            },
          };
          const hooks = d.webhooks ? createWebhookRuntime(d.webhooks, ctx, d.schema) : undefined;
          runtime = hooks;
          const s = d.services(ctx);
          services = s;
          await d.beforeServing?.(s, ctx);
          await hooks?.ready();
          if (options.demoData && d.demoData && !d.demoData.afterListening) await d.demoData.seed(s, ctx);
          outbox?.start();

          // Resolvers get their instances here (type-graphql's container hook); each is built once per start.
          // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
          const instances = new Map<Function, object>(d.resolvers.map(([cls, build]) => [cls, build(s)] as const));
          if (webhooks && hooks) instances.set(webhooks.resolver, webhooks.build(hooks.hub));
          server = new GraphQLServer<Ctx>({
            name: d.name,
            schema: await buildSchemaWith({ get: (cls) => instances.get(cls) }, infra.pubsub),
            logger,
            metrics,
            bodyLimit: d.bodyLimit,
            readiness: [{ name: 'postgres', check: () => ds.query('SELECT 1') }, ...infra.readiness],
            shutdownTimeoutMs: infra.env.SHUTDOWN_TIMEOUT_MS,
            context: async (input) =>
              d.context(
                {
                  requestId: input.requestId,
                  logger: input.logger,
                  viewer: await authenticate(input, tokens),
                  headers: input.headers,
                },
                s,
                ctx,
              ),
          });
          // Before start(), so the routes run ahead of the GraphQL route and the kit's error handler.
          d.routes?.(server.http, s, ctx);
          await server.start(options.port, options.host);

          if (options.demoData && d.demoData?.afterListening) await d.demoData.seed(s, ctx);
          // After the demo data: what consumers trigger (e.g. cached playlists) must already see it.
          const consumers = [
            ...(d.consumers?.(s, ctx) ?? []),
            ...(hooks && d.webhooks?.sources?.length ? [webhookConsumer(d.name, hooks.hub, d.webhooks.sources)] : []),
          ];
          for (const consumer of consumers) subscriptions.push(await consumer.subscribe(infra.bus));
          for (const loop of d.loops?.(s, ctx) ?? []) {
            await loop.start();
            loops.push(loop);
          }
        },

        async stop() {
          for (const loop of loops.splice(0).reverse()) await loop.stop();
          await server?.stop();
          for (const subscription of subscriptions.splice(0).reverse()) await subscription.close();
          if (services) await d.drain?.(services);
          await runtime?.close();
          runtime = undefined;
          await relay?.stop();
          await dataSource?.destroy();
          services = undefined;
        },
      };
      const extra = d.handle?.(instance);
      // Descriptors, not values: a handle's getters (e.g. URLs) are read when used, not at creation.
      if (extra) Object.defineProperties(service, Object.getOwnPropertyDescriptors(extra));
      return service as SubgraphService<Handle>;
    },
  };
}

type BuildResolvers = Parameters<typeof buildFederatedSchema>[0]['resolvers'];
