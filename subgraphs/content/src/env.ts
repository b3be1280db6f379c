import { z } from 'zod';
import { optionalString, optionalUrl, parseEnv, storageEnvSchema } from '@phub/kit';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((v) => v === 'true');

/**
 * Settings of the content subgraph (AEM connector), with the object storage its copies live in (the kit's, as
 * campaign's); the proxy settings are the kit's egress ones.
 */
export const contentEnvSchema = storageEnvSchema.extend({
  /** KMS key that seals AEM sources' secrets; without it, the master key file under DATA_DIR. */
  KMS_KEY_ID: optionalString,
  /** Time limit of one AEM request, body included (ms). */
  CONTENT_AEM_TIMEOUT_MS: positiveInt(8_000),
  /** Further attempts after a failed AEM read (network errors, timeouts, 5xx, 429); 0 for none. */
  CONTENT_AEM_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** First retry after this long, doubling with jitter (ms). */
  CONTENT_AEM_RETRY_BASE_MS: positiveInt(250),
  /** Consecutive failed reads of one source that open its circuit… */
  CONTENT_CIRCUIT_FAILURES: positiveInt(5),
  /** …for this long; then one trial request is let through (seconds). */
  CONTENT_CIRCUIT_OPEN_SECONDS: positiveInt(30),
  /** Lets AEM base URLs be http:// (development, tests, an AEM inside the network); production wants https. */
  CONTENT_AEM_ALLOW_HTTP: flag('false'),
  /** How often the sync job reads AEM creatives again (seconds)… */
  CONTENT_SYNC_EVERY_SECONDS: positiveInt(60),
  /** …and how many, longest unchecked first, per run. */
  CONTENT_SYNC_BATCH: positiveInt(100),
  /**
   * Base URL players fetch copied AEM content from (`<base>/<tenant>/aem/<sha256>.<ext>`); default ASSET_PUBLIC_URL,
   * else the bucket's URL (S3_BUCKET) or this service's own `/assets`.
   */
  CONTENT_FILES_URL: optionalUrl,
  /** Search in OpenSearch (e.g. https://search.internal:9200); without it, Postgres full-text search. */
  OPENSEARCH_URL: optionalUrl,
  /** The OpenSearch index of content search. */
  CONTENT_SEARCH_INDEX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,200}$/, 'lower-case letters, digits, - and _')
    .default('phub-content'),
  /** Largest JSON answer read from AEM (bytes). */
  CONTENT_AEM_MAX_JSON_BYTES: positiveInt(5 * 1024 * 1024),
});
export type ContentEnv = z.infer<typeof contentEnvSchema>;

/** Parses the content settings from the process environment (every problem at once). */
export function loadContentEnv(source: NodeJS.ProcessEnv = process.env): ContentEnv {
  return parseEnv(contentEnvSchema, source);
}
