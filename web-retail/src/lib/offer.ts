/** Campaign offer pages: one scan per campaign and browser session, and the link its QR code holds. */

const KEY = (campaignId: string) => `phub.offer.scanned.${campaignId}`;

/**
 * Runs `load(true)` (count a scan) the first time this session opens the campaign's page, `load(false)` after;
 * a load that failed leaves the next one to count.
 */
export async function scanOnce(
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  campaignId: string,
  load: (count: boolean) => Promise<boolean>,
): Promise<void> {
  const seen = storage.getItem(KEY(campaignId)) === '1';
  // Marked before the request: React's development double effect must not count twice.
  if (!seen) storage.setItem(KEY(campaignId), '1');
  const ok = await load(!seen);
  if (!ok && !seen) storage.setItem(KEY(campaignId), '0');
}

/** The address a campaign's QR code opens: the store app's public offer page. */
export function offerUrl(appBase: string, campaignId: string): string {
  return new URL(`v/offer/${encodeURIComponent(campaignId)}`, appBase.endsWith('/') ? appBase : `${appBase}/`).href;
}
