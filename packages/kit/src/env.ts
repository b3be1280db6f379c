import { z } from 'zod';

/** Raised when configuration is invalid; lists every problem at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Defaults that differ in production (NODE_ENV=production), for settings left unset: demo
 * accounts with a published password must never appear in production unless asked for.
 */
export const PRODUCTION_DEFAULTS: Readonly<Record<string, string>> = { DEMO_DATA: 'false' };

/** Parses `source` (the environment) with `schema`, reporting all problems together. */
export function parseEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv = process.env): z.infer<S> {
  if (source.NODE_ENV === 'production') {
    const unset = Object.entries(PRODUCTION_DEFAULTS).filter(([k]) => source[k] === undefined || source[k] === '');
    if (unset.length) source = { ...source, ...Object.fromEntries(unset) };
  }
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join('.') || '(environment)';
    return `${key}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** Empty strings in the environment mean "unset". */
export const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
export const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());
export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** Settings shared by every service of the platform. */
export const sharedEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: optionalUrl,
  DATA_DIR: z.string().default('.data'),
  /** Connections of each subgraph's pool (a transaction holds one: the ceiling of concurrent writes). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Hot statements prepared once per connection (db.ts `preparedQuery`); false behind a transaction pooler. */
  DATABASE_PREPARED_STATEMENTS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  REDIS_URL: optionalUrl,
  KAFKA_BROKERS: optionalString,
  KAFKA_CLIENT_ID: z.string().default('phub'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Defaults to false when NODE_ENV=production (PRODUCTION_DEFAULTS). */
  DEMO_DATA: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});
export type SharedEnv = z.infer<typeof sharedEnvSchema>;
