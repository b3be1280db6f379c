import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveredMessage } from './bus/bus.js';
import { MemoryBus } from './bus/memory-bus.js';
import { HttpApp } from './http.js';
import { createLogger } from './logger.js';
import { ServiceMetrics } from './metrics.js';
import { currentRequestId, REQUEST_ID_HEADER, runWithRequestId } from './request-context.js';
import { waitFor } from './testing/index.js';

/** Collects the JSON lines a logger writes. */
class Lines extends Writable {
  readonly raw: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.raw.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
  get parsed(): Record<string, unknown>[] {
    return this.raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  withMessage(msg: string) {
    return this.raw.filter((line) => (JSON.parse(line) as { msg?: string }).msg === msg);
  }
}

/**
 * Request ids on every log line and bus event: a service's own logger (made before any request), the
 * request's logger, the events the request publishes and the logs of their consumers all carry the id.
 */
describe('request ids', () => {
  const lines = new Lines();
  const logger = createLogger('test', 'info', lines);
  const bus = new MemoryBus({ logger });
  const consumed: DeliveredMessage[] = [];
  const http = new HttpApp({ logger, metrics: new ServiceMetrics('request_context_test') });
  let base: string;

  beforeAll(async () => {
    // A service: logs through its own logger and publishes an event, deep in the call, without being handed an id.
    const service = {
      async work(): Promise<void> {
        await new Promise((resolve) => setTimeout(resolve, 5));
        logger.info('service did its work');
        await bus.publish('things', [{ key: 'k1', value: { done: true } }]);
      },
    };
    http.app.post('/work', async (req, res) => {
      req.log.info('route started');
      await service.work();
      res.json({ ok: true });
    });
    await bus.subscribe({
      groupId: 'consumer',
      topics: ['things'],
      fromBeginning: true,
      handler: async (message) => {
        consumed.push(message);
        logger.info('consumer handled it');
      },
    });
    base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await bus.close();
    await new Promise((resolve) => http.server.close(resolve));
  });

  it.each([
    ['an id the caller sent (the gateway)', { [REQUEST_ID_HEADER]: 'edge-7.a_b' }, 'edge-7.a_b'],
    ['a new id when none came', {}, undefined],
  ])('carries %s through logs, the event and its consumer', async (_case, headers, expected) => {
    const before = consumed.length;
    const res = await fetch(`${base}/work`, { method: 'POST', headers });
    expect(res.status).toBe(200);
    const id = res.headers.get(REQUEST_ID_HEADER)!;
    if (expected) expect(id).toBe(expected);
    else expect(id).toMatch(/^[0-9a-f-]{36}$/);

    await waitFor(() => consumed.length === before + 1);
    const mine = (msg: string) =>
      lines.withMessage(msg).filter((line) => (JSON.parse(line) as { requestId?: string }).requestId === id);
    expect(mine('route started')).toHaveLength(1);
    expect(mine('service did its work')).toHaveLength(1);
    expect(consumed.at(-1)!.headers[REQUEST_ID_HEADER]).toBe(id);
    await waitFor(() => mine('consumer handled it').length === 1);
    // Once per line, also where a request logger bound it already (a shipper's JSON parser sees one key).
    for (const line of [...mine('route started'), ...mine('service did its work')]) {
      expect(line.match(/"requestId"/g)).toHaveLength(1);
    }
  });

  it('leaves lines and events outside any request without an id, and keeps an id an event names itself', async () => {
    logger.info('at start-up');
    expect(lines.parsed.find((l) => l.msg === 'at start-up')).not.toHaveProperty('requestId');
    const before = consumed.length;
    await runWithRequestId('outer', async () => {
      expect(currentRequestId()).toBe('outer');
      await bus.publish('things', [{ key: 'k2', value: {}, headers: { [REQUEST_ID_HEADER]: 'own' } }]);
    });
    await bus.publish('things', [{ key: 'k3', value: {} }]);
    await waitFor(() => consumed.length === before + 2);
    const byKey = Object.fromEntries(consumed.slice(before).map((m) => [m.key, m.headers[REQUEST_ID_HEADER]]));
    expect(byKey).toEqual({ k2: 'own', k3: undefined });
  });
});
