/** Pure helpers of the AEM picker: the folder trail, the search over what a folder shows, a fragment's gist. */

export interface AemListed {
  name: string;
  path: string;
  title?: string | null;
}

export interface AemFragmentListed {
  path: string;
  title?: string | null;
  fields: Record<string, unknown>;
}

/** The folders above and at `path`, from the root of the tree HQ starts at (`/content/dam`, else `/content`). */
export function folderTrail(path: string): { name: string; path: string }[] {
  const root = path === '/content/dam' || path.startsWith('/content/dam/') ? '/content/dam' : '/content';
  if (!path.startsWith(root)) return [{ name: root.split('/').pop()!, path: root }];
  const rest = path.slice(root.length).split('/').filter(Boolean);
  const trail = [{ name: root === '/content/dam' ? 'Assets' : 'Content', path: root }];
  let at = root;
  for (const seg of rest) {
    at = `${at}/${seg}`;
    trail.push({ name: seg, path: at });
  }
  return trail;
}

/** A field's words, whatever shape the delivery API gave it (string, number, rich text `{ plaintext | value }`). */
export function fieldText(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of ['plaintext', 'value', 'markdown']) if (typeof o[k] === 'string') return o[k];
  }
  return '';
}

/** What a person recognises a fragment by: its headline (or title) and price, with its body shortened. */
export function fragmentGist(f: AemFragmentListed): { heading: string; detail: string } {
  const heading = fieldText(f.fields.headline ?? f.fields.title) || f.title || f.path.split('/').pop() || f.path;
  const body = fieldText(f.fields.body ?? f.fields.description);
  const price = fieldText(f.fields.price);
  const short = body.length > 90 ? `${body.slice(0, 89)}…` : body;
  return { heading, detail: [short, price].filter(Boolean).join(' · ') };
}

const words = (q: string) => q.toLowerCase().split(/\s+/).filter(Boolean);

/** Nodes of a folder whose name, title or path has every word of the query (case-insensitive). */
export function matchNodes<T extends AemListed>(nodes: readonly T[], query: string): T[] {
  const q = words(query);
  if (q.length === 0) return [...nodes];
  return nodes.filter((n) => {
    const hay = `${n.name} ${n.title ?? ''} ${n.path}`.toLowerCase();
    return q.every((w) => hay.includes(w));
  });
}

/** Fragments whose title, path or any text field has every word of the query. */
export function matchFragments<T extends AemFragmentListed>(items: readonly T[], query: string): T[] {
  const q = words(query);
  if (q.length === 0) return [...items];
  return items.filter((f) => {
    const hay = [f.title ?? '', f.path, ...Object.values(f.fields).map(fieldText)].join(' ').toLowerCase();
    return q.every((w) => hay.includes(w));
  });
}

/** A creative's name from what was picked: the fragment's headline or the asset's title, else its file name. */
export function suggestedName(picked: { path: string; title?: string | null; heading?: string }): string {
  return (picked.heading || picked.title || picked.path.split('/').pop() || 'AEM content').slice(0, 200);
}
