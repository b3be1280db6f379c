import { describe, expect, it } from 'vitest';
import { MAX_OPERATION_NAMES, ServiceMetrics, operationLabel } from './metrics.js';

describe(operationLabel.name, () => {
  it.each([
    [undefined, 'anonymous'],
    [null, 'anonymous'],
    ['', 'anonymous'],
    ['PlaylistForDisplay', 'PlaylistForDisplay'],
    ['_private_op2', '_private_op2'],
    ['a'.repeat(64), 'a'.repeat(64)],
    ['a'.repeat(65), 'invalid'],
    ['2fast', 'invalid'],
    ['with space', 'invalid'],
    ['display-123', 'invalid'],
    ['Query { secrets }', 'invalid'],
    ['Émoji🎉', 'invalid'],
  ])('labels %j as %j', (name, label) => {
    expect(operationLabel(name, new Set())).toBe(label);
  });

  it('folds names beyond the per-service limit into one bucket, keeping the ones it already knows', () => {
    const known = new Set<string>();
    const labels = new Set<string>();
    for (let i = 0; i < MAX_OPERATION_NAMES * 5; i++) labels.add(operationLabel(`Op${i}`, known));

    expect(labels.size).toBe(MAX_OPERATION_NAMES + 1);
    expect(labels.has('other')).toBe(true);
    expect(operationLabel('Op0', known)).toBe('Op0');
    expect(operationLabel(`Op${MAX_OPERATION_NAMES}`, known)).toBe('other');
  });
});

describe(ServiceMetrics.name, () => {
  it('names every metric phub_<service>_… and labels it with the service', async () => {
    const metrics = new ServiceMetrics('queue-api');
    metrics.counter('tickets_created_total', 'Tickets created', ['channel']).inc({ channel: 'kiosk' });
    metrics.httpRequests.inc({ method: 'GET', route: '/healthz', status: '200' });

    const text = await metrics.registry.metrics();
    const names = [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !n!.startsWith('phub_queue_api_'))).toEqual([]);
    expect(text).toContain('phub_queue_api_tickets_created_total{channel="kiosk",service="queue-api"} 1');
  });

  it('keeps services apart, so two in one process can register the same names', async () => {
    const a = new ServiceMetrics('a');
    const b = new ServiceMetrics('b');
    a.counter('jobs_total', 'Jobs').inc();
    b.counter('jobs_total', 'Jobs');

    expect(await a.registry.metrics()).toContain('phub_a_jobs_total{service="a"} 1');
    expect(await b.registry.metrics()).not.toContain('phub_a_');
  });
});
