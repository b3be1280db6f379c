import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
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
  /**
   * Another master key of the same kind that can unwrap what it wrapped (a retired key during a
   * rotation), found by its id; undefined when this one cannot reach it.
   */
  sibling?(id: string): KeyEncryptionKey | undefined;
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
        'restore the master key it was sealed with (DATA_DIR/master.key, or a retired DATA_DIR/master.<id>.key ' +
        'kept until every data key is re-wrapped)',
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

/**
 * Envelope encryption: `kek` (the current master key) wraps every new data key; data keys wrapped by
 * a retired master key still open (through `kek.sibling`) until `rewrap` has moved them to the current one.
 */
export class Envelope {
  constructor(readonly kek: KeyEncryptionKey) {}

  /** The master key that wrapped `sealed`'s data key, or a WrongMasterKeyError naming the missing one. */
  private kekOf(sealed: SealedSecret): KeyEncryptionKey {
    const kek = sealed.kek === this.kek.id ? this.kek : this.kek.sibling?.(sealed.kek);
    if (!kek) throw new WrongMasterKeyError(sealed.kek, this.kek.id);
    return kek;
  }

  /** Whether `sealed` needs a re-wrap (its data key was wrapped by another master key than the current one). */
  isCurrent(sealed: SealedSecret): boolean {
    return sealed.kek === this.kek.id;
  }

  /**
   * The same secret with its data key re-wrapped by the current master key: only `kek` and `edk` change,
   * the ciphertext stays. Null when it already is wrapped by the current key (so a re-run writes nothing).
   */
  async rewrap(sealed: SealedSecret, context: string): Promise<SealedSecret | null> {
    if (this.isCurrent(sealed)) return null;
    const dataKey = await this.kekOf(sealed).unwrap(Buffer.from(sealed.edk, 'base64'), context);
    try {
      const edk = await this.kek.wrap(dataKey, context);
      return { ...sealed, kek: this.kek.id, edk: edk.toString('base64') };
    } finally {
      dataKey.fill(0);
    }
  }

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
    const dataKey = await this.kekOf(sealed).unwrap(Buffer.from(sealed.edk, 'base64'), context);
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
/** A retired local master key, kept beside the current one until every data key is re-wrapped. */
export const retiredMasterKeyFile = (id: string) => `master.${id.replace(/^local:/, '')}.key`;
const RETIRED_FILE = /^master\.[0-9a-f]{16}\.key$/;

const localKeyId = (key: Buffer) => `local:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;

/**
 * A 256-bit master key kept in a file only its owner can read (0600), generated on first use.
 * For one machine (the embedded platform); several replicas share a KMS key instead. Retired keys
 * (`master.<id>.key`) in the same DATA_DIR still unwrap the data keys they wrapped.
 */
export class LocalMasterKey implements KeyEncryptionKey {
  readonly id: string;

  private constructor(
    private readonly key: Buffer,
    private readonly dataDir?: string,
  ) {
    this.id = localKeyId(key);
  }

  /** Reads `<dataDir>/master.key`, creating it (exclusively, 0600) when absent. */
  static loadOrCreate(dataDir: string): LocalMasterKey {
    return new LocalMasterKey(loadOrCreateKeyFile(path.resolve(dataDir, MASTER_KEY_FILE)), path.resolve(dataDir));
  }

  /**
   * Looks the key up in DATA_DIR when asked (not at start): a process started before a rotation
   * then still opens what the new key wraps, and a retired file deleted after re-wrap is simply absent.
   */
  sibling(id: string): LocalMasterKey | undefined {
    if (!this.dataDir || !id.startsWith('local:')) return undefined;
    const files = readdirSync(this.dataDir).filter((f) => f === MASTER_KEY_FILE || RETIRED_FILE.test(f));
    for (const file of files) {
      const key = readKeyFile(path.join(this.dataDir, file));
      if (localKeyId(key) === id) return new LocalMasterKey(key, this.dataDir);
    }
    return undefined;
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
  return readKeyFile(file);
}

/**
 * Rotates the local master key: the current `master.key` is kept as `master.<id>.key` (so data keys
 * it wrapped still open) and a new random key takes its place. Returns both ids.
 */
export function rotateLocalMasterKey(dataDir: string): { retired: string; current: string } {
  const current = path.resolve(dataDir, MASTER_KEY_FILE);
  // Nothing is sealed without a master key: a missing one is a wrong DATA_DIR, not something to rotate.
  if (!existsSync(current)) throw new ConfigError([`${current}: no master key to rotate; is DATA_DIR right?`]);
  const old = LocalMasterKey.loadOrCreate(dataDir);
  const oldKey = readKeyFile(current);
  // 'wx' and 0600: a retired key is as secret as the current one, and an earlier copy is never overwritten.
  try {
    writeFileSync(path.resolve(dataDir, retiredMasterKeyFile(old.id)), oldKey.toString('base64'), {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // Written aside then renamed: a process starting meanwhile reads the old key or the new one, never half a file.
  const next = `${current}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(next, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
  chmodSync(next, 0o600);
  renameSync(next, current);
  return { retired: old.id, current: LocalMasterKey.loadOrCreate(dataDir).id };
}

/** Reads a key file, refusing one others can read or one that is not 32 bytes of base64. */
function readKeyFile(file: string): Buffer {
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    throw new ConfigError([`${file}: must be readable by its owner only (chmod 600), not ${mode.toString(8)}`]);
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new ConfigError([`${file}: not a key file (expected 32 bytes in base64)`]);
  return key;
}
