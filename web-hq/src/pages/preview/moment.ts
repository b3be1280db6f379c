/** Which item of a looping playlist is on screen at an instant: the loop starts when its version does. */
export interface LoopItem {
  durationMs: number;
}

export function itemAt<T extends LoopItem>(
  segment: { from: string; to: string; items: readonly T[] },
  instant: Date,
): { index: number; item: T; startedAt: Date } | null {
  const t = instant.getTime();
  const from = Date.parse(segment.from);
  if (t < from || t >= Date.parse(segment.to) || !segment.items.length) return null;
  const loop = segment.items.reduce((sum, i) => sum + Math.max(1, i.durationMs), 0);
  const intoLoop = (t - from) % loop;
  let start = 0;
  for (let index = 0; index < segment.items.length; index++) {
    const length = Math.max(1, segment.items[index]!.durationMs);
    if (intoLoop < start + length) {
      return { index, item: segment.items[index]!, startedAt: new Date(t - (intoLoop - start)) };
    }
    start += length;
  }
  return null; // unreachable: intoLoop < loop
}

/** "Image", "Video", "Now-serving board": a creative's kind in words, never a MIME type. */
export function mediaKind(mimeType: string | null | undefined): string {
  if (!mimeType) return 'Content';
  if (mimeType.startsWith('image/')) return 'Image';
  if (mimeType.startsWith('video/')) return 'Video';
  if (mimeType.includes('queue')) return 'Now-serving board';
  if (mimeType.startsWith('text/html')) return 'Web page';
  return 'Content';
}
