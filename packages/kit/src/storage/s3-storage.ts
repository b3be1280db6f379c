import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type HeadObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { egress } from '../egress/egress.js';
import {
  baseMimeType,
  encodeKey,
  resolveUrl,
  type Storage,
  type StoredObject,
  type UploadRequest,
  type UploadTarget,
  type UrlSource,
} from './storage.js';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** S3-compatible endpoint (MinIO, LocalStack); unset: AWS. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Base URL players fetch from (e.g. a CDN); default the bucket's own URL. */
  publicUrl?: UrlSource;
  uploadTtlSeconds?: number;
  /** Unset: the SDK's default chain (environment, IRSA web identity, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Fixes the signing time of presigned URLs (tests). */
  signingDate?: () => Date;
}

/**
 * Objects in an S3 bucket. Clients upload straight to S3 through a presigned PUT that signs
 * Content-Type and Content-Length, so S3 itself refuses another type or size; completion reads the
 * object back (HeadObject for size and type, the stored SHA-256 or a streamed hash for the checksum).
 */
export class S3Storage implements Storage {
  readonly kind = 's3' as const;
  readonly client: S3Client;
  private readonly ttl: number;

  constructor(private readonly options: S3StorageOptions) {
    this.ttl = options.uploadTtlSeconds ?? 900;
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: options.credentials,
      requestHandler: egress().awsRequestHandler(),
      // Otherwise the SDK adds a CRC32 of the (empty) presigned body to the URL, which breaks uploads,
      // and S3-compatible servers without flexible checksums reject requests that carry them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async presignUpload(request: UploadRequest): Promise<UploadTarget> {
    const signingDate = this.options.signingDate?.() ?? new Date();
    const command = new PutObjectCommand({
      Bucket: this.options.bucket,
      Key: request.key,
      ContentType: request.mimeType,
      ContentLength: request.sizeBytes,
    });
    const url = await getSignedUrl(this.client, command, {
      expiresIn: this.ttl,
      signingDate,
      // Signed headers: the upload must carry exactly these values or S3 answers 403.
      signableHeaders: new Set(['content-type', 'content-length']),
    });
    return {
      url,
      method: 'PUT',
      headers: [
        { name: 'Content-Type', value: request.mimeType },
        { name: 'Content-Length', value: String(request.sizeBytes) },
      ],
      expiresAt: new Date(Math.floor(signingDate.getTime() / 1000) * 1000 + this.ttl * 1000),
    };
  }

  publicUrl(key: string): string {
    const path = encodeKey(key);
    if (this.options.publicUrl) return `${resolveUrl(this.options.publicUrl)}/${path}`;
    const { bucket, region, endpoint, forcePathStyle } = this.options;
    if (endpoint) {
      const base = new URL(endpoint);
      const origin = `${base.protocol}//${base.host}`;
      return forcePathStyle ? `${origin}/${bucket}/${path}` : `${base.protocol}//${bucket}.${base.host}/${path}`;
    }
    return forcePathStyle
      ? `https://s3.${region}.amazonaws.com/${bucket}/${path}`
      : `https://${bucket}.s3.${region}.amazonaws.com/${path}`;
  }

  async inspect(key: string): Promise<StoredObject | null> {
    let head: HeadObjectCommandOutput;
    try {
      head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.options.bucket, Key: key, ChecksumMode: 'ENABLED' }),
      );
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
    const checksum =
      head.ChecksumSHA256 && head.ChecksumType !== 'COMPOSITE'
        ? Buffer.from(head.ChecksumSHA256, 'base64').toString('hex')
        : await this.hash(key);
    return { sizeBytes: head.ContentLength ?? 0, mimeType: baseMimeType(head.ContentType), checksum };
  }

  async putIfAbsent(key: string, body: Buffer, mimeType: string): Promise<StoredObject> {
    const existing = await this.inspect(key);
    if (existing) return existing;
    const checksum = createHash('sha256').update(body).digest();
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: key,
        Body: body,
        ContentType: mimeType,
        ContentLength: body.length,
        // Never overwritten (see above): a key always names these bytes, as the local /assets route says too.
        CacheControl: 'public, max-age=31536000, immutable',
        ChecksumSHA256: checksum.toString('base64'),
      }),
    );
    return { sizeBytes: body.length, mimeType, checksum: checksum.toString('hex') };
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  /** Streams the object through sha256, for objects stored without a full-object SHA-256. */
  private async hash(key: string): Promise<string> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
    const hash = createHash('sha256');
    for await (const chunk of object.Body as Readable) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}
