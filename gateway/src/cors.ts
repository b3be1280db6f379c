import type { CorsOptions } from 'cors';

const LOCALHOST = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/**
 * `CORS_ORIGINS`: `*` allows any origin; a comma list allows exactly those origins.
 * Unset: only localhost origins in development (the Vite dev servers), none otherwise.
 * No credentials: tokens travel in the `authorization` header, never in cookies.
 */
export function corsOptions(origins: string | undefined, nodeEnv: string): CorsOptions {
  const common: CorsOptions = { exposedHeaders: ['x-request-id'], maxAge: 600 };
  if (origins === undefined) return { ...common, origin: nodeEnv === 'development' ? LOCALHOST : false };
  const list = origins
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  return { ...common, origin: list.includes('*') ? '*' : list };
}
