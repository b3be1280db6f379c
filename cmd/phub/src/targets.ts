// Only type imports from the kit's main entry and the packages of the modules: a module's code is imported when a
// process runs it (`load()`), so `--target=gateway` never loads TypeORM, pg-boss, kafkajs, the AWS SDK or a subgraph.
import type {
  Infra,
  Logger,
  PortSetting,
  Service,
  SubgraphDefinition,
  SubgraphOptions,
  TokenVerifier,
} from '@phub/kit';
import type { GraphQLSchema } from 'graphql';

/** What a target is started with; `verifier()` is auth's own in its process, else JWKS over HTTP. */
export interface TargetContext {
  infra: Infra;
  /** The process environment (or the test's). */
  source: NodeJS.ProcessEnv;
  logger: Logger;
  port: number;
  /** Where subgraphs listen (loopback only when the gateway runs in this process). */
  subgraphHost: string;
  /** Where the gateway listens. */
  host: string;
  demoData: boolean;
  verifier(): TokenVerifier;
  /** GraphQL URLs of the targets started before this one. */
  urls: Readonly<Record<string, string>>;
  gatewaySecret: string;
  staticApps: Record<string, string>;
}

export type TargetService = Service & { readonly url?: string; readonly verifier?: TokenVerifier };

/** A module's code, once imported. */
export interface LoadedModule {
  /** Subgraphs only: the schema `pnpm compose` prints. */
  buildSchema?: () => Promise<GraphQLSchema>;
  /** Parses the module's own settings up front, so every problem is reported at once. */
  checkEnv?: (source: NodeJS.ProcessEnv) => void;
  create(ctx: TargetContext): TargetService;
}

/**
 * One module of the binary, as Grafana Mimir registers its modules: a name, a port, what it starts after. The
 * registry itself imports nothing; `load()` imports the module's code, for the modules a process runs only.
 */
export interface TargetModule {
  name: string;
  /** Declared here, not read from the module, so ports are known without loading it (checked on load). */
  port: PortSetting;
  /** Started after these when they run in the same process (they are not pulled in: split targets stay split). */
  after: readonly string[];
  /** A subgraph: part of the supergraph `pnpm compose` prints, and of a process that keeps data. */
  subgraph: boolean;
  load(): Promise<LoadedModule>;
}

/** The kit's main entry first: it loads reflect-metadata before any decorated class of a subgraph. */
async function withKit<T>(load: () => Promise<T>): Promise<T> {
  await import('@phub/kit');
  return load();
}

/** A subgraph declared with the kit's `defineSubgraph`, imported by `load` when it is started or composed. */
function subgraph<Env, Handle>(
  name: string,
  port: PortSetting,
  after: readonly string[],
  load: () => Promise<SubgraphDefinition<Env, unknown, Handle>>,
): TargetModule {
  return {
    name,
    port,
    after,
    subgraph: true,
    load: async () => {
      const definition = await withKit(load);
      if (
        definition.name !== name ||
        definition.port.variable !== port.variable ||
        definition.port.default !== port.default
      ) {
        throw new Error(
          `targets: ${name} is registered on ${port.variable}=${port.default}, but its package defines ` +
            `${definition.name} on ${definition.port.variable}=${definition.port.default}`,
        );
      }
      return {
        buildSchema: definition.buildSchema,
        checkEnv: (source) => void definition.loadEnv(source),
        create: (ctx) => {
          const given: SubgraphOptions<Env> = {
            port: ctx.port,
            host: ctx.subgraphHost,
            env: definition.loadEnv(ctx.source),
            demoData: ctx.demoData,
          };
          // Auth verifies with its own keys (and provides the verifier to the others).
          return definition.create(ctx.infra, definition.ownVerifier ? given : { ...given, verifier: ctx.verifier() });
        },
      };
    },
  };
}

const SUBGRAPH_NAMES = ['auth', 'location', 'campaign', 'playback', 'queue', 'proximity', 'visitor', 'content'];

/** Every module of the binary, in start order; `--target=all` runs them all. */
export const MODULES: readonly TargetModule[] = [
  subgraph('auth', { variable: 'AUTH_PORT', default: 4001 }, [], async () => (await import('@phub/auth')).auth),
  subgraph(
    'location',
    { variable: 'LOCATION_PORT', default: 4002 },
    ['auth'],
    async () => (await import('@phub/location')).location,
  ),
  subgraph(
    'campaign',
    { variable: 'CAMPAIGN_PORT', default: 4003 },
    ['auth'],
    async () => (await import('@phub/campaign')).campaign,
  ),
  subgraph(
    'playback',
    { variable: 'PLAYBACK_PORT', default: 4004 },
    ['auth'],
    async () => (await import('@phub/playback')).playback,
  ),
  subgraph(
    'queue',
    { variable: 'QUEUE_PORT', default: 4005 },
    ['auth'],
    async () => (await import('@phub/queue')).queue,
  ),
  subgraph(
    'proximity',
    { variable: 'PROXIMITY_PORT', default: 4006 },
    ['auth'],
    async () => (await import('@phub/proximity')).proximity,
  ),
  subgraph(
    'visitor',
    { variable: 'VISITOR_PORT', default: 4008 },
    ['auth'],
    async () => (await import('@phub/visitor')).visitor,
  ),
  subgraph(
    'content',
    { variable: 'CONTENT_PORT', default: 4010 },
    ['auth'],
    async () => (await import('@phub/content')).content,
  ),
  {
    name: 'gateway',
    port: { variable: 'PORT', default: 4000 },
    // Subgraphs in this process are reached on their actual ports; others by the supergraph or SUBGRAPH_*_URL.
    after: SUBGRAPH_NAMES,
    subgraph: false,
    load: async () => {
      // The gateway package loads the kit's edge entry only (no database, bus or jobs).
      const { createGatewayService } = await import('@phub/gateway');
      return {
        create: (ctx) =>
          createGatewayService({
            env: ctx.source,
            logger: ctx.logger.child({ service: 'gateway' }),
            subgraphUrls: { ...ctx.urls },
            port: ctx.port,
            host: ctx.host,
            verifier: ctx.verifier(),
            subgraphSecret: ctx.gatewaySecret,
            staticApps: ctx.staticApps,
          }),
      };
    },
  },
  {
    name: 'worker',
    // The kit's WORKER_PORT (checked on load).
    port: { variable: 'WORKER_PORT', default: 4009 },
    // In one process: after the subgraphs, whose schemas its jobs work on, and the gateway.
    after: [...SUBGRAPH_NAMES, 'gateway'],
    subgraph: false,
    load: async () => {
      const { createWorkerService, WORKER_PORT } = await import('@phub/kit');
      if (WORKER_PORT.variable !== 'WORKER_PORT' || WORKER_PORT.default !== 4009) {
        throw new Error(
          `targets: worker is registered on WORKER_PORT=4009, the kit says ${JSON.stringify(WORKER_PORT)}`,
        );
      }
      // Every domain's timed work: the job sources of each subgraph package (their services are not started).
      const [auth, campaign, playback, queue, proximity, visitor, content, demo] = await Promise.all([
        import('@phub/auth'),
        import('@phub/campaign'),
        import('@phub/playback'),
        import('@phub/queue'),
        import('@phub/proximity'),
        import('@phub/visitor'),
        import('@phub/content'),
        import('./demo-playback.js'),
      ]);
      return {
        create: (ctx) =>
          createWorkerService({
            infra: ctx.infra,
            source: ctx.source,
            host: ctx.subgraphHost,
            // WORKER_PORT (4009) everywhere, like every other port; the tests' platforms ask for 0, a free one.
            port: ctx.port,
            // The demo history only where the gateway it records through runs too.
            sources: [
              auth.authJobs,
              campaign.campaignJobs,
              playback.playbackJobs,
              queue.queueJobs,
              proximity.proximityJobs,
              visitor.visitorJobs,
              content.contentJobs,
              ...(ctx.demoData && ctx.urls.gateway ? [demo.demoHistoryJobs(() => ctx.urls.gateway)] : []),
            ],
          }),
      };
    },
  },
];

/** The subgraphs, for `pnpm compose`. */
export const SUBGRAPHS = MODULES.filter((m) => m.subgraph);

export const TARGETS = ['gateway', ...SUBGRAPHS.map((m) => m.name), 'worker'];

/** The chosen modules, each after the ones it names (registry order otherwise). */
export function startOrder(names: ReadonlySet<string>): TargetModule[] {
  const order: TargetModule[] = [];
  const visit = (module: TargetModule, path: string[]) => {
    if (order.includes(module)) return;
    if (path.includes(module.name)) throw new Error(`targets: cycle ${[...path, module.name].join(' → ')}`);
    for (const name of module.after) {
      const dependency = MODULES.find((m) => m.name === name);
      if (!dependency) throw new Error(`targets: ${module.name} starts after unknown ${name}`);
      if (names.has(name)) visit(dependency, [...path, module.name]);
    }
    order.push(module);
  };
  for (const module of MODULES) if (names.has(module.name)) visit(module, []);
  return order;
}
