import {
  defineSubgraph,
  Envelope,
  KmsMasterKey,
  LocalMasterKey,
  type SubgraphContext,
  type SubgraphOptions,
} from '@phub/kit';
import { CLIENT_IP_HEADER, stampClientIp } from './client-ip.js';
import type { QueueContext } from './context.js';
import { seedDemoData } from './demo/demo-data.js';
import { queueEnvSchema, type QueueEnv } from './env.js';
import { createLoaders } from './loaders.js';
import { createQueueMetrics, type QueueMetrics } from './metrics.js';
import { QueueInitial1764000000500 } from './migrations/1764000000500-queue-initial.js';
import { QueuePersonalData1764000000510 } from './migrations/1764000000510-queue-personal-data.js';
import { QueueNotifications1764000000550 } from './migrations/1764000000550-queue-notifications.js';
import { JobNudge } from './modules/delivery/delivery.nudge.js';
import { createDeliveryServices } from './modules/delivery/delivery.services.js';
import { queueAppointmentRemindersJob, queueNoShowSweepJob } from './modules/appointment/appointment.job.js';
import { QUEUE_SMS_JOB, queueSmsJob } from './modules/delivery/delivery.job.js';
import type { SmsTransport } from './modules/sms/sms.transport.js';
import { QueueReportRollup1764000000580 } from './migrations/1764000000580-queue-report-rollup.js';
import { QueueWebhooksKit1764000000590 } from './migrations/1764000000590-queue-webhooks-kit.js';
import { QueueAppointmentReminders1764000000600 } from './migrations/1764000000600-queue-appointment-reminders.js';
import { QueueTicketActiveIndex1764000000610 } from './migrations/1764000000610-queue-ticket-active-index.js';
import { BoardResolver, QueueUpdateBoardResolver } from './modules/board/board.resolver.js';
import { BoardService } from './modules/board/board.service.js';
import { QueueAppointmentsCollect1764000000530 } from './migrations/1764000000530-queue-appointments-collect.js';
import { Appointment } from './modules/appointment/appointment.entity.js';
import { AppointmentResolver, TicketAppointmentResolver } from './modules/appointment/appointment.resolver.js';
import { AppointmentService } from './modules/appointment/appointment.service.js';
import { CheckInResolver } from './modules/checkin/checkin.resolver.js';
import { CheckInService } from './modules/checkin/checkin.service.js';
import { CollectOrder } from './modules/collect/collect.entity.js';
import { CollectOrderResolver, TicketOrderResolver } from './modules/collect/collect.resolver.js';
import { CollectService } from './modules/collect/collect.service.js';
import { Desk } from './modules/desk/desk.entity.js';
import { DeskResolver } from './modules/desk/desk.resolver.js';
import { DeskService } from './modules/desk/desk.service.js';
import { EstimateService } from './modules/estimate/estimate.service.js';
import { Line } from './modules/line/line.entity.js';
import { LineResolver } from './modules/line/line.resolver.js';
import { LineService } from './modules/line/line.service.js';
import { KnownStore } from './modules/projection/projection.entity.js';
import { SmsMessage } from './modules/sms/sms.entity.js';
import { SmsResolver } from './modules/sms/sms.resolver.js';
import type { SmsService } from './modules/sms/sms.service.js';
import { TicketEvents } from './modules/ticket/ticket.events.js';
import type { WebhookService } from './modules/webhook/webhook.service.js';
import { QueueProjection } from './modules/projection/projection.service.js';
import { QueueReportResolver } from './modules/report/report.resolver.js';
import { QueueReportService } from './modules/report/report.service.js';
import { StoreResolver } from './modules/store/store.resolver.js';
import { Store, storeRef } from './modules/store/store.types.js';
import { Ticket, TicketAction, TicketActionKind } from './modules/ticket/ticket.entity.js';
import { TicketResolver } from './modules/ticket/ticket.resolver.js';
import { TicketService } from './modules/ticket/ticket.service.js';
import { PERSONAL_DATA_KEY, PersonalData } from './personal-data.js';
import { QueueScope } from './scope.js';

export { ConsumedTopic } from './events.js';
export { loadQueueEnv, queueEnvSchema, type QueueEnv } from './env.js';
export { QueueTopic } from './events.js';
export type { ReminderRequest, SmsService } from './modules/sms/sms.service.js';
export { QUEUE_SMS_JOB, QUEUE_WEBHOOKS_JOB } from './modules/delivery/delivery.job.js';
// Receivers' side of the signature (the kit's; re-exported where queue tests and e2e tests look for it).
export { verifyWebhook, signWebhook, SIGNATURE_HEADER } from '@phub/kit';

/** The queue's own test seam: the personal-data key is sealed by this instead of KMS or DATA_DIR's master key. */
interface QueueOptions {
  envelope?: Envelope;
  /** Where SMS go instead of SNS or the outbox (tests). */
  smsTransport?: SmsTransport;
}
type QueueSetup = SubgraphContext<QueueEnv, QueueMetrics, QueueOptions>;

// One envelope per start (the subgraph's or the worker's): the personal-data key and the webhooks' share it.
const envelopes = new WeakMap<QueueSetup, Envelope>();
/** Visitors' personal data is sealed by a master key: KMS, or a file under DATA_DIR (0600, made on first start). */
function envelopeOf(ctx: QueueSetup): Envelope {
  let envelope = envelopes.get(ctx);
  if (!envelope) {
    const { options, env, infra } = ctx;
    envelope =
      options.envelope ??
      new Envelope(env.KMS_KEY_ID ? new KmsMasterKey(env.KMS_KEY_ID) : LocalMasterKey.loadOrCreate(infra.env.DATA_DIR));
    envelopes.set(ctx, envelope);
  }
  return envelope;
}

/** Every service of the subgraph, wired once per start; tickets once `openTickets()` has unsealed the key. */
function createServices(ctx: QueueSetup) {
  const { dataSource: ds, infra, env, clock, metrics, options, logger, nudgeOutbox } = ctx;
  let events: TicketEvents | undefined;
  // Lines are configured through the graph, so only after beforeServing wired the events.
  const lines = new LineService(ds, clock, () => {
    if (!events) throw new Error('queue: a line changed before its events were wired');
    return events;
  });
  const desks = new DeskService(ds, lines, clock);
  const estimates = new EstimateService(ds, clock, env.QUEUE_DEFAULT_SERVICE_MINUTES * 60_000);
  const envelope = envelopeOf(ctx);
  let tickets: TicketService | undefined;
  let opening: Promise<void> | undefined;
  let personalData: PersonalData | undefined;
  let delivery: { sms: SmsService; webhooks: WebhookService } | undefined;
  const nudge = new JobNudge(ds, logger);
  let visits: { appointments: AppointmentService; orders: CollectService; checkIns: CheckInService } | undefined;
  const minutes = (n: number) => n * 60_000;
  return {
    lines,
    desks,
    estimates,
    boards: new BoardService(ds, lines, estimates, clock),
    reports: new QueueReportService(ds, env.QUEUE_REPORT_MAX_DAYS),
    /** Unsealing the data key is async (KMS), so the ticket service is wired before serving, not here. */
    /** Opens the tickets once, however many ask (serving, or the worker's first job). */
    ready(): Promise<void> {
      opening ??= this.openTickets();
      return opening;
    },
    async openTickets(): Promise<void> {
      const personal = await PersonalData.open(ds, envelope);
      personalData = personal;
      // SMS and webhooks are queued here, in the ticket's transaction, and sent by the worker's jobs.
      const d = createDeliveryServices(ds, clock, personal, env, logger, ctx.webhooks, options.smsTransport);
      delivery = d;
      events = new TicketEvents(env.QUEUE_DEFAULT_SERVICE_MINUTES * 60_000, d.sms, d.webhooks, {
        outbox: nudgeOutbox,
        jobs: (pending) => nudge.nudge(pending),
      });
      tickets = new TicketService(
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
        events,
      );
      const appointments = new AppointmentService(
        ds,
        lines,
        tickets,
        personal,
        clock,
        {
          priorityMs: minutes(env.QUEUE_APPOINTMENT_PRIORITY_MINUTES),
          checkInEarlyMs: minutes(env.QUEUE_CHECKIN_EARLY_MINUTES),
          graceMs: minutes(env.QUEUE_APPOINTMENT_GRACE_MINUTES),
          maxDaysAhead: env.QUEUE_BOOKING_DAYS_AHEAD,
          maxPerPhone: env.QUEUE_MAX_APPOINTMENTS_PER_PHONE,
        },
        d.sms,
        logger,
      );
      const orders = new CollectService(ds, lines, tickets, personal, clock);
      const checkIns = new CheckInService(ds, lines, tickets, appointments, orders, infra.cache, metrics, {
        maxWrongCodes: env.QUEUE_CHECKIN_MAX_WRONG_CODES,
        windowSeconds: env.QUEUE_CHECKIN_WINDOW_MINUTES * 60,
      });
      visits = { appointments, orders, checkIns };
    },
    get tickets(): TicketService {
      if (!tickets) throw new Error('queue: tickets used before the personal-data key was opened');
      return tickets;
    },
    /** SMS: the outbox, and appointment reminders (`scheduleReminder`) for the appointments module. */
    get sms(): SmsService {
      if (!delivery) throw new Error('queue: SMS used before the personal-data key was opened');
      return delivery.sms;
    },
    get webhooks(): WebhookService {
      if (!delivery) throw new Error('queue: webhooks used before the personal-data key was opened');
      return delivery.webhooks;
    },
    /** Appointments, collect orders and check-in by code: wired with the tickets. */
    get visits() {
      if (!visits) throw new Error('queue: appointments used before the personal-data key was opened');
      return visits;
    },
    /** The demo data seals its visitors' names with it. */
    get personal(): PersonalData {
      if (!personalData) throw new Error('queue: personal data used before its key was opened');
      return personalData;
    },
  };
}

/** The queue subgraph (Store Queuing): lines, desks, tickets, clerk actions, remote joining and live updates. */
export const queue = defineSubgraph({
  name: 'queue',
  schema: 'queue',
  port: { variable: 'QUEUE_PORT', default: 4005 },
  env: queueEnvSchema,
  entities: [KnownStore, Line, Desk, Ticket, TicketAction, Appointment, CollectOrder, SmsMessage],
  migrations: [
    QueueInitial1764000000500,
    QueuePersonalData1764000000510,
    QueueAppointmentsCollect1764000000530,
    QueueNotifications1764000000550,
    QueueReportRollup1764000000580,
    QueueWebhooksKit1764000000590,
    QueueAppointmentReminders1764000000600,
    QueueTicketActiveIndex1764000000610,
  ],
  // queue.ticket.v1 and queue.line.v1 are written with the change they describe.
  outbox: true,
  metrics: createQueueMetrics,
  services: (ctx: QueueSetup) => createServices(ctx),
  beforeServing: (s) => s.ready(),
  resolvers: [
    [LineResolver, (s) => new LineResolver(s.lines)],
    [DeskResolver, (s) => new DeskResolver(s.desks)],
    [TicketResolver, (s) => new TicketResolver(s.tickets)],
    [StoreResolver, (s) => new StoreResolver(s.lines, s.desks)],
    [SmsResolver, (s) => new SmsResolver(s.sms)],
    [BoardResolver, (s) => new BoardResolver(s.boards)],
    [QueueUpdateBoardResolver, (s) => new QueueUpdateBoardResolver(s.boards)],
    [QueueReportResolver, (s) => new QueueReportResolver(s.reports)],
    [AppointmentResolver, (s) => new AppointmentResolver(s.visits.appointments)],
    [TicketAppointmentResolver, (s) => new TicketAppointmentResolver(s.visits.appointments)],
    [CollectOrderResolver, (s) => new CollectOrderResolver(s.visits.orders)],
    [TicketOrderResolver, (s) => new TicketOrderResolver(s.visits.orders)],
    [CheckInResolver, (s) => new CheckInResolver(s.visits.checkIns, s.tickets)],
  ],
  // Store (location's entity, extended here) is listed so its stub is in the schema.
  orphanedTypes: [Store],
  context: ({ requestId, logger, viewer, headers }, s, { infra }): QueueContext => ({
    requestId,
    clientIp: headers[CLIENT_IP_HEADER] ?? 'unknown',
    logger,
    viewer,
    scope: new QueueScope(viewer),
    loaders: createLoaders(s.tickets, s.estimates, s.lines, s.sms),
    pubsub: infra.pubsub,
    tickets: s.tickets,
  }),
  references: {
    // Store's own fields come from location; the queue's fields need only the id.
    Store: (ref) => storeRef(ref.id),
  },
  // GraphQL contexts see only headers: the client's address travels in one this service sets itself.
  routes: ({ app }) => stampClientIp(app),
  consumers: (_s, { dataSource, logger }) => [new QueueProjection(dataSource, logger)],
  // SMS, appointments' no-shows and reminders (webhooks: the kit's queue.webhooks); the worker opens the
  // personal-data key on the first run.
  jobs: (s, { env, send, logger }) => [
    queueSmsJob(async () => {
      await s.ready();
      return s.sms;
    }),
    queueNoShowSweepJob(async () => {
      await s.ready();
      return s.visits.appointments;
    }, env.QUEUE_NO_SHOW_SWEEP_SECONDS),
    queueAppointmentRemindersJob(
      async () => {
        await s.ready();
        return s.visits.appointments;
      },
      env.QUEUE_REMINDER_LEAD_MINUTES,
      // Best effort: the SMS job's minutely run picks up whatever a lost send leaves.
      () => void send(QUEUE_SMS_JOB).catch((err: unknown) => logger.debug({ err }, 'SMS job not woken')),
    ),
  ],
  // Ticket events to partners' endpoints (packages/kit/src/webhooks), fanned out in each ticket change's
  // transaction (modules/ticket/ticket.events.ts); secrets sealed with the personal-data key.
  webhooks: {
    family: 'queue',
    events: TicketActionKind,
    describe: 'ticket events',
    subjectField: 'ticketId',
    scope: (ctx: QueueContext) => ctx.scope,
    settings: (env) => ({
      maxAttempts: env.QUEUE_WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: env.QUEUE_RETRY_BASE_SECONDS * 1000,
      retryCapMs: env.QUEUE_RETRY_MAX_SECONDS * 1000,
      timeoutMs: env.QUEUE_WEBHOOK_TIMEOUT_MS,
      allowPrivate: env.QUEUE_WEBHOOK_ALLOW_PRIVATE,
    }),
    envelope: envelopeOf,
    secretKey: PERSONAL_DATA_KEY,
    storeExists:
      ({ dataSource }) =>
      async (tenantId, storeId) =>
        (await dataSource.manager.countBy(KnownStore, { id: storeId, tenantId })) > 0,
  },
  // After beforeServing: the visitors' names are sealed with the data key it opens.
  demoData: { seed: (s, { dataSource, clock, logger }) => seedDemoData(dataSource, s.personal, clock, logger) },
  handle: (q) => ({
    metrics: q.metrics,
    /** SMS (appointment reminders: `scheduleReminder`, `cancelReminder`) while started. */
    get sms(): SmsService {
      const running = q.running();
      if (!running) throw new Error('queue: not started');
      return running.sms;
    },
    /** While running: appointments (the no-show sweep, reminders), e.g. for tests and jobs. */
    appointments: () => q.running()?.visits.appointments,
  }),
});

export const QUEUE_SCHEMA = queue.schema;
export const queueEntities = queue.entities;
export const queueMigrations = queue.migrations;
export const buildQueueSchema = queue.buildSchema;
export const createQueueService = queue.create;
export type QueueServiceOptions = SubgraphOptions<QueueEnv, QueueOptions>;
export type QueueServiceHandle = ReturnType<typeof createQueueService>;
/** The worker's SMS and webhook jobs, on the queue's schema. */
export const queueJobs = queue.jobSource();
