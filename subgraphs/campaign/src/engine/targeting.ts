import type { DisplayFacts, PresenceMoment, Targeting, TargetingKind, TargetingRule } from './types.js';
import { ORIENTATIONS, TARGETING_KINDS, VISITOR_TARGETING_KINDS } from './types.js';

/** Rule kinds that a display's facts can decide. */
export type PlaceKind = Exclude<TargetingKind, 'SEGMENT' | 'PROXIMITY_ZONE'>;

/** All rules of one place kind, as a set of values. */
export interface RuleGroup {
  readonly kind: PlaceKind;
  readonly values: ReadonlySet<string>;
}

/** Rule kinds that presence moments decide. */
export type VisitorKind = Extract<TargetingKind, 'SEGMENT' | 'PROXIMITY_ZONE'>;

/** All visitor rules of one kind, as a set of values (zone ids or segment keys). */
export interface VisitorGroup {
  readonly kind: VisitorKind;
  readonly values: ReadonlySet<string>;
}

/** Targeting parsed once: place groups by kind, visitor (presence) groups aside. */
export interface CompiledTargeting {
  readonly include: readonly RuleGroup[];
  readonly exclude: readonly RuleGroup[];
  /** SEGMENT and PROXIMITY_ZONE rules as written (include and exclude), for explanations. */
  readonly visitorRules: readonly TargetingRule[];
  readonly visitorInclude: readonly VisitorGroup[];
  readonly visitorExclude: readonly VisitorGroup[];
}

const isVisitorKind = (kind: TargetingKind): boolean => VISITOR_TARGETING_KINDS.includes(kind);

/** Groups rules by kind, collecting problems for unknown kinds and orientations. */
export function compileTargeting(targeting: Targeting, problems: string[]): CompiledTargeting {
  const visitorRules: TargetingRule[] = [];
  const visitor = { include: new Map<VisitorKind, Set<string>>(), exclude: new Map<VisitorKind, Set<string>>() };
  const group = (rules: readonly TargetingRule[], side: 'include' | 'exclude'): RuleGroup[] => {
    const byKind = new Map<PlaceKind, Set<string>>();
    rules.forEach((rule, i) => {
      if (!TARGETING_KINDS.includes(rule.kind)) {
        problems.push(`targeting.${side}[${i}] has unknown kind "${String(rule.kind)}"`);
        return;
      }
      if (typeof rule.value !== 'string' || rule.value.length === 0) {
        problems.push(`targeting.${side}[${i}] (${rule.kind}) has no value`);
        return;
      }
      if (rule.kind === 'ORIENTATION' && !(ORIENTATIONS as readonly string[]).includes(rule.value)) {
        problems.push(`targeting.${side}[${i}] orientation "${rule.value}" is not ${ORIENTATIONS.join(' or ')}`);
        return;
      }
      if (isVisitorKind(rule.kind)) {
        visitorRules.push(rule);
        const kind = rule.kind as VisitorKind;
        const values = visitor[side].get(kind) ?? new Set<string>();
        visitor[side].set(kind, values.add(rule.value));
        return;
      }
      const kind = rule.kind as PlaceKind;
      let values = byKind.get(kind);
      if (!values) byKind.set(kind, (values = new Set()));
      values.add(rule.value);
    });
    return [...byKind].map(([kind, values]) => ({ kind, values }));
  };
  const include = group(targeting.include, 'include');
  const exclude = group(targeting.exclude, 'exclude');
  const groups = (m: Map<VisitorKind, Set<string>>) => [...m].map(([kind, values]) => ({ kind, values }));
  return {
    include,
    exclude,
    visitorRules,
    visitorInclude: groups(visitor.include),
    visitorExclude: groups(visitor.exclude),
  };
}

/** The display's values for a rule kind (a display has one store but many tags). */
export function displayValues(display: DisplayFacts, kind: PlaceKind): readonly string[] {
  switch (kind) {
    case 'REGION':
      return display.regionId === null ? [] : [display.regionId];
    case 'STORE':
      return [display.storeId];
    case 'STORE_TAG':
      return display.storeTags;
    case 'DISPLAY':
      return [display.displayId];
    case 'DISPLAY_TAG':
      return display.displayTags;
    case 'ORIENTATION':
      return [display.orientation];
    case 'ZONE':
      return display.zoneId === null ? [] : [display.zoneId];
  }
}

/** The first display value the group matches, or null. */
export function groupMatch(group: RuleGroup, display: DisplayFacts): string | null {
  for (const value of displayValues(display, group.kind)) if (group.values.has(value)) return value;
  return null;
}

/** Include semantics: every kind present has a matching value (no include rules = everyone). */
export function includes(targeting: CompiledTargeting, display: DisplayFacts): boolean {
  for (const group of targeting.include) if (groupMatch(group, display) === null) return false;
  return true;
}

/** The exclude rule that removes the display, or null. */
export function excludedBy(targeting: CompiledTargeting, display: DisplayFacts): TargetingRule | null {
  for (const group of targeting.exclude) {
    const value = groupMatch(group, display);
    if (value !== null) return { kind: group.kind, value };
  }
  return null;
}

/** Whether the display is targeted: included and not excluded (exclude beats include). */
export function targets(targeting: CompiledTargeting, display: DisplayFacts): boolean {
  return includes(targeting, display) && excludedBy(targeting, display) === null;
}

/** The display's store moments still live at `at` (ms). */
export function liveMoments(display: DisplayFacts, at: number): PresenceMoment[] {
  return (display.moments ?? []).filter((m) => m.expiresAt.getTime() > at);
}

/**
 * The live moment that satisfies a visitor group on the display, or null. PROXIMITY_ZONE: a moment in one of
 * the rule's zones (anywhere in the display's store: place rules such as ZONE pick the screens). SEGMENT: a
 * moment holding one of the keys, in the display's own zone or store-wide (zoneId null).
 */
export function momentMatch(group: VisitorGroup, display: DisplayFacts, at: number): PresenceMoment | null {
  for (const moment of liveMoments(display, at)) {
    if (group.kind === 'PROXIMITY_ZONE') {
      if (moment.zoneId !== null && group.values.has(moment.zoneId)) return moment;
    } else if (
      (moment.zoneId === null || moment.zoneId === display.zoneId) &&
      moment.segmentKeys.some((key) => group.values.has(key))
    ) {
      return moment;
    }
  }
  return null;
}

/** How the visitor rules stand on a display at an instant. */
export interface VisitorVerdict {
  readonly pass: boolean;
  /** The moments that satisfied each include group (in group order). */
  readonly matched: readonly { readonly group: VisitorGroup; readonly moment: PresenceMoment }[];
  /** The include group no live moment satisfies. */
  readonly missing?: VisitorGroup;
  /** The exclude rule a live moment satisfies, and that moment. */
  readonly excluded?: { readonly rule: TargetingRule; readonly moment: PresenceMoment };
}

/** Include visitor groups each need a live moment (AND across kinds, OR within); any exclude match removes. */
export function visitorVerdict(targeting: CompiledTargeting, display: DisplayFacts, at: number): VisitorVerdict {
  const matched: { group: VisitorGroup; moment: PresenceMoment }[] = [];
  for (const group of targeting.visitorInclude) {
    const moment = momentMatch(group, display, at);
    if (!moment) return { pass: false, matched, missing: group };
    matched.push({ group, moment });
  }
  for (const group of targeting.visitorExclude) {
    const moment = momentMatch(group, display, at);
    if (moment) {
      const value =
        group.kind === 'PROXIMITY_ZONE' ? moment.zoneId! : moment.segmentKeys.find((key) => group.values.has(key))!;
      return { pass: false, matched, excluded: { rule: { kind: group.kind, value }, moment } };
    }
  }
  return { pass: true, matched };
}

/** Whether the campaign's visitor rules hold on the display at `at` (no visitor rules: always). */
export function visitorRulesHold(targeting: CompiledTargeting, display: DisplayFacts, at: number): boolean {
  if (targeting.visitorRules.length === 0) return true;
  return visitorVerdict(targeting, display, at).pass;
}

/** The first moment expiry strictly after `at`: a campaign with visitor rules may change there. */
export function nextMomentExpiry(display: DisplayFacts, at: number): number | null {
  let next: number | null = null;
  for (const m of display.moments ?? []) {
    const edge = m.expiresAt.getTime();
    if (edge > at && (next === null || edge < next)) next = edge;
  }
  return next;
}
