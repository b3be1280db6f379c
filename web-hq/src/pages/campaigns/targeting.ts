/** Targeting rules as the editor holds them, and the TargetingInput the graph takes. */
import { describeQueue, type LineNamer, type QueueCondition } from './queue-conditions';

export type RuleKind =
  'REGION' | 'STORE' | 'STORE_TAG' | 'DISPLAY' | 'DISPLAY_TAG' | 'ORIENTATION' | 'ZONE' | 'SEGMENT' | 'PROXIMITY_ZONE';

export interface Rule {
  kind: RuleKind;
  value: string;
}

export interface Targeting {
  include: Rule[];
  exclude: Rule[];
}

/**
 * The kinds the editor offers. The last two are decided by presence moments, not by the display's place: SEGMENT
 * while a consenting visitor of the segment checks in or brings a linked device near, PROXIMITY_ZONE while the
 * zone has someone in it (Mist).
 */
export const RULE_KINDS: { kind: RuleKind; label: string; hint?: string }[] = [
  { kind: 'REGION', label: 'Region' },
  { kind: 'STORE', label: 'Store' },
  { kind: 'STORE_TAG', label: 'Store tag' },
  { kind: 'DISPLAY', label: 'Display' },
  { kind: 'DISPLAY_TAG', label: 'Display tag' },
  { kind: 'ORIENTATION', label: 'Orientation' },
  { kind: 'ZONE', label: 'Zone', hint: 'Displays placed in this zone of its store' },
  {
    kind: 'SEGMENT',
    label: 'Visitor segment',
    hint: 'Plays while a consenting visitor of this segment is in the store (check-in, or their phone near a zone)',
  },
  {
    kind: 'PROXIMITY_ZONE',
    label: 'Someone in zone',
    hint: 'Plays while someone is in this zone (Mist proximity), on the store’s displays',
  },
];

export const ruleKindLabel = (kind: string) =>
  RULE_KINDS.find((k) => k.kind === kind)?.label ?? kind.charAt(0) + kind.slice(1).toLowerCase().replace(/_/g, ' ');

export const emptyTargeting = (): Targeting => ({ include: [], exclude: [] });

const same = (a: Rule, b: Rule) => a.kind === b.kind && a.value === b.value;

/** Adds a rule to one side (once; a rule moves out of the other side). */
export function addRule(t: Targeting, side: keyof Targeting, rule: Rule): Targeting {
  const value = rule.value.trim();
  if (!value) return t;
  const clean = { kind: rule.kind, value };
  const other = side === 'include' ? 'exclude' : 'include';
  return {
    ...t,
    [side]: t[side].some((r) => same(r, clean)) ? t[side] : [...t[side], clean],
    [other]: t[other].filter((r) => !same(r, clean)),
  } as Targeting;
}

export function removeRule(t: Targeting, side: keyof Targeting, rule: Rule): Targeting {
  return { ...t, [side]: t[side].filter((r) => !same(r, rule)) } as Targeting;
}

/** Only kind and value (the graph's objects carry __typename). */
export function toTargetingInput(t: { include: readonly Rule[]; exclude: readonly Rule[] }): Targeting {
  const strip = (rules: readonly Rule[]) => rules.map((r) => ({ kind: r.kind, value: r.value }));
  return { include: strip(t.include), exclude: strip(t.exclude) };
}

/** A stable key for the reach query (so typing elsewhere does not refetch). */
export const targetingKey = (t: Targeting) => JSON.stringify(toTargetingInput(t));

/**
 * "Every display", or "Display tag window; not Orientation LANDSCAPE", then the queue conditions if any
 * ("…; only while the queue is long (any line of the store with at least 5 people waiting)"); `lineName` names the
 * lines conditions choose.
 */
export function describeTargeting(
  t: { include: readonly Rule[]; exclude: readonly Rule[]; queue?: readonly QueueCondition[] | null },
  names: (r: Rule) => string = (r) => r.value,
  lineName?: LineNamer,
): string {
  const inc = t.include.map((r) => `${ruleKindLabel(r.kind)} ${names(r)}`);
  const exc = t.exclude.map((r) => `not ${ruleKindLabel(r.kind)} ${names(r)}`);
  const all = [...inc, ...exc];
  const queue = describeQueue(t.queue, lineName);
  return [all.length ? all.join('; ') : 'Every display', queue].filter(Boolean).join('; ');
}

const counted = (rules: readonly Rule[]) => {
  const byKind = new Map<string, number>();
  for (const r of rules) {
    const what = r.kind === 'ORIENTATION' ? `${r.value.toLowerCase()} displays` : ruleKindLabel(r.kind).toLowerCase();
    byKind.set(what, (byKind.get(what) ?? 0) + 1);
  }
  return [...byKind].map(([what, n]) =>
    what.endsWith('displays') ? what : `${n} ${what}${n === 1 ? '' : what.endsWith('s') ? 'es' : 's'}`,
  );
};

/**
 * Where a campaign may play, in a few words: "Store-local: Oxford Street"; "Tenant-wide" only when nothing narrows
 * it; otherwise what the targeting names ("Targeted: 2 regions, 1 display tag; except 1 store").
 */
export function campaignWhere(c: {
  store?: { name: string } | null;
  targeting?: { include: readonly Rule[]; exclude: readonly Rule[] } | null;
}): string {
  if (c.store) return `Store-local: ${c.store.name}`;
  const include = counted(c.targeting?.include ?? []);
  const exclude = counted(c.targeting?.exclude ?? []);
  if (!include.length && !exclude.length) return 'Tenant-wide';
  const except = exclude.length ? `except ${exclude.join(', ')}` : '';
  if (!include.length) return `Tenant-wide, ${except}`;
  return `Targeted: ${include.join(', ')}${except ? `; ${except}` : ''}`;
}
