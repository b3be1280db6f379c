// Pure helpers of the locations area: tags, selection and bulk outcomes (specs beside).

/** Location tags are 1-64 letters, digits, `:`, `_` or `-` (the graph refuses others): spaces become dashes. */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9:_-]{0,63}$/;

export function parseTags(text: string): { tags: string[]; invalid: string[] } {
  const all = text
    .split(',')
    .map((t) => t.trim().toLowerCase().replace(/\s+/g, '-'))
    .filter(Boolean);
  const unique = [...new Set(all)].sort();
  return { tags: unique.filter((t) => TAG_PATTERN.test(t)), invalid: unique.filter((t) => !TAG_PATTERN.test(t)) };
}

/** Selecting one row toggles it; the header box selects every row shown, or clears them when all are. */
export function toggle(selected: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(selected);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

export function toggleAll(selected: ReadonlySet<string>, shown: readonly string[]): Set<string> {
  const allShown = shown.length > 0 && shown.every((id) => selected.has(id));
  const next = new Set(selected);
  for (const id of shown) {
    if (allShown) next.delete(id);
    else next.add(id);
  }
  return next;
}

export function selectionState(selected: ReadonlySet<string>, shown: readonly string[]): 'none' | 'some' | 'all' {
  const n = shown.filter((id) => selected.has(id)).length;
  return n === 0 ? 'none' : n === shown.length ? 'all' : 'some';
}

/** A zone belongs to one store: "set zone" needs every selected display in the same store. */
export function commonStore(displays: readonly { storeId: string }[]): string | null {
  const stores = new Set(displays.map((d) => d.storeId));
  return stores.size === 1 ? [...stores][0]! : null;
}
