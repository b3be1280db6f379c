import { REVOCATION_LIST_LOADED_KEY, revokedSessionKey, revokedTokenKey, type Cache, type Logger } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import { MoreThan, LessThan } from 'typeorm';
import { Revocation, type RevocationKind } from './revocation.entity.js';

/** The marker outlives any check interval by far; a reload re-sets it, so its expiry only costs a reload. */
const MARKER_TTL_SECONDS = 24 * 60 * 60;

const cacheKey = (kind: RevocationKind, id: string) => (kind === 'sid' ? revokedSessionKey(id) : revokedTokenKey(id));

/**
 * Revocations kept in Postgres (the truth) and mirrored into the shared cache, which every
 * verifier reads. Verifiers in other processes cannot read auth's schema, so the cache is how
 * the list reaches them: auth reloads it on start and whenever the "loaded" marker is gone
 * (Redis restarted or flushed), and verifiers refuse tokens while the marker is missing.
 */
export class RevocationList {
  private reloading?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cache: Cache,
    private readonly clock: () => number,
    private readonly logger: Logger,
  ) {}

  /**
   * Records revocations in the caller's transaction and in the cache. The cache is written
   * before the commit: should the commit fail, a token is refused a little early, never late.
   */
  async add(
    manager: EntityManager,
    kind: RevocationKind,
    ids: readonly string[],
    reason: string,
    ttlSeconds: number,
  ): Promise<void> {
    if (!ids.length) return;
    const expiresAt = new Date(this.clock() + ttlSeconds * 1000);
    await manager
      .createQueryBuilder()
      .insert()
      .into(Revocation)
      .values(ids.map((id) => ({ kind, id, reason, expiresAt })))
      .orUpdate(['reason', 'expires_at'], ['kind', 'id'])
      .execute();
    await Promise.all(ids.map((id) => this.cache.set(cacheKey(kind, id), reason, ttlSeconds)));
  }

  /** Copies every live revocation into the cache, then sets the marker. Concurrent calls share one reload. */
  reload(): Promise<number> {
    this.reloading ??= this.load().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  /** Reloads when the cache lost the list (its marker is missing); returns whether it did. */
  async ensureLoaded(): Promise<boolean> {
    if ((await this.cache.get(REVOCATION_LIST_LOADED_KEY)) !== undefined) return false;
    const count = await this.reload();
    this.logger.warn({ revocations: count }, 'revocation list was missing from the cache; reloaded it from Postgres');
    return true;
  }

  /** Deletes revocations that no longer stop any valid token. */
  async purgeExpired(): Promise<number> {
    const result = await this.dataSource.manager.delete(Revocation, { expiresAt: LessThan(new Date(this.clock())) });
    return result.affected ?? 0;
  }

  private async load(): Promise<number> {
    const now = this.clock();
    const rows = await this.dataSource.manager.find(Revocation, { where: { expiresAt: MoreThan(new Date(now)) } });
    await Promise.all(
      rows.map((r) => this.cache.set(cacheKey(r.kind, r.id), r.reason, (r.expiresAt.getTime() - now) / 1000)),
    );
    await this.cache.set(REVOCATION_LIST_LOADED_KEY, new Date(now).toISOString(), MARKER_TTL_SECONDS);
    return rows.length;
  }
}
