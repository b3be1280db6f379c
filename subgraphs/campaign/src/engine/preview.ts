import { type CampaignIndex, asIndex } from './compile.js';
import { PlaylistEngineError } from './errors.js';
import { instantOf, resolveAt } from './resolve.js';
import type { Campaign, DisplayFacts, Interruption, PlaylistSegment } from './types.js';

/** Default most resolutions one preview may need (one per boundary crossed). */
export const MAX_PREVIEW_SEGMENTS = 2_000;

/** Options of `preview`. */
export interface PreviewOptions {
  /** Most boundaries the preview may cross before it refuses; defaults to MAX_PREVIEW_SEGMENTS. */
  readonly maxSegments?: number;
}

/**
 * The timeline a display will play over [from, to): consecutive segments, cut at every boundary where the
 * playlist version changes (boundaries that change nothing are merged away). A segment's items are those
 * resolved at its last boundary, so their `validUntil` is never before the segment's end. Throws
 * PREVIEW_TOO_LONG when the range crosses more than `maxSegments` boundaries.
 */
export function preview(
  display: DisplayFacts,
  campaigns: CampaignIndex | readonly Campaign[],
  overrides: readonly Interruption[],
  from: Date,
  to: Date,
  options: PreviewOptions = {},
): PlaylistSegment[] {
  const start = instantOf(from, 'from');
  const end = instantOf(to, 'to');
  if (end <= start) {
    throw new PlaylistEngineError('INVALID_RANGE', 'preview needs `to` after `from`', {
      from: from.toISOString(),
      to: to.toISOString(),
    });
  }
  const maxSegments = options.maxSegments ?? MAX_PREVIEW_SEGMENTS;
  const index = asIndex(campaigns);
  const segments: PlaylistSegment[] = [];
  let resolutions = 0;
  for (let t = start; t < end;) {
    if (++resolutions > maxSegments) {
      throw new PlaylistEngineError(
        'PREVIEW_TOO_LONG',
        `preview from ${from.toISOString()} to ${to.toISOString()} crosses more than ${maxSegments} schedule boundaries; ask for a shorter range`,
        { maxSegments },
      );
    }
    const { playlist } = resolveAt(display, index, overrides, t);
    const next = playlist.validUntil === null ? end : Math.min(playlist.validUntil.getTime(), end);
    const previous = segments[segments.length - 1];
    if (previous && previous.version === playlist.version) {
      segments[segments.length - 1] = { ...previous, to: new Date(next), items: playlist.items };
    } else {
      segments.push({ from: new Date(t), to: new Date(next), version: playlist.version, items: playlist.items });
    }
    t = next;
  }
  return segments;
}
