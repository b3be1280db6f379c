import type { BuildSchemaOptions } from 'type-graphql';
import type { DataSource, EntitySchema, MixedList } from 'typeorm';
import type { ZodType } from 'zod';
import type { TokenVerifier } from '../auth/index.js';
import type { Viewer } from '../auth/viewer.js';
import type { BusSubscription, EventBus } from '../bus/bus.js';
import type { Clock } from '../clock.js';
import type { HttpApp } from '../http.js';
import type { Infra } from '../infra.js';
import type { JobDefinition, JobSendOptions } from '../jobs/job.js';
import type { Logger } from '../logger.js';
import type { ServiceMetrics } from '../metrics.js';
import type { WebhookDeclaration } from '../webhooks/webhook.declaration.js';
import type { WebhookHub } from '../webhooks/webhook.service.js';

/** The environment variable a service's port is read from, and its default (also the supergraph's URL). */
export interface PortSetting {
  variable: string;
  default: number;
}

/** What every subgraph accepts when it is created; `Extra` holds a subgraph's own test seams. */
export type SubgraphOptions<Env, Extra = unknown> = {
  port: number;
  host?: string;
  /** Seed the demo tenant's rows when they are absent (never overwrites). */
  demoData?: boolean;
  /** The subgraph's own settings; parsed from the process environment when omitted. */
  env?: Env;
  /** Verifies access tokens; ignored by a subgraph that verifies with its own keys (auth). */
  verifier?: TokenVerifier;
  /** Time for the subgraph's rules and jobs; tests move it by hand. */
  clock?: Clock;
} & Extra;

/** What the service graph is built from, once per start. */
export interface SubgraphContext<Env, M, Extra = unknown> {
  name: string;
  infra: Infra;
  env: Env;
  logger: Logger;
  clock: Clock;
  metrics: M;
  options: SubgraphOptions<Env, Extra>;
  dataSource: DataSource;
  /** What requests' tokens are verified with (also for the subgraph's plain HTTP routes). */
  verifier: TokenVerifier;
  /** Wakes the outbox relay after a commit that wrote outbox rows (a no-op without an outbox). */
  nudgeOutbox(): void;
  /** This service's own origin (`http://host:port`); throws until it listens. */
  serviceUrl(): string;
  /** True when the graph is built for the worker's jobs (no server, no consumers, no loops). */
  worker: boolean;
  /** The `webhooks:` family's hub (fan-out in the subgraph's transactions); throws without `webhooks:`. */
  readonly webhooks: WebhookHub;
}

/** What a domain's jobs are built with in the worker: the subgraph's context plus sending jobs. */
export interface SubgraphJobContext<Env, M, Extra = unknown> extends SubgraphContext<Env, M, Extra> {
  /** Enqueues a declared job (rejects until the runner has started). */
  send(name: string, data?: object, options?: JobSendOptions): Promise<string | null>;
}

/** A domain's jobs, and what runs once the runner has started (first sends, listeners) and on close. */
export interface SubgraphJobs {
  jobs: JobDefinition[];
  started?(): Promise<void>;
  close?(): Promise<void>;
}

/** The per-request input of a subgraph's context: the kit has verified the token already. */
export interface SubgraphRequest {
  requestId: string;
  logger: Logger;
  viewer: Viewer | null;
  headers: Record<string, string | undefined>;
}

/** Something that listens on the event bus. */
export interface BusConsumer {
  subscribe(bus: EventBus): Promise<BusSubscription>;
}

/** Background work that runs while the service serves (timers, schedulers). */
export interface BackgroundLoop {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/**
 * A resolver class and how to build it from the service graph: the class is named once for
 * type-graphql (which needs it to print the schema), the factory runs once per start.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type ResolverBinding<S> = readonly [resolver: Function, build: (services: S) => object];

/** A running (or not yet running) subgraph, as its declared handle and verifier see it. */
export interface SubgraphInstance<Env, M, S> {
  readonly name: string;
  readonly infra: Infra;
  readonly env: Env;
  readonly clock: Clock;
  readonly metrics: M;
  readonly logger: Logger;
  /** The service graph while started; undefined before start() and after stop(). */
  running(): S | undefined;
  /** The GraphQL endpoint; throws until started. */
  readonly url: string;
  /** What the context verifies tokens with. */
  readonly verifier: TokenVerifier;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type EntityList = MixedList<Function | string | EntitySchema>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type MigrationList = Function[];

/**
 * Everything that differs between subgraphs. The kit does the rest, in this order:
 * database and migrations → outbox relay → `services` → `beforeServing` → demo data → relay started →
 * schema, server, routes, listen → demo data that needs the URL → bus consumers → background loops.
 * `stop()`: loops, server (drains in-flight requests first), consumers, `drain`, relay, database.
 */
export interface SubgraphDeclaration<Env, M extends ServiceMetrics, S, Ctx extends object, Extra, Handle> {
  /** Service name: logs, metrics (`phub_<name>_…`), `--target`. */
  name: string;
  /** The Postgres schema the subgraph owns. */
  schema: string;
  port: PortSetting;
  /** The subgraph's own settings (the shared ones are the kit's `sharedEnvSchema`). */
  env?: ZodType<Env>;
  entities: EntityList;
  migrations: MigrationList;
  /** Writes that emit events go through a transactional outbox, relayed to the bus. */
  outbox?: boolean;
  metrics: () => M;
  /** Builds the service graph on an open database. */
  services: (ctx: SubgraphContext<Env, M, Extra>) => S;
  /** Awaited before anything is served (e.g. loading keys). */
  beforeServing?: (services: S, ctx: SubgraphContext<Env, M, Extra>) => Promise<unknown>;
  /** Awaited on stop once consumers are closed: work the services still have in flight. */
  drain?: (services: S) => Promise<unknown>;
  resolvers: ResolverBinding<S>[];
  /** `__resolveReference` of each entity this subgraph resolves for others. */
  references?: Record<string, (ref: { id: string }, context: Ctx) => unknown>;
  /** Types the resolvers do not reach but the schema must hold (reference stubs). */
  orphanedTypes?: BuildSchemaOptions['orphanedTypes'];
  context: (request: SubgraphRequest, services: S, ctx: SubgraphContext<Env, M, Extra>) => Ctx | Promise<Ctx>;
  /** Plain HTTP routes; mounted ahead of the GraphQL route and the kit's error handler. */
  routes?: (http: HttpApp, services: S, ctx: SubgraphContext<Env, M, Extra>) => void;
  consumers?: (services: S, ctx: SubgraphContext<Env, M, Extra>) => BusConsumer[];
  loops?: (services: S, ctx: SubgraphContext<Env, M, Extra>) => BackgroundLoop[];
  /**
   * Timed and durable work, run by the worker target (in this process with `--target=all`, else in its own):
   * built on a service graph of its own (the worker's pool on this schema, the shared cache, pub/sub and bus),
   * so what a job publishes reaches subscribers as the subgraph's own changes do.
   */
  jobs?: (services: S, ctx: SubgraphJobContext<Env, M, Extra>) => JobDefinition[] | SubgraphJobs;
  /**
   * Outbound webhooks for one family of the domain's events (packages/kit/src/webhooks): the kit adds the
   * registry's entities, graph types and resolver, the worker's `<family>.webhooks` job and, with `sources`,
   * the bus consumer; the subgraph's migration creates the tables (`createWebhookTables`).
   */
  webhooks?: WebhookDeclaration<Env, M, Ctx, Extra>;
  /** Creates the demo tenant's rows when absent; `afterListening` when they need the service's URL. */
  demoData?: {
    seed: (services: S, ctx: SubgraphContext<Env, M, Extra>) => Promise<unknown>;
    afterListening?: boolean;
  };
  /** Largest request body, when the kit's default (MAX_BODY_BYTES) is too small. */
  bodyLimit?: string;
  /** For a subgraph that verifies tokens itself (auth); others use `options.verifier`. */
  verifier?: (instance: SubgraphInstance<Env, M, S>) => TokenVerifier;
  /** Extra members of the created service (diagnostics, test hooks). */
  handle?: (instance: SubgraphInstance<Env, M, S>) => Handle;
}
