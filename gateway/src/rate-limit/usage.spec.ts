import { createLogger, GATEWAY_SECRET_HEADER } from '@phub/kit';
import { ManualClock } from '@phub/kit/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../metrics.js';
import { USAGE_REPORT_PATH, UsageRecorder, type UsageReport } from './usage.js';

/**
 * Auth's side of the wire as the gateway sees it: an HTTP endpoint that stores what it is sent, or
 * fails while told to (auth's own route and table are tested in subgraphs/auth: api-client-usage.spec.ts;
 * the whole path through the binary in cmd/phub: partner.spec.ts).
 */
class UsageReceiver {
  readonly batches: { secret?: string; usage: UsageReport[] }[] = [];
  failing = false;
  private readonly server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url !== USAGE_REPORT_PATH || req.method !== 'POST') return void res.writeHead(404).end();
      if (this.failing) return void res.writeHead(503).end('{"error":"down"}');
      const { usage } = JSON.parse(body) as { usage: UsageReport[] };
      this.batches.push({ secret: req.headers[GATEWAY_SECRET_HEADER] as string | undefined, usage });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ stored: usage.length }));
    });
  });
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }
  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
  /** Everything received, added up per client and hour. */
  totals(): Record<string, Omit<UsageReport, 'clientId' | 'hour'>> {
    const totals: Record<string, Omit<UsageReport, 'clientId' | 'hour'>> = {};
    for (const r of this.batches.flatMap((b) => b.usage)) {
      const t = (totals[`${r.clientId} ${r.hour}`] ??= { requests: 0, errors: 0, rateLimited: 0, cost: 0 });
      t.requests += r.requests;
      t.errors += r.errors;
      t.rateLimited += r.rateLimited;
      t.cost += r.cost;
    }
    return totals;
  }
}

describe(UsageRecorder.name, () => {
  let receiver: UsageReceiver;
  const agent = new Agent();
  let clock: ManualClock;
  let metrics: GatewayMetrics;
  const recorder = (options: { maxPending?: number; authBase?: () => string | undefined } = {}) =>
    new UsageRecorder({
      authBase: options.authBase ?? (() => receiver.url),
      agent,
      timeoutMs: 2_000,
      secret: 'gateway-secret-0123456789abcdef',
      flushMs: 60_000,
      clock,
      logger: createLogger('usage-test', 'silent'),
      metrics,
      maxPending: options.maxPending,
    });
  const reported = async (outcome: string) =>
    (await metrics.partnerUsageReports.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;

  beforeAll(async () => {
    receiver = await new UsageReceiver().start();
  });
  afterEach(() => {
    receiver.batches.length = 0;
    receiver.failing = false;
  });
  beforeEach(() => {
    // Two seconds before an hour ends (a ManualClock only moves forward: a new one per test).
    clock = new ManualClock(Date.parse('2026-03-01T09:59:58.000Z'));
  });
  afterAll(async () => {
    await receiver.stop();
    await agent.close();
  });
  beforeAll(() => {
    metrics = new GatewayMetrics();
  });

  it('counts requests, errors, 429s and cost per client and UTC hour, and sends them with the gateway secret', async () => {
    const usage = recorder();
    usage.record('client-a', 'ok', 12);
    usage.record('client-a', 'error', 0);
    usage.record('client-a', 'limited', 0);
    usage.record('client-b', 'ok', 2.6);
    clock.advance(3_000); // 10:00:01, the next hour
    usage.record('client-a', 'ok', 5);
    await usage.flush();
    expect(receiver.batches).toHaveLength(1);
    expect(receiver.batches[0]!.secret).toBe('gateway-secret-0123456789abcdef');
    expect(receiver.totals()).toEqual({
      'client-a 2026-03-01T09:00:00.000Z': { requests: 3, errors: 1, rateLimited: 1, cost: 12 },
      'client-b 2026-03-01T09:00:00.000Z': { requests: 1, errors: 0, rateLimited: 0, cost: 3 },
      'client-a 2026-03-01T10:00:00.000Z': { requests: 1, errors: 0, rateLimited: 0, cost: 5 },
    });
    // Sent once: nothing is left for the next flush.
    await usage.flush();
    expect(receiver.batches).toHaveLength(1);
  });

  it('keeps what auth could not take for the next flush, added to what came meanwhile', async () => {
    const usage = recorder();
    const retriedBefore = await reported('retried');
    receiver.failing = true;
    usage.record('client-a', 'ok', 10);
    usage.record('client-a', 'ok', 10);
    await usage.flush();
    expect(receiver.batches).toHaveLength(0);
    expect(await reported('retried')).toBe(retriedBefore + 1);
    receiver.failing = false;
    usage.record('client-a', 'error', 0);
    await usage.flush();
    expect(receiver.totals()).toEqual({
      'client-a 2026-03-01T09:00:00.000Z': { requests: 3, errors: 1, rateLimited: 0, cost: 20 },
    });
  });

  it('keeps counting while no supergraph names auth yet', async () => {
    const supergraph: { authBase?: string } = {};
    const usage = recorder({ authBase: () => supergraph.authBase });
    usage.record('client-a', 'ok', 1);
    await usage.flush();
    supergraph.authBase = receiver.url;
    await usage.flush();
    expect(receiver.totals()).toEqual({
      'client-a 2026-03-01T09:00:00.000Z': { requests: 1, errors: 0, rateLimited: 0, cost: 1 },
    });
  });

  it('delivers what is left when it stops', async () => {
    const usage = recorder();
    usage.start();
    usage.record('client-a', 'limited', 0);
    await usage.stop();
    expect(receiver.totals()).toEqual({
      'client-a 2026-03-01T09:00:00.000Z': { requests: 1, errors: 0, rateLimited: 1, cost: 0 },
    });
  });

  it('stays bounded while auth is away, dropping the oldest client-hours first', async () => {
    const usage = recorder({ maxPending: 2 });
    const droppedBefore = await reported('dropped');
    receiver.failing = true;
    for (const client of ['c1', 'c2', 'c3']) usage.record(client, 'ok', 1);
    await usage.flush();
    receiver.failing = false;
    await usage.flush();
    expect(Object.keys(receiver.totals()).map((k) => k.split(' ')[0])).toEqual(['c2', 'c3']);
    expect(await reported('dropped')).toBe(droppedBefore + 1);
  });
});
