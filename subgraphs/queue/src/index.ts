import {
  authChecker,
  authenticate,
  buildFederatedSchema,
  type BusSubscription,
  type Clock,
  createMemoryPubSub,
  Envelope,
  KmsMasterKey,
  LocalMasterKey,
  GraphQLServer,
  type Infra,
  openDatabase,
  type PlatformPubSub,
  type Service,
  systemClock,
  type TokenVerifier,
} from '@phub/kit';
import type { GraphQLSchema } from 'graphql';
import type { ContainerType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { QueueContext } from './context.js';
import { loadQueueEnv, type QueueEnv } from './env.js';
import { createLoaders } from './loaders.js';
import { createQueueMetrics, type QueueMetrics } from './metrics.js';
import { QueueInitial1764000000500 } from './migrations/1764000000500-queue-initial.js';
import { QueuePersonalData1764000000510 } from './migrations/1764000000510-queue-personal-data.js';
import { Desk } from './modules/desk/desk.entity.js';
import { DeskResolver } from './modules/desk/desk.resolver.js';
import { DeskService } from './modules/desk/desk.service.js';
import { EstimateService } from './modules/estimate/estimate.service.js';
import { Line } from './modules/line/line.entity.js';
import { LineResolver } from './modules/line/line.resolver.js';
import { LineService } from './modules/line/line.service.js';
import { KnownStore } from './modules/projection/projection.entity.js';
import { QueueProjection } from './modules/projection/projection.service.js';
import { StoreResolver } from './modules/store/store.resolver.js';
import { Store, storeRef } from './modules/store/store.types.js';
import { Ticket, TicketAction } from './modules/ticket/ticket.entity.js';
import { TicketResolver } from './modules/ticket/ticket.resolver.js';
import { TicketService } from './modules/ticket/ticket.service.js';
import { PersonalData } from './personal-data.js';
import { QueueScope } from './scope.js';

export { ConsumedTopic } from './events.js';
export { loadQueueEnv, queueEnvSchema, type QueueEnv } from './env.js';

export const QUEUE_SCHEMA = 'queue';
export const queueEntities = [KnownStore, Line, Desk, Ticket, TicketAction];
export const queueMigrations = [QueueInitial1764000000500, QueuePersonalData1764000000510];

interface QueueServices {
  lines: LineService;
  desks: DeskService;
  tickets: TicketService;
  estimates: EstimateService;
}

const resolvers = [LineResolver, DeskResolver, TicketResolver, StoreResolver] as const;

/** Resolvers get their services from here (type-graphql's container hook). */
function containerFor(services: QueueServices | null): ContainerType {
  // Only the schema printer runs without services, and it calls no resolver.
  const s = (services ?? {}) as QueueServices;
  const instances = new Map<unknown, unknown>([
    [LineResolver, new LineResolver(s.lines)],
    [DeskResolver, new DeskResolver(s.desks)],
    [TicketResolver, new TicketResolver(s.tickets)],
    [StoreResolver, new StoreResolver(s.lines, s.desks)],
  ]);
  return { get: (cls) => instances.get(cls) };
}

function buildSchemaWith(services: QueueServices | null, pubSub: PlatformPubSub): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [...resolvers],
      orphanedTypes: [Store],
      pubSub,
      container: containerFor(services),
      authChecker,
      validate: { forbidUnknownValues: false },
    },
    {
      // Store's own fields come from location; the queue's fields need only the id.
      Store: { __resolveReference: (ref: { id: string }) => storeRef(ref.id) },
    },
  );
}

/** The subgraph schema, for printing SDL (`pnpm compose`); needs no database. */
export function buildQueueSchema(): Promise<GraphQLSchema> {
  return buildSchemaWith(null, createMemoryPubSub());
}

export interface QueueServiceOptions {
  port: number;
  host?: string;
  /** Accepted for symmetry with the other services; the queue has no demo rows of its own yet. */
  demoData?: boolean;
  /** Verifies access tokens (JWKS of the auth service, revocations in the shared cache). */
  verifier: TokenVerifier;
  /** Queue settings; parsed from the process environment when omitted. */
  env?: QueueEnv;
  /** Time for ticket timestamps, opening hours and estimates; tests move it by hand. */
  clock?: Clock;
  /** Test seam: seals the personal-data key instead of KMS or DATA_DIR's master key. */
  envelope?: Envelope;
}

export interface QueueServiceHandle extends Service {
  readonly url: string;
  readonly metrics: QueueMetrics;
}

/** The queue subgraph (Store Queuing): lines, desks, tickets, clerk actions, remote joining and live updates. */
export function createQueueService(infra: Infra, options: QueueServiceOptions): QueueServiceHandle {
  const env = options.env ?? loadQueueEnv();
  const clock = options.clock ?? systemClock;
  const logger = infra.logger.child({ service: 'queue' });
  const metrics = createQueueMetrics();
  let dataSource: DataSource | undefined;
  let server: GraphQLServer<QueueContext> | undefined;
  const subscriptions: BusSubscription[] = [];

  return {
    name: 'queue',
    metrics,
    get url() {
      if (!server) throw new Error('queue is not started');
      return server.url;
    },
    async start() {
      dataSource = await openDatabase({
        url: infra.databaseUrl,
        schema: QUEUE_SCHEMA,
        entities: queueEntities,
        migrations: queueMigrations,
        logger,
      });
      const ds = dataSource;
      const lines = new LineService(ds, clock);
      const desks = new DeskService(ds, lines, clock);
      const estimates = new EstimateService(ds, clock, env.QUEUE_DEFAULT_SERVICE_MINUTES * 60_000);
      // Visitors' personal data is sealed by a master key: KMS, or a file under DATA_DIR (0600, made on first start).
      const envelope =
        options.envelope ??
        new Envelope(
          env.KMS_KEY_ID ? new KmsMasterKey(env.KMS_KEY_ID) : LocalMasterKey.loadOrCreate(infra.env.DATA_DIR),
        );
      const personal = await PersonalData.open(ds, envelope);
      const tickets = new TicketService(
        ds,
        lines,
        desks,
        infra.pubsub,
        clock,
        metrics,
        {
          maxActivePerPhone: env.QUEUE_MAX_ACTIVE_PER_PHONE,
          maxJoinsPerPhonePerDay: env.QUEUE_MAX_JOINS_PER_PHONE_PER_DAY,
          defaultCapacity: env.QUEUE_DEFAULT_LINE_CAPACITY,
          tokenTtlMs: env.QUEUE_TOKEN_TTL_HOURS * 3_600_000,
        },
        personal,
      );
      server = new GraphQLServer<QueueContext>({
        name: 'queue',
        schema: await buildSchemaWith({ lines, desks, tickets, estimates }, infra.pubsub),
        logger,
        metrics,
        readiness: [{ name: 'postgres', check: () => ds.query('SELECT 1') }, ...infra.readiness],
        shutdownTimeoutMs: infra.env.SHUTDOWN_TIMEOUT_MS,
        context: async (input): Promise<QueueContext> => {
          const viewer = await authenticate(input, options.verifier);
          return {
            requestId: input.requestId,
            logger: input.logger,
            viewer,
            scope: new QueueScope(viewer),
            loaders: createLoaders(tickets, estimates, lines),
            pubsub: infra.pubsub,
            tickets,
          };
        },
      });
      await server.start(options.port, options.host);
      subscriptions.push(await new QueueProjection(ds, logger).subscribe(infra.bus));
    },
    async stop() {
      await server?.stop();
      for (const s of subscriptions.splice(0)) await s.close();
      await dataSource?.destroy();
    },
  };
}
