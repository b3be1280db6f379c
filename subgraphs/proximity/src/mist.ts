import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** Mist's signature header: hex HMAC-SHA256 of the raw body under the webhook's secret. */
export const MIST_SIGNATURE_HEADER = 'x-mist-signature-v2';

/** The signature Mist sends for `body` (also what the simulator and tests sign with). */
export function signMist(secret: Buffer | string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Constant-time check of `X-Mist-Signature-v2` against the raw body. */
export function verifyMist(secret: Buffer | string, body: Buffer, header: string | undefined): boolean {
  if (typeof header !== 'string' || !/^[0-9a-fA-F]{64}$/.test(header)) return false;
  const expected = Buffer.from(signMist(secret, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(header, 'hex'));
}

/** The envelope of every Mist webhook message. */
export const mistMessage = z.object({ topic: z.string().min(1).max(100), events: z.array(z.unknown()) });

export const mac = z
  .string()
  .transform((v) => v.replace(/[:.-]/g, '').toLowerCase())
  .pipe(z.string().regex(/^[0-9a-f]{12}$/, 'a 12-digit hex MAC'));
const epochSeconds = z
  .number()
  .finite()
  .positive()
  .max(1e11, 'epoch seconds')
  .transform((s) => new Date(Math.round(s * 1000)));
const text = z.string().min(1).max(100);

// Wi-Fi clients and assets carry a MAC; SDK clients an id (their own app's), which is as identifying.
const device = { mac: mac.optional(), id: text.optional() };
const identified = (e: { mac?: string; id?: string }) => e.mac !== undefined || e.id !== undefined;

/** A `zone` topic event: a device entered or left a zone of a site's map. */
export const mistZoneEvent = z
  .object({
    site_id: text,
    map_id: text.optional(),
    zone_id: text,
    trigger: z.enum(['enter', 'exit']),
    timestamp: epochSeconds,
    type: z.enum(['wifi', 'asset', 'sdk']).optional(),
    ...device,
  })
  .refine(identified, { message: 'a zone event needs mac or id', path: ['mac'] });
export type MistZoneEvent = z.infer<typeof mistZoneEvent>;

/** A `location` topic event: where a device is on a site's map (metres). */
export const mistLocationEvent = z
  .object({
    site_id: text,
    map_id: text.optional(),
    timestamp: epochSeconds,
    type: z.enum(['wifi', 'asset', 'sdk']).optional(),
    x: z.number().finite(),
    y: z.number().finite(),
    ...device,
  })
  .refine(identified, { message: 'a location event needs mac or id', path: ['mac'] });
export type MistLocationEvent = z.infer<typeof mistLocationEvent>;

/** The device as hashed: the MAC, or the SDK client's id (kept apart from MACs by its prefix). */
export const deviceOf = (e: { mac?: string; id?: string }): string => (e.mac ? `mac:${e.mac}` : `sdk:${e.id}`);

/** The first problem of a rejected event, as a short sentence for the per-event result. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'malformed event';
  return `${issue.path.join('.') || 'event'}: ${issue.message}`;
}
