/**
 * Context-marketing queue conditions (`targeting.queue`): the campaign plays only while one of them holds. A
 * condition holds while its line (lineId null: any line of the display's store) is open and meets every threshold
 * it sets. The rules are the campaign subgraph's (engine/queue.ts); checking them here puts the message under the
 * field instead of in a failed save.
 */

/** As the graph gives it (the objects may carry __typename). */
export interface QueueCondition {
  lineId?: string | null;
  minWaiting?: number | null;
  minWaitMinutes?: number | null;
}

/** As the editor holds it: the thresholds as typed ('' = not set). */
export interface QueueDraft {
  lineId: string | null;
  minWaiting: string;
  minWaitMinutes: string;
}

export const MAX_QUEUE_CONDITIONS = 10;
export const MAX_QUEUE_THRESHOLD = 100_000;

export type QueueErrorKey =
  'queue' | `queue.${number}` | `queue.${number}.minWaiting` | `queue.${number}.minWaitMinutes`;

export const newQueueDraft = (): QueueDraft => ({ lineId: null, minWaiting: '', minWaitMinutes: '' });

const typed = (n: number | null | undefined) => (n == null ? '' : String(n));
const number = (s: string) => (s.trim() ? Number(s.trim()) : null);

export function queueDrafts(conditions: readonly QueueCondition[] | null | undefined): QueueDraft[] {
  return (conditions ?? []).map((c) => ({
    lineId: c.lineId ?? null,
    minWaiting: typed(c.minWaiting),
    minWaitMinutes: typed(c.minWaitMinutes),
  }));
}

/** The QueueConditionInput list: lineId null for any line of the display's store, else the chosen line. */
export function queueInput(drafts: readonly QueueDraft[]) {
  return drafts.map((d) => ({
    lineId: d.lineId,
    minWaiting: number(d.minWaiting),
    minWaitMinutes: number(d.minWaitMinutes),
  }));
}

const THRESHOLD = /^\d+$/;
const thresholdError = (s: string) =>
  !s.trim() || (THRESHOLD.test(s.trim()) && Number(s) >= 1 && Number(s) <= MAX_QUEUE_THRESHOLD)
    ? undefined
    : `Enter a whole number from 1 to ${MAX_QUEUE_THRESHOLD.toLocaleString('en')}, or leave it empty.`;

export function validateQueue(drafts: readonly QueueDraft[]): Partial<Record<QueueErrorKey, string>> {
  const e: Partial<Record<QueueErrorKey, string>> = {};
  if (drafts.length > MAX_QUEUE_CONDITIONS) e.queue = `Use at most ${MAX_QUEUE_CONDITIONS} queue conditions.`;
  drafts.forEach((d, i) => {
    const waiting = thresholdError(d.minWaiting);
    const minutes = thresholdError(d.minWaitMinutes);
    if (waiting) e[`queue.${i}.minWaiting`] = waiting;
    if (minutes) e[`queue.${i}.minWaitMinutes`] = minutes;
    if (!d.minWaiting.trim() && !d.minWaitMinutes.trim())
      e[`queue.${i}`] = 'Set people waiting, the wait in minutes, or both.';
  });
  return e;
}

/**
 * The form's key for a graph error path about a queue condition: "input.targeting.queue.0.minWaiting"
 * (input validation) or "targeting.queue[0].minWaiting" (the engine's checks); null for other paths.
 */
export function queueErrorKey(path: string): QueueErrorKey | null {
  const m = /(?:^|\.)queue(?:\.(\d+)|\[(\d+)\])?(?:\.(minWaiting|minWaitMinutes))?$/.exec(path);
  if (!m) return null;
  const index = m[1] ?? m[2];
  if (index === undefined) return 'queue';
  return m[3] ? (`queue.${Number(index)}.${m[3]}` as QueueErrorKey) : `queue.${Number(index)}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "any line of the store with at least 5 waiting and a wait of at least 10 minutes"; lineName names a chosen line. */
export function describeQueueCondition(c: QueueCondition, lineName?: string): string {
  const where = c.lineId ? (lineName ?? 'a specific line') : 'any line of the store';
  const thresholds = [
    c.minWaiting != null ? `at least ${plural(c.minWaiting, 'person', 'people')} waiting` : null,
    c.minWaitMinutes != null ? `a wait of at least ${plural(c.minWaitMinutes, 'minute', 'minutes')}` : null,
  ].filter(Boolean);
  return thresholds.length ? `${where} with ${thresholds.join(' and ')}` : where;
}

/** Names a condition's line by its id, for descriptions; undefined while unknown ("a specific line"). */
export type LineNamer = (lineId: string) => string | undefined;

/** "only while the queue is long (…, or …)"; '' without conditions. */
export function describeQueue(conditions: readonly QueueCondition[] | null | undefined, lineName?: LineNamer): string {
  if (!conditions?.length) return '';
  const each = conditions.map((c) => describeQueueCondition(c, c.lineId ? lineName?.(c.lineId) : undefined));
  return `only while the queue is long (${each.join(', or ')})`;
}

/** A queue line as the graph gives it (queueLines, line). */
export interface QueueLine {
  id: string;
  name: string;
  storeId: string;
  archivedAt?: string | null;
  store?: { id: string; name: string } | null;
}

/** 'line “Returns” of London Oxford Street': a chosen line in descriptions. */
export const describeLine = (line: QueueLine) =>
  `line “${line.name}”${line.store ? ` of ${line.store.name}` : ''}${line.archivedAt ? ' (archived)' : ''}`;

/**
 * The stores whose lines a condition may choose: the store of a store-local campaign, else the stores the targeting
 * includes by a Store rule. Without either the campaign may play anywhere, so only "any line of the store" fits.
 */
export function queueStoreIds(include: readonly { kind: string; value: string }[], storeId?: string | null): string[] {
  if (storeId) return [storeId];
  return [...new Set(include.filter((r) => r.kind === 'STORE').map((r) => r.value))];
}

export interface LineGroup {
  storeId: string;
  lines: QueueLine[];
}

/**
 * The lines offered for a new choice, per store in the given order, by name: archived lines are left out (they
 * take no tickets). A condition's current line that is not among them is the editor's to show apart.
 */
export function lineGroups(storeIds: readonly string[], lines: readonly QueueLine[]): LineGroup[] {
  return storeIds.map((storeId) => ({
    storeId,
    lines: lines
      .filter((l) => l.storeId === storeId && !l.archivedAt)
      .sort((a, b) => a.name.localeCompare(b.name, 'en')),
  }));
}
