/** Exponential backoff with full jitter: attempt 0 → up to `baseMs`, capped at `maxMs`. */
export function backoffDelay(
  attempt: number,
  baseMs = 1000,
  maxMs = 30_000,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * When to refresh an access token: a minute before it expires, or halfway through when it lives less than
 * two minutes; never in the past.
 */
export function refreshDelay(expiresAt: string | number, now: number): number {
  const expires = typeof expiresAt === 'number' ? expiresAt : Date.parse(expiresAt);
  if (!Number.isFinite(expires)) return 0;
  const left = expires - now;
  if (left <= 0) return 0;
  const margin = Math.min(60_000, left / 2);
  return Math.max(0, Math.round(left - margin));
}
