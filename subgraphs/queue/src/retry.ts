/** How long to wait before the next attempt after `attempt` failed ones: base·2^(attempt−1), at most `capMs`. */
export function retryDelayMs(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
