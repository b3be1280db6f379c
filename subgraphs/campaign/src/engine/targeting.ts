import type { DisplayFacts, Targeting, TargetingKind, TargetingRule } from './types.js';
import { ORIENTATIONS, TARGETING_KINDS, VISITOR_TARGETING_KINDS } from './types.js';

/** Rule kinds that a display's facts can decide. */
export type PlaceKind = Exclude<TargetingKind, 'SEGMENT' | 'PROXIMITY_ZONE'>;

/** All rules of one place kind, as a set of values. */
export interface RuleGroup {
  readonly kind: PlaceKind;
  readonly values: ReadonlySet<string>;
}

/** Targeting parsed once: include and exclude groups by kind, visitor rules kept aside. */
export interface CompiledTargeting {
  readonly include: readonly RuleGroup[];
  readonly exclude: readonly RuleGroup[];
  /** SEGMENT and PROXIMITY_ZONE rules: stored, explained, not applied. */
  readonly visitorRules: readonly TargetingRule[];
}

const isVisitorKind = (kind: TargetingKind): boolean => VISITOR_TARGETING_KINDS.includes(kind);

/** Groups rules by kind, collecting problems for unknown kinds and orientations. */
export function compileTargeting(targeting: Targeting, problems: string[]): CompiledTargeting {
  const visitorRules: TargetingRule[] = [];
  const group = (rules: readonly TargetingRule[], side: string): RuleGroup[] => {
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
        return;
      }
      const kind = rule.kind as PlaceKind;
      let values = byKind.get(kind);
      if (!values) byKind.set(kind, (values = new Set()));
      values.add(rule.value);
    });
    return [...byKind].map(([kind, values]) => ({ kind, values }));
  };
  return { include: group(targeting.include, 'include'), exclude: group(targeting.exclude, 'exclude'), visitorRules };
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
