// The layout designer's pure parts: drafts of regions, presets and the checks shown before saving.

export type RegionKind = 'CONTENT' | 'TICKER' | 'QUEUE_BOARD';

export interface RegionDraft {
  name: string;
  kind: RegionKind;
  x: number;
  y: number;
  width: number;
  height: number;
  text: string;
}

export const KIND_LABELS: Record<RegionKind, string> = {
  CONTENT: 'Content (its own playlist)',
  TICKER: 'Ticker (scrolling text)',
  QUEUE_BOARD: 'Queue board (now serving)',
};

export const REGION_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** Starting points: what most screens in a shop are split into. */
export const PRESETS: { label: string; regions: RegionDraft[] }[] = [
  {
    label: 'Main, side panel and ticker',
    regions: [
      { name: 'main', kind: 'CONTENT', x: 0, y: 0, width: 70, height: 88, text: '' },
      { name: 'side', kind: 'CONTENT', x: 70, y: 0, width: 30, height: 88, text: '' },
      {
        name: 'ticker',
        kind: 'TICKER',
        x: 0,
        y: 88,
        width: 100,
        height: 12,
        text: 'Welcome — ask us about today’s offers',
      },
    ],
  },
  {
    label: 'Content beside the queue board',
    regions: [
      { name: 'main', kind: 'CONTENT', x: 0, y: 0, width: 60, height: 100, text: '' },
      { name: 'queue', kind: 'QUEUE_BOARD', x: 60, y: 0, width: 40, height: 100, text: '' },
    ],
  },
];

/** A fresh region for "Add region": a name not yet taken, in the lower right quarter. */
export function newRegion(existing: readonly RegionDraft[]): RegionDraft {
  let n = existing.length + 1;
  while (existing.some((r) => r.name === `region-${n}`)) n++;
  return { name: `region-${n}`, kind: 'CONTENT', x: 50, y: 50, width: 50, height: 50, text: '' };
}

/** The main region: the first CONTENT one (it also plays campaigns that name no region). */
export function mainRegion(regions: readonly RegionDraft[]): string | null {
  return regions.find((r) => r.kind === 'CONTENT')?.name ?? null;
}

/** Problems to fix before saving, by region index ('layout' for the whole); the graph checks the same. */
export function regionProblems(regions: readonly RegionDraft[]): { index: number | 'layout'; message: string }[] {
  const problems: { index: number | 'layout'; message: string }[] = [];
  if (!regions.length) problems.push({ index: 'layout', message: 'Add at least one region.' });
  else if (!regions.some((r) => r.kind === 'CONTENT')) {
    problems.push({ index: 'layout', message: 'A layout needs a content region for its campaigns.' });
  }
  if (regions.length > 8) problems.push({ index: 'layout', message: 'A layout has at most 8 regions.' });
  const seen = new Set<string>();
  regions.forEach((r, index) => {
    const name = r.name.trim().toLowerCase();
    if (!REGION_NAME.test(name)) {
      problems.push({ index, message: 'Name: lower case letters, digits and dashes, starting with a letter.' });
    } else if (seen.has(name)) problems.push({ index, message: `The name “${name}” is used twice.` });
    seen.add(name);
    if (![r.x, r.y, r.width, r.height].every(Number.isFinite)) {
      problems.push({ index, message: 'Position and size must be numbers.' });
    } else if (r.width < 1 || r.height < 1) problems.push({ index, message: 'Width and height are at least 1%.' });
    else if (r.x < 0 || r.y < 0 || r.x + r.width > 100 || r.y + r.height > 100) {
      problems.push({ index, message: 'The region must lie inside the screen (left + width and top + height ≤ 100).' });
    }
    if (r.kind === 'TICKER' && !r.text.trim()) problems.push({ index, message: 'A ticker needs its text.' });
  });
  return problems;
}

/** Pairs of regions that overlap (allowed, but rarely meant). */
export function overlaps(regions: readonly RegionDraft[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < regions.length; i++) {
    for (let j = i + 1; j < regions.length; j++) {
      const a = regions[i]!;
      const b = regions[j]!;
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) {
        pairs.push([a.name, b.name]);
      }
    }
  }
  return pairs;
}

/** The draft as the graph's LayoutRegionInput list. */
export function toRegionInput(regions: readonly RegionDraft[]) {
  return regions.map((r) => ({
    name: r.name.trim().toLowerCase(),
    kind: r.kind,
    x: r.x,
    y: r.y,
    width: r.width,
    height: r.height,
    text: r.kind === 'TICKER' ? r.text.trim() : null,
  }));
}
