import { describe, expect, it } from 'vitest';
import { LOCALES, pickLocale, translator } from './i18n';

describe(pickLocale.name, () => {
  it.each([
    [['de-AT', 'en'], 'de'],
    [['fr-FR', 'de'], 'de'],
    [['en-GB', 'de'], 'en'],
    [['fr', 'es'], 'en'],
    [[], 'en'],
  ] as const)('%j → %s', (langs, expected) => {
    expect(pickLocale(langs)).toBe(expected);
  });
});

describe(translator.name, () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translator('en')('join.waiting', { n: 3, m: 12 })).toBe('3 waiting · about 12 min');
    expect(translator('de')('join.waiting', { n: 3, m: 12 })).toBe('3 wartend · etwa 12 Min.');
    expect(translator('en')('join.waiting', { n: 2 })).toBe('2 waiting · about {m} min');
  });

  it('has every message in every language, and no German message left in English', () => {
    const en = translator('en');
    for (const locale of LOCALES) {
      const t = translator(locale);
      expect(t('ticket.cancel')).toBeTruthy();
      if (locale !== 'en') expect(t('ticket.cancel')).not.toBe(en('ticket.cancel'));
    }
  });
});
