const DAY_MS = 86_400_000;

/** The usage window the API clients page shows: the last `days` UTC days, today included. */
export function usageWindow(now: number, days: number): { from: string; to: string } {
  const tomorrow = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
  return { from: new Date(tomorrow - days * DAY_MS).toISOString(), to: new Date(tomorrow).toISOString() };
}

export interface UsageFigures {
  requests: number;
  errors: number;
  rateLimited: number;
  cost: number;
}

const count = new Intl.NumberFormat('en');

/** One line for a table cell, e.g. "1,204 requests · 3 errors · 12 limited". */
export function usageSummary(usage: UsageFigures): string {
  if (!usage.requests) return 'No requests';
  const parts = [`${count.format(usage.requests)} ${usage.requests === 1 ? 'request' : 'requests'}`];
  if (usage.errors) parts.push(`${count.format(usage.errors)} ${usage.errors === 1 ? 'error' : 'errors'}`);
  if (usage.rateLimited) parts.push(`${count.format(usage.rateLimited)} limited`);
  return parts.join(' · ');
}

/** Share of requests that failed or were refused, as a whole percentage ("—" without requests). */
export function failureShare(usage: UsageFigures): string {
  if (!usage.requests) return '—';
  return `${Math.round(((usage.errors + usage.rateLimited) / usage.requests) * 100)} %`;
}
