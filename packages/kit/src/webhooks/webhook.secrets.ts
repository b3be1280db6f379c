import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { type Envelope, isSealedSecret } from '../crypto/envelope.js';
import { WEBHOOK_KEY_TABLE } from './webhook.migration.js';

/** Where the secrets' data key row is: the kit's `webhook_key` table, or a data key the subgraph already keeps. */
export interface DataKeyLocation {
  table: string;
  id: string;
  /** Bound to the sealed key as associated data. */
  context: string;
}

export const defaultKeyLocation = (schema: string): DataKeyLocation => ({
  table: WEBHOOK_KEY_TABLE,
  id: 'webhook-secrets',
  context: `${schema}:webhook-secrets`,
});

const PREFIX = 'v1:';

/**
 * Endpoint secrets, encrypted at rest (AES-256-GCM) with one data key per subgraph that the master key (KMS,
 * or DATA_DIR's key file) seals: one KMS call per start, not one per delivery. The endpoint id is bound in
 * as associated data, so a secret cannot be moved to another endpoint. The format is the queue's personal
 * data format, so the queue keeps sealing them with its personal-data key (`secretKey`) and nothing stored
 * before the kit existed has to be re-encrypted.
 */
export class WebhookSecrets {
  private constructor(private readonly key: Buffer) {}

  /** Loads the data key, creating and sealing it on the first start (concurrent starts agree on one). */
  static async open(dataSource: DataSource, envelope: Envelope, where: DataKeyLocation): Promise<WebhookSecrets> {
    const table = `"${dataSource.driver.schema ?? 'public'}"."${where.table}"`;
    const fresh = randomBytes(32);
    const sealed = await envelope.seal(fresh.toString('base64'), where.context);
    fresh.fill(0);
    await dataSource.query(
      `INSERT INTO ${table} ("id", "sealed", "created_at") VALUES ($1, $2, now()) ON CONFLICT ("id") DO NOTHING`,
      [where.id, JSON.stringify(sealed)],
    );
    const [row] = (await dataSource.query(`SELECT "sealed" FROM ${table} WHERE "id" = $1`, [where.id])) as {
      sealed: unknown;
    }[];
    if (!isSealedSecret(row?.sealed)) throw new Error(`${table}: the webhook secrets' key is not a sealed secret`);
    // After a master-key rotation: re-wrap with the current master key (compare-and-set: one writer wins).
    const rewrapped = await envelope.rewrap(row.sealed, where.context);
    if (rewrapped) {
      await dataSource.query(`UPDATE ${table} SET "sealed" = $2 WHERE "id" = $1 AND "sealed" = $3::jsonb`, [
        where.id,
        JSON.stringify(rewrapped),
        JSON.stringify(row.sealed),
      ]);
    }
    return new WebhookSecrets(Buffer.from((await envelope.open(row.sealed, where.context)).toString(), 'base64'));
  }

  seal(endpointId: string, secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`${endpointId}:webhookSecret`));
    const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
  }

  open(endpointId: string, stored: string): string {
    if (!stored.startsWith(PREFIX)) throw new Error('an endpoint secret that is not sealed');
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(`${endpointId}:webhookSecret`));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
