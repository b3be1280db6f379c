import { createHmac, randomBytes } from 'node:crypto';
import { type Envelope, isSealedSecret, type SealedSecret } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { tableName } from './tables.js';

/** A tenant's Mist connection, unsealed: the webhook secret (null until HQ sets one) and the MAC-hash key. */
export interface OpenConnection {
  secret: Buffer | null;
  macKey: Buffer;
  updatedAt: Date;
}

const secretContext = (tenantId: string) => `proximity:mist-secret:${tenantId}`;
const macKeyContext = (tenantId: string) => `proximity:mac-key:${tenantId}`;

/**
 * Each tenant's webhook secret and MAC-hash key, sealed by the master key (KMS or DATA_DIR's key file) with the
 * tenant bound into the context, so a sealed value cannot be moved to another tenant's row. Unsealed values are
 * kept in memory per tenant while the row is unchanged (every replica re-reads the row, so a new secret set on
 * one replica is used by all from their next message).
 */
export class ConnectionKeys {
  private readonly open = new Map<string, { version: string; value: Promise<OpenConnection> }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly envelope: Envelope,
  ) {}

  /** The tenant's connection, or null when HQ never configured Mist. */
  async get(tenantId: string): Promise<OpenConnection | null> {
    const [row] = (await this.dataSource.query(
      `SELECT "sealed_secret", "sealed_mac_key", "updated_at" FROM ${tableName(this.dataSource, 'mist_connection')}
       WHERE "tenant_id" = $1`,
      [tenantId],
    )) as { sealed_secret: SealedSecret | null; sealed_mac_key: SealedSecret; updated_at: Date }[];
    if (!row) return null;
    const version = JSON.stringify([row.sealed_secret, row.sealed_mac_key]);
    const cached = this.open.get(tenantId);
    if (cached?.version === version) return cached.value;
    const value = (async (): Promise<OpenConnection> => ({
      secret: isSealedSecret(row.sealed_secret)
        ? await this.envelope.open(row.sealed_secret, secretContext(tenantId))
        : null,
      macKey: await this.envelope.open(row.sealed_mac_key, macKeyContext(tenantId)),
      updatedAt: row.updated_at,
    }))();
    this.open.set(tenantId, { version, value });
    value.catch(() => this.open.delete(tenantId));
    return value;
  }

  /** Seals and stores a new webhook secret (creating the connection and its MAC-hash key on first use). */
  async setSecret(tenantId: string, secret: string): Promise<void> {
    const sealedSecret = await this.envelope.seal(secret, secretContext(tenantId));
    const macKey = randomBytes(32);
    const sealedMacKey = await this.envelope.seal(macKey, macKeyContext(tenantId));
    macKey.fill(0);
    // The MAC-hash key never changes once made: hashes of one device stay comparable over time.
    await this.dataSource.query(
      `INSERT INTO ${tableName(this.dataSource, 'mist_connection')} ("tenant_id", "sealed_secret", "sealed_mac_key", "updated_at")
       VALUES ($1, $2, $3, now())
       ON CONFLICT ("tenant_id") DO UPDATE SET "sealed_secret" = EXCLUDED."sealed_secret", "updated_at" = now()`,
      [tenantId, JSON.stringify(sealedSecret), JSON.stringify(sealedMacKey)],
    );
  }
}

/** A device's pseudonymous id: HMAC-SHA256 of its normalised MAC (or SDK client id) under the tenant's key. */
export function hashDevice(macKey: Buffer, device: string): string {
  return createHmac('sha256', macKey).update(device).digest('hex');
}
