import { GATEWAY_SECRET_HEADER, type Clock, type Logger } from '@phub/kit/edge';
import { fetch, type Agent } from 'undici';
import type { GatewayMetrics } from '../metrics.js';

/** How a partner request ended, for its client's usage. */
export type UsageOutcome = 'ok' | 'error' | 'limited';

/** Counts of one client in one hour (UTC), as auth stores them. */
export interface UsageReport {
  clientId: string;
  hour: string;
  requests: number;
  errors: number;
  rateLimited: number;
  cost: number;
}

/** Where auth takes the reports (its internal route, gateway secret only). */
export const USAGE_REPORT_PATH = '/internal/api-client-usage';

const HOUR_MS = 3_600_000;

export interface UsageRecorderOptions {
  /** The auth subgraph's base URL, once a supergraph names it. */
  authBase: () => string | undefined;
  agent: Agent;
  timeoutMs: number;
  secret?: string;
  flushMs: number;
  clock: Clock;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Client-hours kept while auth cannot be reached; beyond them the oldest are dropped (and counted). */
  maxPending?: number;
}

/**
 * Usage per partner API client: requests, errors, 429s and estimated cost, counted per client and hour
 * in this process and added to auth's store every few seconds (`ApiClient.usage` shows them to HQ
 * admins). Not metric labels: client ids are made by tenants, an unbounded set for Prometheus, while a
 * table keyed by client and hour costs one row per active client and hour. Counts that could not be
 * delivered stay for the next flush; a crash loses at most one flush interval.
 */
export class UsageRecorder {
  private pending = new Map<string, UsageReport>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private lastWarning = 0;

  constructor(private readonly options: UsageRecorderOptions) {}

  record(clientId: string, outcome: UsageOutcome, cost: number): void {
    const hour = new Date(Math.floor(this.options.clock.now() / HOUR_MS) * HOUR_MS).toISOString();
    const key = `${clientId}|${hour}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { clientId, hour, requests: 0, errors: 0, rateLimited: 0, cost: 0 };
      this.pending.set(key, entry);
      this.trim();
    }
    entry.requests++;
    if (outcome === 'error') entry.errors++;
    if (outcome === 'limited') entry.rateLimited++;
    entry.cost += Math.max(0, Math.round(cost));
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.flushMs);
    this.timer.unref();
  }

  /** Stops the timer and delivers what is left (the gateway is stopping: its counts would be lost). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Sends what was counted since the last flush; one flush at a time. */
  flush(): Promise<void> {
    this.flushing ??= this.send().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async send(): Promise<void> {
    if (!this.pending.size) return;
    const batch = this.pending;
    this.pending = new Map();
    const { options } = this;
    const { metrics } = options;
    const base = options.authBase();
    try {
      if (!base) throw new Error('no auth subgraph in the supergraph');
      const res = await fetch(`${base}${USAGE_REPORT_PATH}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.secret ? { [GATEWAY_SECRET_HEADER]: options.secret } : {}),
        },
        body: JSON.stringify({ usage: [...batch.values()] }),
        dispatcher: options.agent,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const answer = await res.text();
      if (!res.ok) throw new Error(`auth answered ${res.status}: ${answer.slice(0, 200)}`);
      metrics.partnerUsageReports.inc({ outcome: 'stored' }, batch.size);
    } catch (err) {
      metrics.partnerUsageReports.inc({ outcome: 'retried' }, batch.size);
      // Older counts first, so that trimming drops them first; what was counted meanwhile is added up.
      const merged = new Map(batch);
      for (const [key, report] of this.pending) {
        const older = merged.get(key);
        if (!older) merged.set(key, report);
        else
          for (const figure of ['requests', 'errors', 'rateLimited', 'cost'] as const) older[figure] += report[figure];
      }
      this.pending = merged;
      this.trim();
      if (Date.now() - this.lastWarning > 60_000) {
        this.lastWarning = Date.now();
        options.logger.warn(
          { err: (err as Error).message, pending: this.pending.size },
          'partner usage not stored yet',
        );
      }
    }
  }

  /** Bounded while auth is away: the oldest client-hours go first (Map order is insertion order). */
  private trim(): void {
    const max = this.options.maxPending ?? 50_000;
    for (const key of this.pending.keys()) {
      if (this.pending.size <= max) break;
      this.pending.delete(key);
      this.options.metrics.partnerUsageReports.inc({ outcome: 'dropped' });
    }
  }
}
