import type { Clock } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../scope.js';
import { tableName } from '../../tables.js';
import { ConsentPurpose, type VisitorConsent } from '../profile/profile.entity.js';

interface ConsentRow {
  profile_id: string;
  purpose: ConsentPurpose;
  granted: boolean;
  source: string;
  at: Date;
}
const view = (r: ConsentRow): VisitorConsent => ({
  purpose: r.purpose,
  granted: r.granted,
  at: r.at,
  source: r.source,
});

/**
 * Consent per purpose as a history: every change is a row (who, through what, when), the current consent is the
 * latest row per purpose, and no row means no consent. A repeat of the current answer adds nothing.
 */
export class ConsentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** One profile's current consents. */
  async currentOf(profileId: string): Promise<VisitorConsent[]> {
    return [...((await this.current(this.dataSource, [profileId])).get(profileId)?.values() ?? [])];
  }

  /** Records a consent when it changes what is current; true when it did. */
  async record(
    m: EntityManager,
    tenantId: string,
    profileId: string,
    purpose: ConsentPurpose,
    granted: boolean,
    source: string,
    actor: Actor,
  ): Promise<boolean> {
    const now = (await this.current(m, [profileId])).get(profileId)?.get(purpose);
    // A first "no" is history too (the visitor was asked and declined); a repeat of the current answer is not.
    if (now && now.granted === granted) return false;
    await m.query(
      `INSERT INTO ${tableName(m, 'consent_event')}
         ("tenant_id", "profile_id", "purpose", "granted", "source", "actor_kind", "actor_id", "at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [tenantId, profileId, purpose, granted, source, actor.kind, actor.id, new Date(this.clock.now())],
    );
    return true;
  }

  /** The current consent of each profile, per purpose (absent: never asked, which is no consent). */
  async current(
    m: EntityManager | DataSource,
    profileIds: readonly string[],
  ): Promise<Map<string, Map<ConsentPurpose, VisitorConsent>>> {
    const rows = (await m.query(
      `SELECT DISTINCT ON ("profile_id", "purpose") "profile_id", "purpose", "granted", "source", "at"
         FROM ${tableName(m, 'consent_event')} WHERE "profile_id" = ANY($1::uuid[])
        ORDER BY "profile_id", "purpose", "at" DESC, "id" DESC`,
      [profileIds],
    )) as ConsentRow[];
    const out = new Map<string, Map<ConsentPurpose, VisitorConsent>>();
    for (const r of rows) {
      let byPurpose = out.get(r.profile_id);
      if (!byPurpose) out.set(r.profile_id, (byPurpose = new Map()));
      byPurpose.set(r.purpose, view(r));
    }
    return out;
  }

  async granted(m: EntityManager | DataSource, profileId: string, purpose: ConsentPurpose): Promise<boolean> {
    return (await this.current(m, [profileId])).get(profileId)?.get(purpose)?.granted ?? false;
  }

  /** Every change, oldest first. */
  async history(profileId: string): Promise<VisitorConsent[]> {
    const rows = (await this.dataSource.query(
      `SELECT "profile_id", "purpose", "granted", "source", "at" FROM ${tableName(this.dataSource, 'consent_event')}
        WHERE "profile_id" = $1 ORDER BY "at", "id"`,
      [profileId],
    )) as ConsentRow[];
    return rows.map(view);
  }
}

export const PURPOSES = Object.values(ConsentPurpose);
