import { createLogger, createMemoryPubSub } from '@phub/kit';
import { describe, expect, it } from 'vitest';
import { CampaignMetrics } from '../../metrics.js';
import { ManualClock } from '@phub/kit/testing';
import { BoundaryScheduler, type StoreKey } from './boundary.scheduler.js';
import { REPLAN_CHANNEL } from './playlist.feed.js';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const MIN = 60_000;

/** A scheduler over stores whose boundaries are given as lists of instants. */
function setup(boundaries: Record<string, number[]>, options: { claim?: boolean } = {}) {
  const clock = new ManualClock(T0);
  const pubsub = createMemoryPubSub();
  const woken: string[] = [];
  const scheduler = new BoundaryScheduler({
    clock,
    stores: async () => Object.keys(boundaries).map((storeId) => ({ tenantId: 't1', storeId })),
    nextBoundary: async (store: StoreKey, after: Date) => {
      const next = (boundaries[store.storeId] ?? []).find((b) => b > after.getTime());
      return next === undefined ? null : new Date(next);
    },
    onBoundary: async (store, at) => void woken.push(`${store.storeId}@${at.toISOString().slice(11, 16)}`),
    claim: async () => options.claim ?? true,
    pubsub,
    metrics: new CampaignMetrics(),
    logger: createLogger('test', 'silent'),
  });
  return { clock, pubsub, woken, scheduler };
}

describe(BoundaryScheduler.name, () => {
  it('wakes each store at its boundaries, in order, and sleeps again until the next', async () => {
    const { clock, woken, scheduler } = setup({ s1: [T0 + 10 * MIN, T0 + 30 * MIN], s2: [T0 + 20 * MIN] });
    await scheduler.start();
    expect(clock.pending()).toEqual([T0 + 10 * MIN, T0 + 20 * MIN]);
    clock.advance(15 * MIN);
    await scheduler.idle();
    expect(woken).toEqual(['s1@00:10']);
    expect(clock.pending()).toEqual([T0 + 20 * MIN, T0 + 30 * MIN]);
    clock.advance(20 * MIN);
    await scheduler.idle();
    expect(woken).toEqual(['s1@00:10', 's2@00:20', 's1@00:30']);
    expect(clock.pending()).toEqual([]);
    await scheduler.stop();
  });

  it('re-plans on a change broadcast over pub/sub', async () => {
    const boundaries = { s1: [T0 + 60 * MIN] };
    const { clock, pubsub, scheduler } = setup(boundaries);
    await scheduler.start();
    boundaries.s1.unshift(T0 + 5 * MIN);
    pubsub.publish(REPLAN_CHANNEL, { tenantId: 't1', storeIds: ['s1'] });
    await expect.poll(() => clock.pending()).toEqual([T0 + 5 * MIN]);
    await scheduler.stop();
  });

  it('leaves the publishing to the replica that claims the boundary', async () => {
    const { clock, woken, scheduler } = setup({ s1: [T0 + MIN] }, { claim: false });
    await scheduler.start();
    clock.advance(MIN);
    await scheduler.idle();
    expect(woken).toEqual([]);
    await scheduler.stop();
  });

  it('clears every timer on stop and wakes for nothing after', async () => {
    const { clock, woken, scheduler } = setup({ s1: [T0 + MIN], s2: [T0 + 2 * MIN] });
    await scheduler.start();
    await scheduler.stop();
    expect(clock.pending()).toEqual([]);
    clock.advance(10 * MIN);
    expect(woken).toEqual([]);
  });
});
