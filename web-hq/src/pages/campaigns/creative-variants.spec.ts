import { describe, expect, it } from 'vitest';
import { LOCALE } from './creative-variants';

describe('LOCALE', () => {
  it('takes BCP 47 language tags and refuses the rest', () => {
    for (const ok of ['fr', 'fr-CA', 'de-DE', 'zh-Hant-TW', 'es-419']) expect(LOCALE.test(ok), ok).toBe(true);
    for (const bad of ['', 'f', 'french!', 'fr_CA', '-fr', 'fr-']) expect(LOCALE.test(bad), bad).toBe(false);
  });
});
