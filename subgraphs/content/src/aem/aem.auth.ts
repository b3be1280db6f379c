import type { Clock, Egress } from '@phub/kit';
import { importPKCS8, SignJWT } from 'jose';
import { z } from 'zod';
import { AemError, AemErrorCode } from './aem.errors.js';

/**
 * AEM as a Cloud Service "service credentials" as the Developer Console hands them out: a technical account whose
 * signed JWT is exchanged at Adobe IMS (`POST https://<imsEndpoint>/ims/exchange/jwt`, form fields client_id,
 * client_secret, jwt_token) for an access token sent as `Authorization: Bearer`.
 */
export const serviceCredentialsSchema = z.object({
  integration: z.object({
    imsEndpoint: z.string().min(1),
    metascopes: z.string().min(1),
    technicalAccount: z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) }),
    id: z.string().min(1),
    org: z.string().min(1),
    privateKey: z.string().includes('PRIVATE KEY'),
  }),
});
export type ServiceCredentials = z.infer<typeof serviceCredentialsSchema>;

/** Parses the Developer Console JSON; null when it is not service credentials. */
export function parseServiceCredentials(text: string): ServiceCredentials | null {
  try {
    const parsed = serviceCredentialsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Exchanges service credentials for access tokens through the egress, and keeps each until shortly before expiry. */
export class ImsTokenExchange {
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly credentials: ServiceCredentials,
    private readonly egress: Egress,
    private readonly clock: Clock,
    /** `https:` in production; tests point imsEndpoint at a local http server. */
    private readonly scheme: 'https' | 'http' = 'https',
    private readonly timeoutMs = 10_000,
  ) {}

  invalidate(): void {
    this.token = null;
  }

  async bearer(): Promise<string> {
    if (this.token && this.token.expiresAt > this.clock.now()) return this.token.value;
    this.pending ??= this.exchange().finally(() => (this.pending = null));
    return this.pending;
  }

  private async exchange(): Promise<string> {
    const i = this.credentials.integration;
    const ims = `${this.scheme}://${i.imsEndpoint}`;
    const now = Math.floor(this.clock.now() / 1000);
    let jwt: string;
    try {
      const key = await importPKCS8(i.privateKey.replace(/\\r\\n|\\n/g, '\n'), 'RS256');
      const scopes = Object.fromEntries(i.metascopes.split(',').map((s) => [`${ims}/s/${s.trim()}`, true]));
      jwt = await new SignJWT(scopes)
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(i.org)
        .setSubject(i.id)
        .setAudience(`${ims}/c/${i.technicalAccount.clientId}`)
        .setExpirationTime(now + 300)
        .sign(key);
    } catch (err) {
      throw new AemError(
        AemErrorCode.TOKEN_EXCHANGE_FAILED,
        `The service credentials' private key is unusable: ${String(err)}`,
      );
    }
    const body = new URLSearchParams({
      client_id: i.technicalAccount.clientId,
      client_secret: i.technicalAccount.clientSecret,
      jwt_token: jwt,
    });
    let res;
    try {
      res = await this.egress.fetch(`${ims}/ims/exchange/jwt`, {
        method: 'POST',
        body: body.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        timeoutMs: this.timeoutMs,
      });
    } catch (err) {
      throw new AemError(AemErrorCode.TOKEN_EXCHANGE_FAILED, `IMS at ${i.imsEndpoint} is unreachable: ${String(err)}`);
    }
    const json = (await res.json().catch(() => null)) as { access_token?: unknown; expires_in?: unknown } | null;
    if (res.status !== 200 || typeof json?.access_token !== 'string') {
      throw new AemError(
        AemErrorCode.TOKEN_EXCHANGE_FAILED,
        `IMS refused the service credentials (${res.status})`,
        res.status,
      );
    }
    // IMS gives expires_in in milliseconds; renew a minute early.
    const lifetime = typeof json.expires_in === 'number' ? json.expires_in : 3_600_000;
    this.token = { value: json.access_token, expiresAt: this.clock.now() + Math.max(lifetime - 60_000, 0) };
    return json.access_token;
  }
}
