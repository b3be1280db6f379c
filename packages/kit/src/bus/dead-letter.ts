import { runWithRequestId } from '../request-context.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { Counter, Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import type { DeliveredMessage } from './bus.js';

/** How often a failing handler is retried before its message is set aside. */
export interface RetryOptions {
  /** Attempts per message before it goes to the dead letters (default 5). */
  maxAttempts?: number;
  /** Wait after the first failure; doubles after each further one (default 200 ms). */
  retryDelayMs?: number;
  /** Longest wait between two attempts (default 5 s). */
  maxRetryDelayMs?: number;
}

/** A message whose handler kept throwing, with what it threw the last time. */
export interface DeadLetter {
  groupId: string;
  message: DeliveredMessage;
  attempts: number;
  error: string;
}

/**
 * The bus is shared by every service of a process, so its metrics live in one process-wide registry
 * rather than in a service's; `/metrics` serves it beside the service's own.
 */
export class BusMetrics {
  readonly registry = new Registry();
  readonly deadLetters = new Counter<'topic' | 'group'>({
    name: 'phub_bus_dead_letters_total',
    help: 'Messages set aside after their handler failed on every attempt',
    labelNames: ['topic', 'group'],
    registers: [this.registry],
  });
}

export const busMetrics = new BusMetrics();

export type DeliveryOutcome = 'handled' | 'dead-lettered' | 'stopped';

export interface DeliveryContext {
  groupId: string;
  handler: (message: DeliveredMessage) => Promise<void>;
  retry: RetryOptions;
  logger?: Logger;
  /** Aborted when the subscription closes: waiting stops and the message stays uncommitted. */
  signal: AbortSignal;
  /**
   * Stores the dead letter durably; the caller moves past the message only after this resolved.
   * Resolving `false` means the partition is no longer this consumer's: nothing was stored.
   */
  store: (letter: DeadLetter) => Promise<void | false>;
}

function describeError(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

export function retryDelay(retry: RetryOptions, failures: number): number {
  const base = retry.retryDelayMs ?? 200;
  return Math.min(base * 2 ** Math.max(0, failures - 1), retry.maxRetryDelayMs ?? 5_000);
}

/** Waits, or resolves false at once when the signal aborts. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/**
 * Hands one message to its handler until it succeeds or has failed `maxAttempts` times; then the
 * message is stored as a dead letter, counted and logged, so that its partition moves on.
 */
export async function deliverWithRetries(message: DeliveredMessage, ctx: DeliveryContext): Promise<DeliveryOutcome> {
  const maxAttempts = Math.max(1, ctx.retry.maxAttempts ?? 5);
  const where = { topic: message.topic, partition: message.partition, offset: message.offset, group: ctx.groupId };
  for (let attempt = 1; ; attempt++) {
    if (ctx.signal.aborted) return 'stopped';
    try {
      // The handler's logs and the events it publishes carry the id of the request that caused the message.
      await runWithRequestId(message.headers['x-request-id'], () => ctx.handler(message));
      return 'handled';
    } catch (err) {
      if (attempt < maxAttempts) {
        ctx.logger?.warn({ err, ...where, attempt }, 'bus handler failed; retrying');
        if (!(await pause(retryDelay(ctx.retry, attempt), ctx.signal))) return 'stopped';
        continue;
      }
      const letter: DeadLetter = { groupId: ctx.groupId, message, attempts: attempt, error: describeError(err) };
      // Storing can fail too (the database is down): keep the message and try again, never skip it unstored.
      for (let failures = 1; ; failures++) {
        try {
          if ((await ctx.store(letter)) === false) return 'stopped';
          break;
        } catch (storeErr) {
          ctx.logger?.warn({ err: storeErr, ...where }, 'could not store a dead letter; retrying');
          if (!(await pause(retryDelay(ctx.retry, failures), ctx.signal))) return 'stopped';
        }
      }
      busMetrics.deadLetters.inc({ topic: message.topic, group: ctx.groupId });
      ctx.logger?.error(
        { ...where, attempts: attempt, error: letter.error },
        'bus handler failed on every attempt; message moved to the dead letters',
      );
      return 'dead-lettered';
    }
  }
}
