import { createHash } from 'node:crypto';

import type { PlaylistItem } from './types.js';

const VERSION_SCHEME = 'phub.playlist.v1';

/**
 * sha256 over a canonical serialisation of what a player plays: per item, in loop order, its campaign,
 * override, creative, url, mime type, duration and checksum (and takeover, when set). Validity instants are left out on purpose,
 * so re-resolving at a boundary that changes nothing keeps the version and notifies nobody.
 */
export function playlistVersion(items: readonly Omit<PlaylistItem, 'validUntil'>[]): string {
  const canonical = JSON.stringify([
    VERSION_SCHEME,
    items.map((item) => [
      item.campaignId,
      item.overrideId,
      item.creativeId,
      item.url,
      item.mimeType,
      item.durationMs,
      item.checksum,
      // Only takeover items carry it, so every other playlist keeps the version it always had.
      ...(item.takeoverId ? [item.takeoverId] : []),
      // Likewise the fit mode, only when it is not the default.
      ...(item.fit && item.fit !== 'CONTAIN' ? [`fit:${item.fit}`] : []),
    ]),
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 20);
}
