import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { type Envelope, isSealedSecret } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { tableName } from './tables.js';

const KEY_ID = 'personal-data';
const CONTEXT = 'queue:personal-data';
/** The same key seals webhook secrets (the kit's `secretKey`), as it did before webhooks moved to the kit. */
export const PERSONAL_DATA_KEY = { table: 'data_key', id: KEY_ID, context: CONTEXT };
const PREFIX = 'v1:';

/**
 * Visitor names, phones and notes are encrypted at rest (AES-256-GCM) with one data key of this subgraph,
 * itself sealed by the master key (KMS, or DATA_DIR's key file) and unsealed once at start: one KMS call per
 * start rather than one per ticket. The ticket id and field name are bound in as associated data, so a value
 * cannot be moved to another row or column. Phone numbers are also kept as an HMAC for the per-phone limits.
 */
export class PersonalData {
  private constructor(
    private readonly key: Buffer,
    private readonly macKey: Buffer,
  ) {}

  /** Loads the data key, creating and sealing it on the first start (concurrent starts agree on one). */
  static async open(dataSource: DataSource, envelope: Envelope): Promise<PersonalData> {
    const table = tableName(dataSource, 'data_key');
    const fresh = randomBytes(32);
    const sealed = await envelope.seal(fresh.toString('base64'), CONTEXT);
    await dataSource.query(
      `INSERT INTO ${table} ("id", "sealed", "created_at") VALUES ($1, $2, now()) ON CONFLICT ("id") DO NOTHING`,
      [KEY_ID, JSON.stringify(sealed)],
    );
    fresh.fill(0);
    const [row] = (await dataSource.query(`SELECT "sealed" FROM ${table} WHERE "id" = $1`, [KEY_ID])) as {
      sealed: unknown;
    }[];
    if (!isSealedSecret(row?.sealed)) throw new Error(`${table}: the personal-data key is not a sealed secret`);
    // After a master-key rotation: re-wrap the data key with the current master key (the ciphertexts stay), so
    // the retired master key can go. Compare-and-set on the old value: concurrent starts write it once.
    const rewrapped = await envelope.rewrap(row.sealed, CONTEXT);
    if (rewrapped) {
      await dataSource.query(`UPDATE ${table} SET "sealed" = $2 WHERE "id" = $1 AND "sealed" = $3::jsonb`, [
        KEY_ID,
        JSON.stringify(rewrapped),
        JSON.stringify(row.sealed),
      ]);
    }
    const key = Buffer.from((await envelope.open(row.sealed, CONTEXT)).toString(), 'base64');
    const macKey = createHmac('sha256', key).update('phone-hash').digest();
    return new PersonalData(key, macKey);
  }

  seal(ticketId: string, field: string, value: string | null | undefined): string | null {
    if (value == null) return null;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`${ticketId}:${field}`));
    const ct = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
  }

  open(ticketId: string, field: string, stored: string | null | undefined): string | null {
    if (stored == null) return null;
    if (!stored.startsWith(PREFIX)) return stored; // written before encryption existed
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(`${ticketId}:${field}`));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** A keyed hash of a check-in code (appointments, collect orders): found by it, useless without the key. */
  codeHash(code: string): string {
    return createHmac('sha256', this.macKey).update(`code:${code}`).digest('hex');
  }

  /** A keyed hash of a normalised phone number: equal for equal numbers, useless without the key. */
  phoneHash(tenantId: string, phone: string): string {
    return createHmac('sha256', this.macKey).update(`${tenantId}:${phone}`).digest('hex');
  }
}
