import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ErrorCode } from '../errors.js';
import {
  baseMimeType,
  encodeKey,
  isValidKey,
  mimeTypeFor,
  resolveUrl,
  type Storage,
  type StoredObject,
  type UploadRequest,
  type UploadTarget,
  type UrlSource,
} from './storage.js';
import { UploadTokens, type UploadGrant } from './upload-token.js';

export interface LocalStorageOptions {
  /** Folder holding the objects (created on first use). */
  dir: string;
  /** The owning service's own origin, e.g. http://localhost:4003: uploads go to `<baseUrl>/uploads/<token>`. */
  baseUrl: UrlSource;
  /** Where players fetch assets; default `<baseUrl>/assets`. */
  publicUrl?: UrlSource;
  /** HMAC secret of upload tokens; default a random one per process. */
  secret?: string | Buffer;
  uploadTtlSeconds?: number;
  /** Seconds since the epoch; tests pass a fixed clock. */
  now?: () => number;
}

/** A refused local upload: the route answers `status` with `{errors:[{message, extensions:{code}}]}`. */
export class UploadRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UploadRefused';
  }
}

interface Meta {
  mimeType: string;
  sizeBytes: number;
  checksum: string;
}

/**
 * Objects in a local folder, served by the service itself: uploads through `PUT /uploads/:token` (campaign's
 * mountCreativeRoutes), downloads from `GET /assets/<key>` (mountAssetRoute). Metadata (type, sha256) sits
 * beside each object under `.meta/`, which no key can name.
 */
export class LocalStorage implements Storage {
  readonly kind = 'local' as const;
  readonly dir: string;
  private readonly tokens: UploadTokens;
  private readonly ttl: number;
  private readonly now: () => number;

  constructor(private readonly options: LocalStorageOptions) {
    this.dir = resolve(options.dir);
    const secret = options.secret ?? randomBytes(32);
    this.tokens = new UploadTokens(Buffer.isBuffer(secret) ? secret : Buffer.from(secret));
    this.ttl = options.uploadTtlSeconds ?? 900;
    this.now = options.now ?? (() => Date.now() / 1000);
  }

  async presignUpload(request: UploadRequest): Promise<UploadTarget> {
    assertKey(request.key);
    const expiresAt = Math.floor(this.now()) + this.ttl;
    const token = this.tokens.sign({ ...request, expiresAt });
    return {
      url: `${resolveUrl(this.options.baseUrl)}/uploads/${token}`,
      method: 'PUT',
      headers: [
        { name: 'Content-Type', value: request.mimeType },
        { name: 'Content-Length', value: String(request.sizeBytes) },
      ],
      expiresAt: new Date(expiresAt * 1000),
    };
  }

  publicUrl(key: string): string {
    const base = this.options.publicUrl ?? `${resolveUrl(this.options.baseUrl)}/assets`;
    return `${resolveUrl(base)}/${encodeKey(key)}`;
  }

  async inspect(key: string): Promise<StoredObject | null> {
    if (!isValidKey(key)) return null;
    const file = this.pathOf(key);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const meta = await this.readMeta(key);
    if (meta && meta.sizeBytes === info.size) return meta;
    // No metadata (a file put there by hand): describe it from its bytes.
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    const checksum = hash.digest('hex');
    return { sizeBytes: info.size, mimeType: mimeTypeFor(key), checksum };
  }

  async putIfAbsent(key: string, body: Buffer, mimeType: string): Promise<StoredObject> {
    assertKey(key);
    const meta = { mimeType, sizeBytes: body.length, checksum: createHash('sha256').update(body).digest('hex') };
    const tmp = await this.tempFile();
    await writeFile(tmp, body);
    const stored = await this.commit(tmp, key, meta);
    return stored ? meta : ((await this.inspect(key)) ?? meta);
  }

  async remove(key: string): Promise<void> {
    if (!isValidKey(key)) return;
    await rm(this.pathOf(key), { force: true });
    await rm(this.metaPathOf(key), { force: true });
  }

  /**
   * Streams an upload to disk under the token's key, enforcing the declared type and size and hashing
   * as it writes. Each token stores at most once: a second upload to the same key is a CONFLICT.
   */
  async receive(
    token: string,
    body: Readable,
    headers: { contentType?: string; contentLength?: string },
  ): Promise<StoredObject & { key: string }> {
    const grant = this.grant(token);
    if (baseMimeType(headers.contentType) !== grant.mimeType) {
      throw new UploadRefused(
        415,
        ErrorCode.BAD_REQUEST,
        `Content-Type must be ${grant.mimeType}, as declared when the upload was created`,
      );
    }
    if (headers.contentLength !== undefined) {
      const length = Number(headers.contentLength);
      if (length > grant.sizeBytes) throw tooLarge(grant);
      if (length !== grant.sizeBytes) {
        throw new UploadRefused(400, ErrorCode.BAD_REQUEST, `The body must be exactly ${grant.sizeBytes} bytes`);
      }
    }
    if (await this.exists(grant.key)) {
      throw new UploadRefused(409, ErrorCode.CONFLICT, 'This upload URL has already been used');
    }
    const tmp = await this.tempFile();
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > grant.sizeBytes) return done(tooLarge(grant));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(tmp, { flags: 'wx' }));
    } catch (err) {
      await rm(tmp, { force: true });
      if (err instanceof UploadRefused) throw err;
      throw new UploadRefused(400, ErrorCode.BAD_REQUEST, 'The upload was interrupted');
    }
    if (size !== grant.sizeBytes) {
      await rm(tmp, { force: true });
      throw new UploadRefused(400, ErrorCode.BAD_REQUEST, `The body must be exactly ${grant.sizeBytes} bytes`);
    }
    const meta = { mimeType: grant.mimeType, sizeBytes: size, checksum: hash.digest('hex') };
    if (!(await this.commit(tmp, grant.key, meta))) {
      throw new UploadRefused(409, ErrorCode.CONFLICT, 'This upload URL has already been used');
    }
    return { key: grant.key, ...meta };
  }

  /** An asset to serve, or null for keys that name nothing (including every traversal attempt). */
  async asset(key: string): Promise<{ path: string; root: string; relative: string; meta: Meta } | null> {
    if (!isValidKey(key)) return null;
    const path = this.pathOf(key);
    if (!path.startsWith(this.dir + sep)) return null;
    const meta = await this.inspect(key);
    return meta ? { path, root: this.dir, relative: key, meta } : null;
  }

  private grant(token: string): UploadGrant {
    const grant = this.tokens.verify(token, this.now());
    if (grant === 'expired') throw new UploadRefused(403, ErrorCode.FORBIDDEN, 'This upload URL has expired');
    if (typeof grant === 'string' || !isValidKey(grant.key)) {
      throw new UploadRefused(403, ErrorCode.FORBIDDEN, 'This upload URL is not valid');
    }
    return grant;
  }

  private async exists(key: string): Promise<boolean> {
    return (await stat(this.pathOf(key)).catch(() => null)) !== null;
  }

  /** Moves a finished temp file to its key unless the key exists (link fails then); false when it did. */
  private async commit(tmp: string, key: string, meta: Meta): Promise<boolean> {
    const file = this.pathOf(key);
    try {
      await mkdir(dirname(file), { recursive: true });
      await mkdir(dirname(this.metaPathOf(key)), { recursive: true });
      await writeFile(this.metaPathOf(key), JSON.stringify(meta));
      await link(tmp, file);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }

  private async readMeta(key: string): Promise<Meta | null> {
    try {
      const meta = JSON.parse(await readFile(this.metaPathOf(key), 'utf8')) as Partial<Meta>;
      if (
        typeof meta.mimeType === 'string' &&
        typeof meta.sizeBytes === 'number' &&
        typeof meta.checksum === 'string'
      ) {
        return { mimeType: meta.mimeType, sizeBytes: meta.sizeBytes, checksum: meta.checksum };
      }
    } catch {
      // missing or unreadable: described from the bytes instead
    }
    return null;
  }

  private async tempFile(): Promise<string> {
    const dir = join(this.dir, '.tmp');
    await mkdir(dir, { recursive: true });
    return join(dir, randomUUID());
  }

  private pathOf(key: string): string {
    return join(this.dir, ...key.split('/'));
  }

  private metaPathOf(key: string): string {
    return `${join(this.dir, '.meta', ...key.split('/'))}.json`;
  }
}

function assertKey(key: string): void {
  if (!isValidKey(key)) throw new Error(`storage: invalid object key ${JSON.stringify(key)}`);
}

const tooLarge = (grant: UploadGrant) =>
  new UploadRefused(
    413,
    ErrorCode.PAYLOAD_TOO_LARGE,
    `The upload is larger than the declared ${grant.sizeBytes} bytes`,
  );
