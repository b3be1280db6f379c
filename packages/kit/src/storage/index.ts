import path from 'node:path';
import { loadOrCreateKeyFile } from '../crypto/envelope.js';
import type { Logger } from '../logger.js';
import { LocalStorage } from './local-storage.js';
import { S3Storage } from './s3-storage.js';
import type { Storage, UrlSource } from './storage.js';
import type { StorageEnv } from './storage.env.js';

export * from './storage.js';
export { storageEnvSchema, type StorageEnv } from './storage.env.js';
export { LocalStorage, UploadRefused, type LocalStorageOptions } from './local-storage.js';
export { S3Storage, type S3StorageOptions } from './s3-storage.js';
export { UploadTokens, type UploadGrant } from './upload-token.js';
export { mountAssetRoute } from './asset-route.js';

export interface StorageConfig extends StorageEnv {
  /**
   * The owning service's own origin (e.g. campaign's http://localhost:4003), needed without S3_BUCKET:
   * local uploads go to `<serviceUrl>/uploads/…` and assets default to `<serviceUrl>/assets/…`.
   */
  serviceUrl?: UrlSource;
  /** Where the default upload-signing key is kept (DATA_DIR), so upload URLs survive a restart. */
  dataDir?: string;
}

/** The default upload-signing key's file under DATA_DIR. */
export const UPLOAD_SIGNING_KEY_FILE = 'upload-signing.key';

/** S3 when S3_BUCKET is set, else the local folder ASSET_DIR served by the service itself. */
export function createStorage(config: StorageConfig, logger: Logger): Storage {
  if (config.S3_BUCKET) {
    logger.info({ bucket: config.S3_BUCKET, endpoint: config.S3_ENDPOINT }, 'object storage: S3');
    return new S3Storage({
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
      endpoint: config.S3_ENDPOINT,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      publicUrl: config.ASSET_PUBLIC_URL,
      uploadTtlSeconds: config.UPLOAD_URL_TTL_SECONDS,
    });
  }
  if (!config.serviceUrl) {
    throw new Error('createStorage: without S3_BUCKET the local folder storage needs the service URL (serviceUrl)');
  }
  logger.info({ dir: config.ASSET_DIR }, 'object storage: local folder');
  return new LocalStorage({
    dir: config.ASSET_DIR,
    baseUrl: config.serviceUrl,
    publicUrl: config.ASSET_PUBLIC_URL,
    // Without a configured secret, a key persisted under DATA_DIR: a random one per process voided
    // every upload URL handed out before a restart.
    secret:
      config.UPLOAD_SIGNING_SECRET ??
      (config.dataDir ? loadOrCreateKeyFile(path.resolve(config.dataDir, UPLOAD_SIGNING_KEY_FILE)) : undefined),
    uploadTtlSeconds: config.UPLOAD_URL_TTL_SECONDS,
  });
}
