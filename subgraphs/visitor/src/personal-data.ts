import { createHmac, randomBytes } from 'node:crypto';
import { type Envelope, isSealedSecret, type SealedSecret } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import { tableName } from './tables.js';

/** What a profile's ciphertext holds: every personal field of the visitor, nothing else. */
export interface PersonalRecord {
  name: string | null;
  /** Every identifier's value as given (normalised): phone, email, loyalty id, app id, device MAC hash. */
  identifiers: { kind: string; value: string }[];
  /** Attributes a CRM or staff set (e.g. `tier: gold`); rule segments match on them. */
  attributes: Record<string, string>;
  /** Staff notes, with the store and time they were written. */
  notes: { text: string; storeId: string; at: string }[];
}

export const emptyRecord = (): PersonalRecord => ({ name: null, identifiers: [], attributes: {}, notes: [] });

/** A profile's ciphertext as stored on its row: the kit's sealed secret without its key. */
export type ProfileCiphertext = Pick<SealedSecret, 'v' | 'iv' | 'tag' | 'ct'>;

const profileContext = (tenantId: string, profileId: string) => `visitor:profile:${tenantId}:${profileId}`;
const tenantContext = (tenantId: string) => `visitor:tenant-key:${tenantId}`;

/**
 * Visitors' personal data at rest, on the kit's envelope encryption only (no cipher of our own):
 *
 * - Each profile's record is one `Envelope.seal` (a fresh AES-256-GCM data key, wrapped by the master key — KMS or
 *   DATA_DIR's key file — with the tenant and profile bound in as context). The wrapped data key (`kek`, `edk`)
 *   goes to `profile_key`, the ciphertext (`iv`, `tag`, `ct`) to the profile row. Erasure deletes the
 *   `profile_key` row: what stays on the profile can no longer be opened by anyone (crypto-shredding), and
 *   events and visits keep only the profile's random id.
 * - Identifiers are found by a keyed hash (HMAC-SHA256) under a per-tenant key, itself sealed by the envelope in
 *   `tenant_key`: equal for equal identifiers of one tenant, useless without the key, unrelated across tenants.
 */
export class PersonalData {
  private readonly tenantKeys = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly envelope: Envelope,
  ) {}

  /** Seals a profile's record; the caller writes both halves in one transaction (`storeSealed`). */
  async seal(tenantId: string, profileId: string, record: PersonalRecord): Promise<SealedSecret> {
    return this.envelope.seal(JSON.stringify(record), profileContext(tenantId, profileId));
  }

  /** Writes a sealed record: its key to `profile_key`, its ciphertext to the profile row. */
  async storeSealed(m: EntityManager, tenantId: string, profileId: string, sealed: SealedSecret): Promise<void> {
    await m.query(
      `INSERT INTO ${tableName(m, 'profile_key')} ("profile_id", "tenant_id", "kek", "edk", "created_at")
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT ("profile_id") DO UPDATE SET "kek" = EXCLUDED."kek", "edk" = EXCLUDED."edk"`,
      [profileId, tenantId, sealed.kek, sealed.edk],
    );
    const ciphertext: ProfileCiphertext = { v: sealed.v, iv: sealed.iv, tag: sealed.tag, ct: sealed.ct };
    await m.query(`UPDATE ${tableName(m, 'profile')} SET "sealed" = $2 WHERE "id" = $1`, [
      profileId,
      JSON.stringify(ciphertext),
    ]);
  }

  /** Opens a profile's record; null when it has none or its key was destroyed (erased). */
  async open(
    m: EntityManager | DataSource,
    tenantId: string,
    profileId: string,
    ciphertext: ProfileCiphertext | null,
  ): Promise<PersonalRecord | null> {
    if (!ciphertext) return null;
    const [key] = (await m.query(
      `SELECT "kek", "edk" FROM ${tableName(m, 'profile_key')} WHERE "profile_id" = $1 AND "tenant_id" = $2`,
      [profileId, tenantId],
    )) as { kek: string; edk: string }[];
    if (!key) return null;
    const sealed = { ...ciphertext, kek: key.kek, edk: key.edk };
    if (!isSealedSecret(sealed)) return null;
    const plain = await this.envelope.open(sealed, profileContext(tenantId, profileId));
    return { ...emptyRecord(), ...(JSON.parse(plain.toString('utf8')) as Partial<PersonalRecord>) };
  }

  /** Destroys a profile's data key: its ciphertext stays and opens for nobody. */
  async shred(m: EntityManager, profileId: string): Promise<void> {
    await m.query(`DELETE FROM ${tableName(m, 'profile_key')} WHERE "profile_id" = $1`, [profileId]);
  }

  /**
   * Loads (or creates) the tenant's lookup key. Call it before a transaction that hashes identifiers: the key is
   * created on its own connection, so creating it inside one (a single connection on embedded PGlite) would wait
   * for itself, and a key cached from a rolled-back insert would not be the one stored.
   */
  async ready(tenantId: string): Promise<void> {
    await this.tenantKey(tenantId);
  }

  /** The keyed hash an identifier is looked up by (kind and value already normalised). */
  async identifierHash(tenantId: string, kind: string, value: string): Promise<string> {
    const key = await this.tenantKey(tenantId);
    return createHmac('sha256', key).update(`${kind}:${value}`).digest('hex');
  }

  /** The tenant's lookup key, created and sealed on first use (concurrent first uses agree on one). */
  private tenantKey(tenantId: string): Promise<Buffer> {
    let key = this.tenantKeys.get(tenantId);
    if (!key) {
      key = this.loadTenantKey(tenantId);
      key.catch(() => this.tenantKeys.delete(tenantId));
      this.tenantKeys.set(tenantId, key);
    }
    return key;
  }

  private async loadTenantKey(tenantId: string): Promise<Buffer> {
    const table = tableName(this.dataSource, 'tenant_key');
    const context = tenantContext(tenantId);
    const fresh = randomBytes(32);
    const sealed = await this.envelope.seal(fresh.toString('base64'), context);
    fresh.fill(0);
    await this.dataSource.query(
      `INSERT INTO ${table} ("tenant_id", "sealed", "created_at") VALUES ($1, $2, now()) ON CONFLICT DO NOTHING`,
      [tenantId, JSON.stringify(sealed)],
    );
    const [row] = (await this.dataSource.query(`SELECT "sealed" FROM ${table} WHERE "tenant_id" = $1`, [tenantId])) as {
      sealed: unknown;
    }[];
    if (!isSealedSecret(row?.sealed)) throw new Error(`${table}: the tenant's lookup key is not a sealed secret`);
    return Buffer.from((await this.envelope.open(row.sealed, context)).toString(), 'base64');
  }
}
