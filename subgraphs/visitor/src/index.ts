import {
  defineSubgraph,
  type Envelope,
  masterKeyEnvelope,
  type SubgraphContext,
  type SubgraphOptions,
} from '@phub/kit';
import type { VisitorContext } from './context.js';
import { seedDemoData } from './demo/demo-data.js';
import { visitorEnvSchema, type VisitorEnv } from './env.js';
import { createVisitorMetrics, type VisitorMetrics } from './metrics.js';
import { VisitorInitial1764000000700 } from './migrations/1764000000700-visitor-initial.js';
import { VisitorAuditEntry } from './modules/audit/audit.entity.js';
import { AuditResolver } from './modules/audit/audit.resolver.js';
import { AuditService } from './modules/audit/audit.service.js';
import { Visit } from './modules/checkin/checkin.entity.js';
import { CheckInResolver } from './modules/checkin/checkin.resolver.js';
import { CheckInService } from './modules/checkin/checkin.service.js';
import { VisitorWebhookEvent } from './modules/checkin/checkin.webhooks.js';
import { VisitorWebhooks1764000000710 } from './migrations/1764000000710-visitor-webhooks.js';
import { ConsentService } from './modules/consent/consent.service.js';
import { Profile } from './modules/profile/profile.entity.js';
import { ProfileResolver } from './modules/profile/profile.resolver.js';
import { ProfileService } from './modules/profile/profile.service.js';
import { VisitorReportResolver } from './modules/report/report.resolver.js';
import { VisitorReportService } from './modules/report/report.service.js';
import { visitorRetentionJob } from './modules/retention/retention.job.js';
import { Segment } from './modules/segment/segment.entity.js';
import { SegmentImport } from './modules/segment/segment.import.js';
import { SegmentResolver } from './modules/segment/segment.resolver.js';
import { SegmentService } from './modules/segment/segment.service.js';
import { PersonalData } from './personal-data.js';
import { VisitorScope } from './scope.js';

export { loadVisitorEnv, visitorEnvSchema, type VisitorEnv } from './env.js';
export { ConsumedTopic, VisitorTopic } from './events.js';
export { VISITOR_RETENTION_JOB } from './modules/retention/retention.job.js';

/** The visitor subgraph's own test seam: data keys are wrapped by this instead of KMS or DATA_DIR's master key. */
interface VisitorOptions {
  envelope?: Envelope;
}
type VisitorSetup = SubgraphContext<VisitorEnv, VisitorMetrics, VisitorOptions>;

/** Visitors' data keys are wrapped by a master key: KMS, or a file under DATA_DIR (0600, made on first start). */
function envelopeOf({ options, env, infra }: VisitorSetup): Envelope {
  return options.envelope ?? masterKeyEnvelope(env.KMS_KEY_ID, infra.env.DATA_DIR);
}

/** Every service of the subgraph, wired once per start (or once per worker). */
function createServices(ctx: VisitorSetup) {
  const { dataSource: ds, clock, env, metrics, nudgeOutbox, webhooks } = ctx;
  const personal = new PersonalData(ds, envelopeOf(ctx));
  const audit = new AuditService(ds, clock);
  const consents = new ConsentService(ds, clock);
  const segments = new SegmentService(ds, clock, personal, consents);
  const profiles = new ProfileService(ds, clock, personal, consents, segments, audit, metrics);
  const imports = new SegmentImport(ds, profiles, segments, audit);
  const checkIns = new CheckInService(
    ds,
    clock,
    profiles,
    consents,
    segments,
    audit,
    metrics,
    { momentSeconds: env.VISITOR_MOMENT_SECONDS, windowMinutes: env.VISITOR_CHECKIN_WINDOW_MINUTES },
    nudgeOutbox,
    webhooks,
  );
  return { personal, audit, consents, segments, profiles, imports, checkIns, reports: new VisitorReportService(ds) };
}

/**
 * The visitor subgraph (Visitor API): profiles, identifiers, consent, segments, check-ins and what staff see of
 * them, with every personal field sealed by the kit's envelope keys and erasure by crypto-shredding.
 */
export const visitor = defineSubgraph({
  name: 'visitor',
  schema: 'visitor',
  port: { variable: 'VISITOR_PORT', default: 4008 },
  env: visitorEnvSchema,
  entities: [Profile, Segment, Visit, VisitorAuditEntry],
  migrations: [VisitorInitial1764000000700, VisitorWebhooks1764000000710],
  // presence.moment.v1 is written in the check-in's transaction.
  outbox: true,
  metrics: createVisitorMetrics,
  services: (ctx: VisitorSetup) => createServices(ctx),
  resolvers: [
    [ProfileResolver, (s) => new ProfileResolver(s.profiles, s.consents, s.segments)],
    [SegmentResolver, (s) => new SegmentResolver(s.segments, s.imports)],
    [CheckInResolver, (s) => new CheckInResolver(s.checkIns)],
    [AuditResolver, (s) => new AuditResolver(s.audit)],
    [VisitorReportResolver, (s) => new VisitorReportResolver(s.reports)],
  ],
  context: ({ requestId, logger, viewer }): VisitorContext => ({
    requestId,
    logger,
    viewer,
    scope: new VisitorScope(viewer),
    opened: new Map(),
    audited: new Set(),
  }),
  // The queue's tickets: a linked visit's outcome, and which store a ticket is of.
  consumers: (s, { logger }) => [{ subscribe: (bus) => s.checkIns.subscribe(bus, logger) }],
  jobs: (s, { env, clock }) => [
    visitorRetentionJob(
      async () => s.profiles,
      env.VISITOR_RETENTION_DAYS,
      () => new Date(clock.now()),
    ),
  ],
  // Partners' (a CDP's) visitor webhooks: the kit's registry in this schema; each check-in fans out in its own
  // transaction (modules/checkin/checkin.webhooks.ts). Nothing personal is in a delivery.
  webhooks: {
    family: 'visitor',
    events: VisitorWebhookEvent,
    describe: 'visitor check-ins',
    subjectField: 'checkInId',
    scope: (ctx: VisitorContext) => ctx.scope,
    settings: (env) => ({
      maxAttempts: env.VISITOR_WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: env.VISITOR_WEBHOOK_RETRY_BASE_SECONDS * 1000,
      retryCapMs: env.VISITOR_WEBHOOK_RETRY_MAX_SECONDS * 1000,
      timeoutMs: env.VISITOR_WEBHOOK_TIMEOUT_MS,
      allowPrivate: env.VISITOR_WEBHOOK_ALLOW_PRIVATE,
    }),
    envelope: envelopeOf,
  },
  demoData: { seed: (s, { dataSource, logger }) => seedDemoData(dataSource, s, logger) },
  handle: (v) => ({
    metrics: v.metrics,
    /** While running: the profiles (tests, e.g. the retention job's work). */
    profiles: () => v.running()?.profiles,
  }),
});

export const VISITOR_SCHEMA = visitor.schema;
export const buildVisitorSchema = visitor.buildSchema;
export const createVisitorService = visitor.create;
export type VisitorServiceOptions = SubgraphOptions<VisitorEnv, VisitorOptions>;
export type VisitorServiceHandle = ReturnType<typeof createVisitorService>;
/** The worker's retention job, on the visitor schema. */
export const visitorJobs = visitor.jobSource();
