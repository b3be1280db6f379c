/** Where a client sends the bytes of one object: a presigned S3 URL or the service's own upload route. */
export interface UploadTarget {
  url: string;
  method: 'PUT';
  /** Headers the upload must carry exactly as given (they are part of the signature). */
  headers: { name: string; value: string }[];
  expiresAt: Date;
}

/** What is stored under a key. `checksum` is the sha256 of the bytes, lower-case hex. */
export interface StoredObject {
  sizeBytes: number;
  mimeType: string;
  checksum: string;
}

export interface UploadRequest {
  key: string;
  mimeType: string;
  sizeBytes: number;
}

/**
 * Object storage (campaign's creatives, content's copies of AEM content): S3 when a bucket is configured, a local
 * folder otherwise.
 */
export interface Storage {
  readonly kind: 'local' | 's3';
  /** A single-object upload bound to the declared type and size, valid for the configured TTL. */
  presignUpload(request: UploadRequest): Promise<UploadTarget>;
  /** Size, type and sha256 of what is stored under `key`, or null when nothing is. */
  inspect(key: string): Promise<StoredObject | null>;
  /** Stores `body` unless something already is under `key` (which is kept and described). */
  putIfAbsent(key: string, body: Buffer, mimeType: string): Promise<StoredObject>;
  /** Where players fetch the object. */
  publicUrl(key: string): string;
  remove(key: string): Promise<void>;
}

/** A URL, or a function giving it once known (a service listening on port 0 knows its URL only after start). */
export type UrlSource = string | (() => string);
export const resolveUrl = (source: UrlSource): string =>
  (typeof source === 'function' ? source() : source).replace(/\/+$/, '');

// Keys are `<tenant>/<creative>/<name>.<ext>` (campaign) or `<tenant>/aem/<sha256>.<ext>` (content): segments
// never start with a dot, so `..` cannot occur.
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}(\/[A-Za-z0-9][A-Za-z0-9_.-]{0,127}){0,7}$/;
export const isValidKey = (key: string): boolean => KEY_PATTERN.test(key) && !key.includes('..');

export const encodeKey = (key: string): string => key.split('/').map(encodeURIComponent).join('/');

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/svg+xml': 'svg',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'text/html': 'html',
  'application/zip': 'zip',
};
export const extensionFor = (mimeType: string): string => EXTENSIONS[mimeType] ?? 'bin';
export const mimeTypeFor = (key: string): string => {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return Object.entries(EXTENSIONS).find(([, e]) => e === ext)?.[0] ?? 'application/octet-stream';
};

/** `text/html; charset=utf-8` → `text/html`. */
export const baseMimeType = (value: string | undefined | null): string =>
  (value ?? '').split(';')[0]!.trim().toLowerCase();
