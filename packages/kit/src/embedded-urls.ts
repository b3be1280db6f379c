/** URLs of the embedded PGlite servers running in this process (kept apart so `db.ts` need not load PGlite). */
export const embeddedUrls = new Set<string>();

/**
 * Whether `url` is an embedded PGlite of this process: all its connections share one session, so what is
 * per session on Postgres (named prepared statements, advisory locks) is shared between them there.
 */
export function isEmbeddedUrl(url: string): boolean {
  return embeddedUrls.has(url);
}
