import type { Creative, CreativeVariant } from './types.js';
import { CREATIVE_KINDS } from './types.js';

/** What a player needs of one creative once the locale variant is chosen. */
export interface ItemContent {
  readonly creativeId: string;
  readonly url: string;
  readonly mimeType: string;
  readonly durationMs: number;
  readonly checksum: string;
}

/** A creative with its variants keyed by normalised locale ('en-gb', 'en'). */
export interface CompiledCreative {
  readonly source: Creative;
  readonly variants: ReadonlyMap<string, CreativeVariant>;
}

/** Lower case with '-' separators, so 'en_GB' and 'EN-gb' name one locale. */
export function normaliseLocale(locale: string): string {
  return locale.trim().replace(/_/g, '-').toLowerCase();
}

const isDuration = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** Checks one creative, collecting problems, and indexes its variants. */
export function compileCreative(creative: Creative, path: string, problems: string[]): CompiledCreative {
  if (typeof creative.id !== 'string' || creative.id.length === 0) problems.push(`${path}.id is empty`);
  if (!CREATIVE_KINDS.includes(creative.kind)) problems.push(`${path}.kind "${String(creative.kind)}" is unknown`);
  if (typeof creative.url !== 'string' || creative.url.length === 0) problems.push(`${path}.url is empty`);
  if (!isDuration(creative.durationMs)) problems.push(`${path}.durationMs must be a positive integer`);
  const variants = new Map<string, CreativeVariant>();
  for (const [locale, variant] of Object.entries(creative.variants ?? {})) {
    if (variant.durationMs != null && !isDuration(variant.durationMs)) {
      problems.push(`${path}.variants.${locale}.durationMs must be a positive integer`);
    }
    if (typeof variant.url !== 'string' || variant.url.length === 0)
      problems.push(`${path}.variants.${locale}.url is empty`);
    variants.set(normaliseLocale(locale), variant);
  }
  return { source: creative, variants };
}

/** The display locale's variant, else its language's, else the creative itself. */
export function pickContent(creative: CompiledCreative, locale: string | null | undefined): ItemContent {
  const { source } = creative;
  let variant: CreativeVariant | undefined;
  if (locale && creative.variants.size > 0) {
    const key = normaliseLocale(locale);
    variant = creative.variants.get(key);
    const dash = key.indexOf('-');
    if (!variant && dash > 0) variant = creative.variants.get(key.slice(0, dash));
  }
  if (!variant) {
    return {
      creativeId: source.id,
      url: source.url,
      mimeType: source.mimeType,
      durationMs: source.durationMs,
      checksum: source.checksum,
    };
  }
  return {
    creativeId: source.id,
    url: variant.url,
    mimeType: variant.mimeType,
    durationMs: variant.durationMs ?? source.durationMs,
    checksum: variant.checksum,
  };
}
