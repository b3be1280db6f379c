import { describe, expect, it } from 'vitest';
import { EventQueue, isFinalRejection, MemoryQueueStorage } from './queue.js';
import type { QueuedEvent } from './types.js';

const play = (id: string): QueuedEvent => ({
  kind: 'play',
  event: {
    id,
    displayId: 'd',
    campaignId: 'c',
    creativeId: 'cr',
    playlistVersion: 'v1',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:10.000Z',
    durationMs: 10_000,
  },
});
const beat = (id: string): QueuedEvent => ({
  kind: 'heartbeat',
  event: {
    id,
    displayId: 'd',
    at: '2026-01-01T00:00:00.000Z',
    currentCreativeId: null,
    playlistVersion: null,
    appVersion: '0.1.0',
    uptimeSeconds: 1,
  },
});

describe(EventQueue.name, () => {
  it('persists every change and reloads what was stored', () => {
    const storage = new MemoryQueueStorage();
    const q = new EventQueue(storage);
    q.push(play('p1'));
    q.push(beat('h1'));
    expect(storage.events).toHaveLength(2);
    expect(new EventQueue(storage).length).toBe(2);
  });

  it('is bounded: the oldest events go first', () => {
    const q = new EventQueue(new MemoryQueueStorage(), { max: 3 });
    for (const id of ['1', '2', '3', '4', '5']) q.push(play(id));
    expect(q.length).toBe(3);
    expect(q.overflowed).toBe(2);
    expect(q.nextBatch()!.input.plays.map((p) => p.id)).toEqual(['3', '4', '5']);
  });

  it('batches plays and heartbeats into one recordPlayback input, oldest first', () => {
    const q = new EventQueue(new MemoryQueueStorage(), { batchSize: 3 });
    ['p1', 'h1', 'p2', 'h2'].forEach((id) => q.push(id.startsWith('p') ? play(id) : beat(id)));
    const batch = q.nextBatch()!;
    expect(batch.input.plays.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(batch.input.heartbeats.map((h) => h.id)).toEqual(['h1']);
    expect(batch.events.map((e) => e.event.id)).toEqual(['p1', 'p2', 'h1']);
  });

  it('removes what was accepted and what was rejected for good, keeps what may succeed later', () => {
    const q = new EventQueue(new MemoryQueueStorage());
    ['p1', 'p2', 'p3', 'p4'].forEach((id) => q.push(play(id)));
    const batch = q.nextBatch()!;
    const outcome = q.settle(batch, {
      accepted: 1,
      rejected: [
        { index: 1, id: 'p2', reason: 'already recorded', code: 'DUPLICATE' },
        { index: 2, id: null, reason: 'unknown display', code: 'BAD_USER_INPUT' },
        { index: 3, id: 'p4', reason: 'try later', code: 'UNAVAILABLE' },
      ],
    });
    expect(outcome).toEqual({ removed: 3, kept: 1, dropped: 2 });
    expect(q.nextBatch()!.events.map((e) => e.event.id)).toEqual(['p4']);
  });

  it('finds a rejection by kind and index in its own list when it carries no id', () => {
    const q = new EventQueue(new MemoryQueueStorage());
    ['p1', 'h1', 'p2', 'h2'].forEach((id) => q.push(id.startsWith('p') ? play(id) : beat(id)));
    q.settle(q.nextBatch()!, {
      accepted: 2,
      duplicates: 0,
      rejected: [
        { kind: 'HEARTBEAT', index: 1, id: null, reason: 'unknown display', code: 'NOT_FOUND' },
        { kind: 'PLAY', index: 0, id: null, reason: 'bad', code: 'BAD_USER_INPUT' },
      ],
    });
    expect(q.nextBatch()!.events.map((e) => e.event.id)).toEqual(['h2']);
  });

  it('keeps events pushed while a batch was in flight', () => {
    const q = new EventQueue(new MemoryQueueStorage());
    q.push(play('p1'));
    const batch = q.nextBatch()!;
    q.push(play('p2'));
    q.settle(batch, { accepted: 1, rejected: [] });
    expect(q.nextBatch()!.events.map((e) => e.event.id)).toEqual(['p2']);
  });

  it('gives up on an event rejected for a reason that never goes away', () => {
    const q = new EventQueue(new MemoryQueueStorage(), { maxAttempts: 2 });
    q.push(play('p1'));
    const reject = { accepted: 0, rejected: [{ index: 0, id: 'p1', reason: 'x', code: 'SOMETHING' }] };
    q.settle(q.nextBatch()!, reject);
    expect(q.length).toBe(1);
    q.settle(q.nextBatch()!, reject);
    expect(q.length).toBe(0);
  });

  it('survives storage that is full or corrupt', () => {
    const broken = {
      load: () => {
        throw new Error('corrupt');
      },
      save: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const q = new EventQueue(broken);
    q.push(play('p1'));
    expect(q.length).toBe(1);
  });

  it('knows final rejections', () => {
    expect(['DUPLICATE', 'MALFORMED', 'BAD_USER_INPUT'].every(isFinalRejection)).toBe(true);
    expect(['UNAVAILABLE', 'INTERNAL_SERVER_ERROR'].some(isFinalRejection)).toBe(false);
  });
});
