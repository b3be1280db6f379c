import { optionalString, optionalUrl } from '../env.js';
import { z } from 'zod';

/** Object storage settings (campaign, content); merge into a service's env schema. */
export const storageEnvSchema = z.object({
  /** Unset: objects live in a local folder (ASSET_DIR) served by each service itself. */
  S3_BUCKET: optionalString,
  /** S3-compatible endpoint (MinIO, LocalStack); unset: AWS. */
  S3_ENDPOINT: optionalUrl,
  S3_REGION: z.string().min(1).default('eu-west-1'),
  /** Path-style URLs (`<endpoint>/<bucket>/<key>`), which MinIO and LocalStack need. */
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  ASSET_DIR: z.string().min(1).default('.data/assets'),
  /** Base URL players fetch assets from (a CDN in front of the bucket, or the service's /assets route). */
  ASSET_PUBLIC_URL: optionalUrl,
  UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(604_800).default(900),
  /**
   * Signs local upload URLs; set it when several replicas do not share DATA_DIR. Unset: a key
   * generated once under DATA_DIR (upload-signing.key, 0600).
   */
  UPLOAD_SIGNING_SECRET: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(32).optional()),
});
export type StorageEnv = z.infer<typeof storageEnvSchema>;
