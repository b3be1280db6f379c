import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { DataSource } from 'typeorm';
import type { DeliveredMessage } from '../bus/bus.js';
import type { Envelope } from '../crypto/envelope.js';
import { defineJob, type JobDefinition } from '../jobs/job.js';
import { DEFAULT_JOBS_SCHEMA } from '../jobs/runner.js';
import type { Logger } from '../logger.js';
import type { BusConsumer, SubgraphContext } from '../subgraph/declaration.js';
import type { Visibility } from '../visibility/visibility.js';
import { WebhookEgress, type EgressSettings } from './webhook.egress.js';
import { type DataKeyLocation, defaultKeyLocation, WebhookSecrets } from './webhook.secrets.js';
import { type RetrySettings, type WebhookEvent, WebhookHub } from './webhook.service.js';

export type WebhookSettings = Omit<RetrySettings, 'leaseMs'> & Partial<Pick<RetrySettings, 'leaseMs'>> & EgressSettings;

/** Events taken from the bus (a domain's own topic): parsed with its contract, each message → its events. */
export interface WebhookSource<T = unknown> {
  topic: string;
  /** The topic's contract (throws on a malformed message: it goes to the dead letters). */
  parse(value: unknown): T;
  /** The webhook events a message makes (none: not a family event); `eventId` is stable per message. */
  events(payload: T, eventId: string): WebhookEvent[];
}

/**
 * `webhooks:` in `defineSubgraph`: one family of outbound webhooks. The kit adds the endpoint and delivery
 * tables' entities (the subgraph's migration creates them with `createWebhookTables`), the graph types and
 * resolver, the worker's `<family>.webhooks` job, and — with `sources` — a bus consumer that fans its topics
 * out; `ctx.webhooks` is the hub for fan-out inside the subgraph's own transactions.
 */
export interface WebhookDeclaration<Env, M, Ctx, Extra> {
  /** Lower case; also the partner domain whose read scope lets an API client subscribe. */
  family: string;
  /** The family's events: an enum registered with type-graphql. */
  events: Record<string, string>;
  /** For descriptions: "ticket events". */
  describe: string;
  /** The graph name of a delivery's subject id (`ticketId`). */
  subjectField: string;
  /** The viewer's visibility in the family's domain (the subgraph's scope class), from its request context. */
  scope: (ctx: Ctx) => Visibility;
  settings: (env: Env) => WebhookSettings;
  /** Seals the secrets' data key: KMS or DATA_DIR's master key (tests: their own). */
  envelope: (ctx: SubgraphContext<Env, M, Extra>) => Envelope;
  /** A data key row the subgraph already keeps; default the `webhook_key` table `createWebhookTables` makes. */
  secretKey?: DataKeyLocation;
  /** Whether the tenant has the store (the subgraph's projection of location). */
  storeExists?: (ctx: SubgraphContext<Env, M, Extra>) => (tenantId: string, storeId: string) => Promise<boolean>;
  /** Topics delivered from the bus (consumer group `<subgraph>.webhooks`). */
  sources?: WebhookSource<unknown>[];
}

/** Asks the worker to run the delivery job now rather than at its next minute; best effort, after commit. */
class DeliveryNudge {
  private readonly boss: PgBoss;

  constructor(
    dataSource: DataSource,
    private readonly job: string,
    private readonly logger: Logger,
  ) {
    this.boss = new PgBoss({
      schema: DEFAULT_JOBS_SCHEMA,
      db: { executeSql: async (text, values) => ({ rows: (await dataSource.query(text, values)) as unknown[] }) },
    });
  }

  send(): void {
    // The deliveries are durable rows already: a lost nudge waits for the job's minute.
    this.boss.send(this.job, {}).catch((err: unknown) => this.logger.debug({ err, job: this.job }, 'nudge not sent'));
  }
}

/** A running family: the hub, and what the kit closes on stop. */
export interface WebhookRuntime {
  hub: WebhookHub;
  /** Opens the secrets' key (before serving, so a missing master key fails the start, not a request). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function createWebhookRuntime<Env, M, Ctx, Extra>(
  d: WebhookDeclaration<Env, M, Ctx, Extra>,
  ctx: SubgraphContext<Env, M, Extra>,
  schema: string,
): WebhookRuntime {
  const settings = d.settings(ctx.env);
  const egress = new WebhookEgress(settings);
  let secrets: Promise<WebhookSecrets> | undefined;
  const openSecrets = () =>
    (secrets ??= WebhookSecrets.open(ctx.dataSource, d.envelope(ctx), d.secretKey ?? defaultKeyLocation(schema)).catch(
      (err: unknown) => {
        secrets = undefined;
        throw err;
      },
    ));
  const nudge = new DeliveryNudge(ctx.dataSource, `${d.family}.webhooks`, ctx.logger);
  const hub = new WebhookHub({
    family: d.family,
    events: Object.values(d.events),
    dataSource: ctx.dataSource,
    clock: ctx.clock,
    retry: { ...settings, leaseMs: settings.leaseMs ?? Math.max(60_000, settings.timeoutMs * 3) },
    urls: settings,
    egress,
    secrets: openSecrets,
    ...(d.storeExists ? { storeExists: d.storeExists(ctx) } : {}),
    nudge: () => nudge.send(),
    logger: ctx.logger.child({ webhooks: d.family }),
  });
  return {
    hub,
    ready: async () => void (await openSecrets()),
    close: () => egress.close(),
  };
}

/** The worker's job: delivers the due deliveries every minute, and at once when nudged; one run at a time. */
export function webhookJob(hub: WebhookHub): JobDefinition {
  return defineJob({
    name: hub.jobName,
    schedule: { cron: '* * * * *', timeZone: 'UTC' },
    singleton: true,
    // The run itself is retried only when the database is away; endpoint failures are each delivery's own.
    retry: { limit: 3, delaySeconds: 5, backoff: true },
    timeoutSeconds: 600,
    run: async ({ signal, logger }) => {
      const result = await hub.dispatchDue(signal);
      if (result.delivered + result.failed + result.retrying) logger.info(result, 'webhooks dispatched');
    },
  });
}

/** A stable event id for a bus message: its outbox row when relayed from one, else its place in the log. */
export function busEventId(message: DeliveredMessage): string {
  const where = message.headers['outbox-id'] ?? `${message.partition}:${message.offset}`;
  const h = createHash('sha256').update(`${message.topic}:${where}`).digest('hex');
  // A version-4-shaped uuid (the column is uuid), from the hash.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Fans the sources' topics out into deliveries (consumer group `<subgraph>.webhooks`). */
export function webhookConsumer(subgraph: string, hub: WebhookHub, sources: WebhookSource<unknown>[]): BusConsumer {
  const byTopic = new Map(sources.map((s) => [s.topic, s]));
  return {
    subscribe: (bus) =>
      bus.subscribe({
        groupId: `${subgraph}.webhooks`,
        topics: [...byTopic.keys()],
        handler: async (message) => {
          const source = byTopic.get(message.topic);
          if (!source) return;
          await hub.fanOutNow(source.events(source.parse(message.value), busEventId(message)));
        },
      }),
  };
}
