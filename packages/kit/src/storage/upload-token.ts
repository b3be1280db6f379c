import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a local upload URL allows: one key, one content type, one exact size, until `expiresAt` (epoch s). */
export interface UploadGrant {
  key: string;
  mimeType: string;
  sizeBytes: number;
  expiresAt: number;
}

export type TokenProblem = 'malformed' | 'signature' | 'expired';

/** HMAC-SHA256 tokens for the local upload route: `<payload>.<signature>`, both base64url. */
export class UploadTokens {
  constructor(private readonly secret: Buffer) {}

  sign(grant: UploadGrant): string {
    const payload = Buffer.from(
      JSON.stringify({ k: grant.key, t: grant.mimeType, n: grant.sizeBytes, e: grant.expiresAt }),
    ).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  verify(token: string, nowSeconds = Date.now() / 1000): UploadGrant | TokenProblem {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return 'malformed';
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'signature';
    let parsed: { k?: unknown; t?: unknown; n?: unknown; e?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof parsed;
    } catch {
      return 'malformed';
    }
    const { k, t, n, e } = parsed;
    if (typeof k !== 'string' || typeof t !== 'string' || typeof n !== 'number' || typeof e !== 'number') {
      return 'malformed';
    }
    if (e <= nowSeconds) return 'expired';
    return { key: k, mimeType: t, sizeBytes: n, expiresAt: e };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(`phub-upload:${payload}`).digest('base64url');
  }
}
