import type { Creative, CreativeVariant, FitMode, Orientation } from './types.js';
import { CREATIVE_KINDS, FIT_MODES } from './types.js';

/** What a player needs of one creative once the locale variant is chosen. */
export interface ItemContent {
  readonly creativeId: string;
  readonly url: string;
  readonly mimeType: string;
  readonly durationMs: number;
  readonly checksum: string;
  readonly fit: FitMode;
}

/** A creative with its variants keyed by normalised locale ('en-gb', 'en'). */
export interface CompiledCreative {
  readonly source: Creative;
  readonly variants: ReadonlyMap<string, CreativeVariant>;
}

/** The variant key of an orientation version ('@PORTRAIT'); locales never contain '@'. */
export const orientationKey = (orientation: Orientation): string => `@${orientation}`;

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
  if (creative.fit != null && !FIT_MODES.includes(creative.fit))
    problems.push(`${path}.fit "${creative.fit}" is unknown`);
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

/**
 * The display locale's variant, else its language's, else the display orientation's, else the creative itself.
 * Language first: a version in the viewer's language says the right thing even when it is letterboxed.
 */
export function pickContent(
  creative: CompiledCreative,
  locale: string | null | undefined,
  orientation?: Orientation | null,
): ItemContent {
  const { source } = creative;
  const fit = source.fit ?? 'CONTAIN';
  let variant: CreativeVariant | undefined;
  if (creative.variants.size > 0) {
    if (locale) {
      const key = normaliseLocale(locale);
      variant = creative.variants.get(key);
      const dash = key.indexOf('-');
      if (!variant && dash > 0) variant = creative.variants.get(key.slice(0, dash));
    }
    if (!variant && orientation) variant = creative.variants.get(normaliseLocale(orientationKey(orientation)));
  }
  if (!variant) {
    return {
      creativeId: source.id,
      url: source.url,
      mimeType: source.mimeType,
      durationMs: source.durationMs,
      checksum: source.checksum,
      fit,
    };
  }
  return {
    creativeId: source.id,
    url: variant.url,
    mimeType: variant.mimeType,
    durationMs: variant.durationMs ?? source.durationMs,
    checksum: variant.checksum,
    fit,
  };
}
