import { z } from 'zod';
import { contract, id, instant } from './common.js';

/** How a content fragment becomes an HTML creative (content renders it). */
export const aemTemplate = z.enum(['HEADLINE_BODY_IMAGE_PRICE']);

/**
 * `campaign.aem-creative.v1`, keyed by creative id: campaign created a creative that references AEM content (an
 * asset, or a content fragment with a template); the content subgraph resolves it and follows its changes.
 */
export const aemCreativeRequestedEventV1 = contract(
  'campaign.aem-creative.v1',
  z.object({
    tenantId: id,
    creativeId: id,
    sourceId: id,
    aemPath: z.string().min(1).max(1000),
    /** Null for an asset (its rendition plays); a template for a content fragment. */
    template: aemTemplate.nullable(),
    occurredAt: instant,
  }),
);
export type AemCreativeRequestedEventV1 = z.input<typeof aemCreativeRequestedEventV1.schema>;

/**
 * `content.aem-rendition.v1`, keyed by creative id: the playable file of an AEM creative, copied into the
 * platform's storage (a new `version` each time AEM's content changed), or why it could not be made. Consumers
 * keep the highest version per creative.
 */
export const aemRenditionEventV1 = contract(
  'content.aem-rendition.v1',
  z.object({
    tenantId: id,
    creativeId: id,
    version: z.number().int().min(1),
    url: z.string().url().nullable(),
    mimeType: z.string().nullable(),
    /** sha256 of the bytes, hex. */
    checksum: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
    sizeBytes: z.number().int().min(0).nullable(),
    /** Set when the content could not be read or rendered; url and checksum are then null. */
    failure: z.string().max(1000).nullable(),
    occurredAt: instant,
  }),
);
export type AemRenditionEventV1 = z.input<typeof aemRenditionEventV1.schema>;
