import type { HeartbeatEvent, PlayEvent, QueuedEvent, RecordPlaybackResult } from './types.js';

/** Where the queue persists itself (localStorage in the browser, memory in tests). */
export interface QueueStorage {
  load(): QueuedEvent[];
  save(events: QueuedEvent[]): void;
}

export class MemoryQueueStorage implements QueueStorage {
  constructor(public events: QueuedEvent[] = []) {}
  load(): QueuedEvent[] {
    return [...this.events];
  }
  save(events: QueuedEvent[]): void {
    this.events = [...events];
  }
}

export interface QueueOptions {
  /** Most events kept; beyond it the oldest are dropped (a screen offline for weeks must not fill the disk). */
  max?: number;
  /** Most events sent in one recordPlayback call. */
  batchSize?: number;
  /** A rejection whose reason is not final is retried this many times, then dropped. */
  maxAttempts?: number;
}

export interface Batch {
  events: QueuedEvent[];
  input: { plays: PlayEvent[]; heartbeats: HeartbeatEvent[] };
}

export interface SettleOutcome {
  removed: number;
  kept: number;
  dropped: number;
}

/** Rejections that resending can never fix: the server has it already, or it will never take it. */
export function isFinalRejection(code: string): boolean {
  return /DUPLICATE|ALREADY|MALFORMED|BAD_USER_INPUT|INVALID|VALIDATION/i.test(code);
}

const idOf = (e: QueuedEvent) => e.event.id;

/**
 * Proof-of-play and heartbeats waiting to be sent. Nothing leaves it on a network error; it leaves once the
 * server accepted it, or rejected it for good (duplicate, malformed), or rejected it `maxAttempts` times.
 */
export class EventQueue {
  private events: QueuedEvent[];
  readonly max: number;
  readonly batchSize: number;
  readonly maxAttempts: number;
  /** Events dropped because the queue was full, since start. */
  overflowed = 0;

  constructor(
    private readonly storage: QueueStorage,
    options: QueueOptions = {},
  ) {
    this.max = options.max ?? 10_000;
    this.batchSize = options.batchSize ?? 500;
    this.maxAttempts = options.maxAttempts ?? 20;
    let loaded: QueuedEvent[] = [];
    try {
      loaded = storage.load().filter((e) => e && (e.kind === 'play' || e.kind === 'heartbeat') && e.event?.id);
    } catch {
      loaded = [];
    }
    this.events = loaded.slice(-this.max);
  }

  get length(): number {
    return this.events.length;
  }

  get counts(): { plays: number; heartbeats: number } {
    let plays = 0;
    for (const e of this.events) if (e.kind === 'play') plays++;
    return { plays, heartbeats: this.events.length - plays };
  }

  push(entry: QueuedEvent): void {
    this.events.push(entry);
    if (this.events.length > this.max) {
      const excess = this.events.length - this.max;
      this.events.splice(0, excess);
      this.overflowed += excess;
    }
    this.persist();
  }

  /** The oldest events, as one recordPlayback input (plays first, then heartbeats), or null when empty. */
  nextBatch(): Batch | null {
    if (this.events.length === 0) return null;
    const events = this.events.slice(0, this.batchSize);
    const plays = events.filter((e) => e.kind === 'play').map((e) => e.event as PlayEvent);
    const heartbeats = events.filter((e) => e.kind === 'heartbeat').map((e) => e.event as HeartbeatEvent);
    // Order of `events` must match the order of the input so a rejection's index finds its event.
    return {
      events: [...events.filter((e) => e.kind === 'play'), ...events.filter((e) => e.kind === 'heartbeat')],
      input: { plays, heartbeats },
    };
  }

  /**
   * Applies the server's answer for a batch sent with nextBatch(). A rejection names its event by id, or
   * else by `kind` and index into that list (plays or heartbeats).
   */
  settle(batch: Batch, result: RecordPlaybackResult): SettleOutcome {
    const retry = new Set<string>();
    let dropped = 0;
    for (const rejection of result.rejected ?? []) {
      const event =
        (rejection.id && batch.events.find((e) => idOf(e) === rejection.id)) ||
        (rejection.kind === 'HEARTBEAT'
          ? batch.events[batch.input.plays.length + rejection.index]
          : batch.events[rejection.index]);
      if (!event) continue;
      if (isFinalRejection(rejection.code ?? '')) {
        dropped++;
        continue;
      }
      event.attempts = (event.attempts ?? 0) + 1;
      if (event.attempts >= this.maxAttempts) dropped++;
      else retry.add(idOf(event));
    }
    const sent = new Set(batch.events.map(idOf));
    const before = this.events.length;
    this.events = this.events.filter((e) => !sent.has(idOf(e)) || retry.has(idOf(e)));
    this.persist();
    return { removed: before - this.events.length, kept: retry.size, dropped };
  }

  private persist(): void {
    try {
      this.storage.save(this.events);
    } catch {
      // Storage full: keep the newer half on disk; memory still holds everything until the next save.
      try {
        this.storage.save(this.events.slice(Math.floor(this.events.length / 2)));
      } catch {
        // nothing more we can do; the events stay in memory
      }
    }
  }
}
