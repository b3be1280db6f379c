export type ScreenOrientation = 'LANDSCAPE' | 'PORTRAIT';

export interface OrientationMismatch {
  orientation: ScreenOrientation;
  /** Matching displays of that orientation. */
  displays: number;
  /** Creatives with a known shape and no version for it, in play order. */
  creatives: string[];
}

/**
 * Where the targeted displays' orientation has creatives that do not suit it (neither their own shape nor an
 * orientation version): those play with bars, cropped or stretched. Creatives of unknown shape say nothing.
 */
export function orientationMismatches(
  displays: readonly { orientation: string }[],
  creatives: readonly { name: string; orientations?: readonly string[] | null }[],
): OrientationMismatch[] {
  const counts = new Map<ScreenOrientation, number>();
  for (const d of displays) {
    if (d.orientation === 'LANDSCAPE' || d.orientation === 'PORTRAIT') {
      counts.set(d.orientation, (counts.get(d.orientation) ?? 0) + 1);
    }
  }
  const out: OrientationMismatch[] = [];
  for (const orientation of ['LANDSCAPE', 'PORTRAIT'] as const) {
    const count = counts.get(orientation);
    if (!count) continue;
    const names = creatives
      .filter((c) => (c.orientations?.length ?? 0) > 0 && !c.orientations!.includes(orientation))
      .map((c) => c.name);
    if (names.length) out.push({ orientation, displays: count, creatives: names });
  }
  return out;
}

/** "2 portrait displays match, but “A” and “B” are landscape only." */
export function describeMismatch(m: OrientationMismatch): string {
  const shape = m.orientation.toLowerCase();
  const other = m.orientation === 'LANDSCAPE' ? 'portrait' : 'landscape';
  const names = m.creatives.map((n) => `“${n}”`);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
  return `${m.displays} ${shape} ${m.displays === 1 ? 'display matches' : 'displays match'}, but ${list} ${
    names.length > 1 ? 'are' : 'is'
  } ${other} only`;
}
