import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../env.js';

/**
 * A secret encrypted with its own data key (AES-256-GCM), the data key encrypted by a master
 * key (the key-encryption key). Stored as JSON; `context` (e.g. which row it belongs to) is
 * bound to both layers as additional authenticated data, so a sealed value cannot be moved to
 * another row.
 */
export interface SealedSecret {
  v: 1;
  /** Which master key wrapped the data key, e.g. `local:3f2a…`. */
  kek: string;
  /** The wrapped data key (base64). */
  edk: string;
  iv: string;
  tag: string;
  /** The ciphertext (base64). */
  ct: string;
}

/** A master key that wraps data keys: a local key file, or a cloud KMS key. */
export interface KeyEncryptionKey {
  readonly id: string;
  wrap(dataKey: Buffer, context: string): Promise<Buffer>;
  unwrap(wrapped: Buffer, context: string): Promise<Buffer>;
}

export const isSealedSecret = (value: unknown): value is SealedSecret =>
  typeof value === 'object' &&
  value !== null &&
  (value as { v?: unknown }).v === 1 &&
  ['kek', 'edk', 'iv', 'tag', 'ct'].every((k) => typeof (value as Record<string, unknown>)[k] === 'string');

/** Raised when a sealed value was wrapped by another master key than the one configured. */
export class WrongMasterKeyError extends Error {
  constructor(
    readonly sealedWith: string,
    readonly configured: string,
  ) {
    super(
      `a secret was encrypted with master key ${sealedWith} but ${configured} is configured; ` +
        'restore the master key it was sealed with (DATA_DIR/master.key)',
    );
    this.name = 'WrongMasterKeyError';
  }
}

function gcmSeal(key: Buffer, plaintext: Buffer, aad: string) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ct };
}

function gcmOpen(key: Buffer, parts: { iv: Buffer; tag: Buffer; ct: Buffer }, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, parts.iv);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(parts.tag);
  return Buffer.concat([decipher.update(parts.ct), decipher.final()]);
}

/** Envelope encryption with one master key. */
export class Envelope {
  constructor(readonly kek: KeyEncryptionKey) {}

  async seal(plaintext: Buffer | string, context: string): Promise<SealedSecret> {
    const dataKey = randomBytes(32);
    try {
      const sealed = gcmSeal(dataKey, Buffer.from(plaintext), context);
      const edk = await this.kek.wrap(dataKey, context);
      return {
        v: 1,
        kek: this.kek.id,
        edk: edk.toString('base64'),
        iv: sealed.iv.toString('base64'),
        tag: sealed.tag.toString('base64'),
        ct: sealed.ct.toString('base64'),
      };
    } finally {
      dataKey.fill(0);
    }
  }

  async open(sealed: SealedSecret, context: string): Promise<Buffer> {
    if (sealed.kek !== this.kek.id) throw new WrongMasterKeyError(sealed.kek, this.kek.id);
    const dataKey = await this.kek.unwrap(Buffer.from(sealed.edk, 'base64'), context);
    try {
      return gcmOpen(
        dataKey,
        {
          iv: Buffer.from(sealed.iv, 'base64'),
          tag: Buffer.from(sealed.tag, 'base64'),
          ct: Buffer.from(sealed.ct, 'base64'),
        },
        context,
      );
    } finally {
      dataKey.fill(0);
    }
  }
}

/** The file a local master key lives in, under DATA_DIR. */
export const MASTER_KEY_FILE = 'master.key';

/**
 * A 256-bit master key kept in a file only its owner can read (0600), generated on first use.
 * For one machine (the embedded platform); several replicas share a KMS key instead.
 */
export class LocalMasterKey implements KeyEncryptionKey {
  readonly id: string;

  private constructor(private readonly key: Buffer) {
    this.id = `local:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
  }

  /** Reads `<dataDir>/master.key`, creating it (exclusively, 0600) when absent. */
  static loadOrCreate(dataDir: string): LocalMasterKey {
    return new LocalMasterKey(loadOrCreateKeyFile(path.resolve(dataDir, MASTER_KEY_FILE)));
  }

  async wrap(dataKey: Buffer, context: string): Promise<Buffer> {
    const { iv, tag, ct } = gcmSeal(this.key, dataKey, context);
    return Buffer.concat([iv, tag, ct]);
  }

  async unwrap(wrapped: Buffer, context: string): Promise<Buffer> {
    return gcmOpen(
      this.key,
      { iv: wrapped.subarray(0, 12), tag: wrapped.subarray(12, 28), ct: wrapped.subarray(28) },
      context,
    );
  }
}

/**
 * A random 256-bit key kept in `file` (base64, mode 0600), generated on first use and the same on
 * every later start: for secrets that must outlive a restart without being configured.
 */
export function loadOrCreateKeyFile(file: string): Buffer {
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // 'wx': of two processes starting at once, one creates and both read the same key.
    writeFileSync(file, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600); // whatever the umask
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') {
      throw new ConfigError([
        `${file}: cannot create the key file (${code}); make DATA_DIR writable, or configure the key instead`,
      ]);
    }
  }
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    throw new ConfigError([`${file}: must be readable by its owner only (chmod 600), not ${mode.toString(8)}`]);
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new ConfigError([`${file}: not a key file (expected 32 bytes in base64)`]);
  return key;
}
