import type { RequestHandler } from 'express';

export interface SecurityHeaderOptions {
  /** Origins creatives are loaded from and uploaded to (CSP source list), e.g. `https://cdn.example.com`. */
  assetSources: string;
  /** CSP hashes (`sha256-…`) of the page's own inline scripts, which run before any file arrives. */
  scriptHashes?: readonly string[];
}

/**
 * Headers for the web apps the gateway serves (/hq, /player). What the pages need: their own
 * scripts and styles (Vite builds; an inline script only by its hash), React's inline style attributes, the graph
 * on the same origin (HTTP and graphql-ws), creatives as images, video and sandboxed HTML frames
 * from the asset origins, and uploads (PUT) to them. Nobody may frame the apps (clickjacking).
 */
export function contentSecurityPolicy({ assetSources, scriptHashes = [] }: SecurityHeaderOptions): string {
  const assets = `'self' data: blob: ${assetSources}`;
  return [
    "default-src 'self'",
    ["script-src 'self'", ...scriptHashes.map((h) => `'${h}'`)].join(' '),
    "style-src 'self' 'unsafe-inline'",
    `img-src ${assets}`,
    `media-src ${assets}`,
    `frame-src ${assets}`,
    // 'self' covers ws(s) on the same origin in current browsers; listed for older ones.
    `connect-src 'self' ws: wss: ${assetSources}`,
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(options: SecurityHeaderOptions): RequestHandler {
  const csp = contentSecurityPolicy(options);
  return (_req, res, next) => {
    res.setHeader('content-security-policy', csp);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
    res.setHeader('x-frame-options', 'DENY');
    next();
  };
}
