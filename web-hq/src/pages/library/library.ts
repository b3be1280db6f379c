import type { Viewer } from '@phub/web-kit';

export type Orientation = 'LANDSCAPE' | 'PORTRAIT' | 'SQUARE';
export type FitMode = 'CONTAIN' | 'COVER' | 'FILL';

export const FIT_LABELS: Record<FitMode, string> = {
  CONTAIN: 'Whole (bars where the shape differs)',
  COVER: 'Fill the screen (crop the edges)',
  FILL: 'Stretch to the screen',
};

/** "1920 × 1080 · landscape", or what is known of it. */
export function describeSize(c: { width?: number | null; height?: number | null; orientation?: string | null }) {
  if (!c.width || !c.height) return 'Size unknown';
  return `${c.width} × ${c.height} · ${(c.orientation ?? '').toLowerCase()}`;
}

/** "autumn, Window display , autumn" → ['autumn', 'window display']: what the graph will keep, for the form. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(',')
    .map((t) => t.trim().replace(/\s+/g, ' ').toLowerCase())
    .filter(Boolean);
  return [...new Set(tags)].sort();
}

/** HQ admins and editors change every creative; store managers those they uploaded (the graph says the same). */
export function canManageCreative(viewer: Pick<Viewer, 'roles' | 'userId'>, creative: { createdBy: string }) {
  if (viewer.roles.includes('HQ_ADMIN') || viewer.roles.includes('HQ_EDITOR')) return true;
  return viewer.roles.includes('STORE_MANAGER') && creative.createdBy === viewer.userId;
}

/** Who uploads creatives: HQ admins and editors, and store managers (for their store's campaigns). */
export const mayUpload = (roles: readonly string[]) =>
  roles.some((r) => r === 'HQ_ADMIN' || r === 'HQ_EDITOR' || r === 'STORE_MANAGER');

/** What the "Show" filter asks the graph for. */
export type Show = 'active' | 'unused' | 'used' | 'archived';
export function showFilter(show: Show): { archivedOnly?: boolean; used?: boolean } {
  switch (show) {
    case 'archived':
      return { archivedOnly: true };
    case 'unused':
      return { used: false };
    case 'used':
      return { used: true };
    default:
      return {};
  }
}
