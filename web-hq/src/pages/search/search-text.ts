/** Pure parts of HQ's search: the kinds it can ask for, and a snippet's «matches» as parts to emphasise. */
export const SEARCH_KINDS = [
  { kind: 'CAMPAIGN', label: 'Campaigns' },
  { kind: 'CREATIVE', label: 'Creatives from AEM' },
  { kind: 'AEM_CONTENT', label: 'AEM content' },
] as const;
export type SearchKindValue = (typeof SEARCH_KINDS)[number]['kind'];

/** Kinds from the URL (`?kinds=CAMPAIGN,AEM_CONTENT`); unknown ones are dropped, none means all. */
export function parseKinds(param: string | null): SearchKindValue[] {
  const known = new Set<string>(SEARCH_KINDS.map((k) => k.kind));
  return (param ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k): k is SearchKindValue => known.has(k));
}

/** "Two «flat» «whites»" → [Two ][flat][ ][whites] with the matched parts marked. */
export function snippetParts(snippet: string): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  const re = /«([^»]*)»/g;
  let at = 0;
  for (let m = re.exec(snippet); m; m = re.exec(snippet)) {
    if (m.index > at) parts.push({ text: snippet.slice(at, m.index), match: false });
    parts.push({ text: m[1]!, match: true });
    at = m.index + m[0].length;
  }
  if (at < snippet.length) parts.push({ text: snippet.slice(at), match: false });
  return parts;
}
