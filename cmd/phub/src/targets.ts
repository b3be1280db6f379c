import type {
  Infra,
  Logger,
  PortSetting,
  Service,
  SubgraphDefinition,
  SubgraphOptions,
  TokenVerifier,
} from '@phub/kit';
import { createWorkerService, WORKER_PORT } from '@phub/kit';
import { auth, authJobs } from '@phub/auth';
import { campaign, campaignJobs } from '@phub/campaign';
import { content, contentJobs } from '@phub/content';
import { createGatewayService } from '@phub/gateway';
import { location } from '@phub/location';
import { playback, playbackJobs } from '@phub/playback';
import { proximity, proximityJobs } from '@phub/proximity';
import { queue, queueJobs } from '@phub/queue';
import { visitor, visitorJobs } from '@phub/visitor';
import type { GraphQLSchema } from 'graphql';
import { demoHistoryJobs } from './demo-playback.js';

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

/** One module of the binary, as Grafana Mimir registers its modules: a name, a port, what it starts after. */
export interface TargetModule {
  name: string;
  port: PortSetting;
  /** Started after these when they run in the same process (they are not pulled in: split targets stay split). */
  after: readonly string[];
  /** Subgraphs only: the schema `pnpm compose` prints. */
  buildSchema?: () => Promise<GraphQLSchema>;
  /** Parses the module's own settings up front, so every problem is reported at once. */
  checkEnv?: (source: NodeJS.ProcessEnv) => void;
  create(ctx: TargetContext): TargetService;
}

/** A subgraph declared with the kit's `defineSubgraph`. */
function subgraph<Env, Handle>(
  definition: SubgraphDefinition<Env, unknown, Handle>,
  options: { after: readonly string[] },
): TargetModule {
  return {
    name: definition.name,
    port: definition.port,
    after: options.after,
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
}

/** Every module of the binary, in start order; `--target=all` runs them all. */
export const MODULES: readonly TargetModule[] = [
  subgraph(auth, { after: [] }),
  subgraph(location, { after: ['auth'] }),
  subgraph(campaign, { after: ['auth'] }),
  subgraph(playback, { after: ['auth'] }),
  subgraph(queue, { after: ['auth'] }),
  subgraph(proximity, { after: ['auth'] }),
  subgraph(visitor, { after: ['auth'] }),
  subgraph(content, { after: ['auth'] }),
  {
    name: 'gateway',
    port: { variable: 'PORT', default: 4000 },
    // Subgraphs in this process are reached on their actual ports; others by the supergraph or SUBGRAPH_*_URL.
    after: ['auth', 'location', 'campaign', 'playback', 'queue', 'proximity', 'visitor', 'content'],
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
  },
  {
    name: 'worker',
    port: WORKER_PORT,
    // In one process: after the subgraphs, whose schemas its jobs work on, and the gateway.
    after: ['auth', 'location', 'campaign', 'playback', 'queue', 'proximity', 'visitor', 'content', 'gateway'],
    create: (ctx) =>
      createWorkerService({
        infra: ctx.infra,
        source: ctx.source,
        host: ctx.subgraphHost,
        // WORKER_PORT (4009) everywhere, like every other port; the tests' platforms ask for 0, a free one.
        port: ctx.port,
        // Every domain's timed work; the demo history only where the gateway it records through runs too.
        sources: [
          authJobs,
          campaignJobs,
          playbackJobs,
          queueJobs,
          proximityJobs,
          visitorJobs,
          contentJobs,
          ...(ctx.demoData && ctx.urls.gateway ? [demoHistoryJobs(() => ctx.urls.gateway)] : []),
        ],
      }),
  },
];

/** The subgraphs, for `pnpm compose`. */
export const SUBGRAPHS = MODULES.filter(
  (m): m is TargetModule & { buildSchema: () => Promise<GraphQLSchema> } => m.buildSchema !== undefined,
);

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
