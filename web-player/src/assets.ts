/** Creative files kept in Cache Storage so the screen keeps playing without a network. */

export const ASSET_CACHE = 'phub-assets';

const hasCaches = () => typeof caches !== 'undefined';

async function sha256Hex(blob: Blob): Promise<string | null> {
  if (typeof crypto === 'undefined' || !crypto.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Fetches and stores one asset unless it is cached already; true when it is in the cache afterwards. */
export async function cacheAsset(url: string, checksum: string): Promise<boolean> {
  if (!hasCaches()) return false;
  const cache = await caches.open(ASSET_CACHE);
  if (await cache.match(url)) return true;
  try {
    const res = await fetch(url, { mode: 'cors', signal: AbortSignal.timeout(60_000) });
    if (!res.ok) return false;
    const blob = await res.clone().blob();
    const hash = await sha256Hex(blob);
    // Checksums are hex SHA-256 of the file; a mismatch is a truncated or wrong download: do not keep it.
    if (hash && /^[0-9a-f]{64}$/i.test(checksum) && hash !== checksum.toLowerCase()) return false;
    await cache.put(url, res);
    return true;
  } catch {
    return false;
  }
}

/** Caches every asset (in parallel, a few at a time); resolves with how many are cached. */
export async function cacheAll(items: { url: string; checksum: string }[], concurrency = 3): Promise<number> {
  const unique = [...new Map(items.map((i) => [i.url, i])).values()];
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const item = unique[next++]!;
      if (await cacheAsset(item.url, item.checksum)) done++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, unique.length) }, worker));
  return done;
}

/**
 * A URL to play the asset from: an object URL of the cached copy (works offline), else the network URL.
 * `release` revokes the object URL when the item leaves the screen.
 */
export async function playableUrl(url: string): Promise<{ src: string; cached: boolean; release: () => void }> {
  if (hasCaches()) {
    try {
      const cache = await caches.open(ASSET_CACHE);
      const hit = await cache.match(url);
      if (hit) {
        const src = URL.createObjectURL(await hit.blob());
        return { src, cached: true, release: () => URL.revokeObjectURL(src) };
      }
    } catch {
      // fall through to the network
    }
  }
  return { src: url, cached: false, release: () => {} };
}

/** Removes cached assets no playlist needs any more. */
export async function pruneAssets(keep: Set<string>): Promise<void> {
  if (!hasCaches()) return;
  const cache = await caches.open(ASSET_CACHE);
  for (const req of await cache.keys()) if (!keep.has(req.url)) await cache.delete(req);
}
