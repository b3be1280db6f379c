import type { DisplayFacts, QueueCondition, QueueLineState } from './types.js';

/** Most conditions one campaign may carry: enough for "any of these lines", small enough to read. */
export const MAX_QUEUE_CONDITIONS = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isThreshold = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= 100_000;

/** Checks a campaign's queue conditions, adding what is wrong to `problems`; returns the valid ones. */
export function compileQueueConditions(
  conditions: readonly QueueCondition[] | null | undefined,
  problems: string[],
): readonly QueueCondition[] {
  const list = conditions ?? [];
  if (list.length > MAX_QUEUE_CONDITIONS) problems.push(`at most ${MAX_QUEUE_CONDITIONS} queue conditions`);
  const valid: QueueCondition[] = [];
  list.forEach((c, i) => {
    const at = `queueConditions[${i}]`;
    const before = problems.length;
    if (c.lineId != null && (typeof c.lineId !== 'string' || !UUID.test(c.lineId))) {
      problems.push(`${at}.lineId is not a line id`);
    }
    if (c.minWaiting == null && c.minWaitMinutes == null) {
      problems.push(`${at} sets neither minWaiting nor minWaitMinutes`);
    }
    if (c.minWaiting != null && !isThreshold(c.minWaiting)) problems.push(`${at}.minWaiting is a whole number ≥ 1`);
    if (c.minWaitMinutes != null && !isThreshold(c.minWaitMinutes)) {
      problems.push(`${at}.minWaitMinutes is a whole number ≥ 1`);
    }
    if (problems.length === before) valid.push(c);
  });
  return valid;
}

/** Whether one line meets every threshold of the condition (a closed line meets none). */
export function lineMeets(condition: QueueCondition, line: QueueLineState): boolean {
  if (!line.open) return false;
  if (condition.minWaiting != null && line.waiting < condition.minWaiting) return false;
  if (condition.minWaitMinutes != null) {
    if (line.estimatedWaitMinutes === null || line.estimatedWaitMinutes < condition.minWaitMinutes) return false;
  }
  return true;
}

/** The line that makes the condition hold on this display, or null. */
export function conditionLine(condition: QueueCondition, display: DisplayFacts): QueueLineState | null {
  for (const line of display.queueLines ?? []) {
    if (condition.lineId != null && line.lineId !== condition.lineId) continue;
    if (lineMeets(condition, line)) return line;
  }
  return null;
}

/** No conditions, or at least one that holds on this display now. */
export function queueConditionsHold(conditions: readonly QueueCondition[], display: DisplayFacts): boolean {
  return conditions.length === 0 || conditions.some((c) => conditionLine(c, display) !== null);
}

/** One condition in words, for `explain`. */
export function describeQueueCondition(c: QueueCondition): string {
  const what = [
    c.minWaiting != null ? `${c.minWaiting}+ waiting` : null,
    c.minWaitMinutes != null ? `an estimated wait of ${c.minWaitMinutes}+ min` : null,
  ]
    .filter(Boolean)
    .join(' and ');
  return `${c.lineId ? `line ${c.lineId}` : 'any line of the store'} open with ${what}`;
}
