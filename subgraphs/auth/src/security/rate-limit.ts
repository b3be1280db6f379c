import { DomainError, ErrorCode, type Cache } from '@phub/kit';
import type { AuthMetrics } from '../metrics.js';

export interface Limit {
  /** bounded name, used as the metric label */
  name: string;
  key: string;
  max: number;
  windowSeconds: number;
  message: string;
}

export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new DomainError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds });

const minutes = (s: number) => (s >= 120 ? `${Math.ceil(s / 60)} minutes` : `${s} seconds`);

/** Fixed-window counters in the shared cache (Redis when configured), so every replica counts together. */
export class RateLimiter {
  constructor(
    private readonly cache: Cache,
    private readonly metrics: AuthMetrics,
  ) {}

  /** Counts one request; RATE_LIMITED once the window's budget is spent. */
  async hit(limit: Limit): Promise<void> {
    const count = await this.cache.incr(`ratelimit:${limit.name}:${limit.key}`, limit.windowSeconds);
    if (count > limit.max) this.refuse(limit);
  }

  /** RATE_LIMITED if the budget is already spent, without counting this request. */
  async check(limit: Limit): Promise<void> {
    const count = (await this.cache.get<number>(`ratelimit:${limit.name}:${limit.key}`)) ?? 0;
    if (count >= limit.max) this.refuse(limit);
  }

  /** Counts a failure (for limits that only count failures). */
  async fail(limit: Limit): Promise<void> {
    await this.cache.incr(`ratelimit:${limit.name}:${limit.key}`, limit.windowSeconds);
  }

  async reset(limit: Pick<Limit, 'name' | 'key'>): Promise<void> {
    await this.cache.del(`ratelimit:${limit.name}:${limit.key}`);
  }

  private refuse(limit: Limit): never {
    this.metrics.rateLimited.inc({ limit: limit.name });
    throw rateLimited(`${limit.message}; try again in ${minutes(limit.windowSeconds)}`, limit.windowSeconds);
  }
}
