import { createContext, useContext } from 'react';

/** The visitor's pages speak these; anything else falls back to English. */
export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];

const EN = {
  'join.title': 'Join the line',
  'join.lead': 'Take a ticket and wait wherever you like: this page tells you when it is your turn.',
  'join.name': 'Your name (optional)',
  'join.phone': 'Mobile number (optional, for a text when it is your turn)',
  'join.submit': 'Take a ticket',
  'join.closed': 'This line is closed right now.',
  'join.waiting': '{n} waiting · about {m} min',
  'join.notFound': 'This link does not lead to a line. Ask a member of staff.',
  'ticket.title': 'Your ticket',
  'ticket.number': 'Ticket number',
  'ticket.position': 'Your place in the line',
  'ticket.wait': 'Estimated wait',
  'ticket.minutes': '{m} min',
  'ticket.yourTurn': 'It is your turn! Please go to the desk.',
  'ticket.served': 'You have been served. Thank you for your visit!',
  'ticket.cancelled': 'This ticket is cancelled.',
  'ticket.noShow': 'You were called but did not come. Ask a member of staff if you still need help.',
  'ticket.cancel': 'Cancel my ticket',
  'ticket.confirmCancel': 'Cancel your ticket? You would lose your place.',
  'ticket.live': 'Updates live',
  'ticket.offline': 'Reconnecting…',
  'ticket.lost': 'This ticket is not on this phone any more. Take a new one from the store’s link.',
  'ticket.again': 'Join again',
  'error.generic': 'Something went wrong. Please try again.',
  'error.rateLimited': 'Too many tickets for this number. Please wait a moment or ask a member of staff.',
  'error.badInput': 'Please check your details.',
  language: 'Language',
} as const;

export type MessageKey = keyof typeof EN;

const DE: Record<MessageKey, string> = {
  'join.title': 'In die Warteschlange',
  'join.lead': 'Ziehen Sie eine Nummer und warten Sie, wo Sie möchten: Diese Seite sagt Ihnen, wann Sie dran sind.',
  'join.name': 'Ihr Name (optional)',
  'join.phone': 'Handynummer (optional, für eine SMS, wenn Sie dran sind)',
  'join.submit': 'Nummer ziehen',
  'join.closed': 'Diese Warteschlange ist gerade geschlossen.',
  'join.waiting': '{n} wartend · etwa {m} Min.',
  'join.notFound': 'Dieser Link führt zu keiner Warteschlange. Bitte fragen Sie das Personal.',
  'ticket.title': 'Ihre Nummer',
  'ticket.number': 'Nummer',
  'ticket.position': 'Ihr Platz in der Schlange',
  'ticket.wait': 'Geschätzte Wartezeit',
  'ticket.minutes': '{m} Min.',
  'ticket.yourTurn': 'Sie sind dran! Bitte kommen Sie zum Schalter.',
  'ticket.served': 'Sie wurden bedient. Danke für Ihren Besuch!',
  'ticket.cancelled': 'Diese Nummer ist storniert.',
  'ticket.noShow': 'Sie wurden aufgerufen, waren aber nicht da. Fragen Sie das Personal, wenn Sie noch Hilfe brauchen.',
  'ticket.cancel': 'Nummer stornieren',
  'ticket.confirmCancel': 'Nummer stornieren? Sie verlieren Ihren Platz.',
  'ticket.live': 'Live aktualisiert',
  'ticket.offline': 'Verbindung wird wiederhergestellt…',
  'ticket.lost': 'Diese Nummer ist nicht mehr auf diesem Telefon. Ziehen Sie eine neue über den Link des Geschäfts.',
  'ticket.again': 'Erneut anstellen',
  'error.generic': 'Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.',
  'error.rateLimited': 'Zu viele Nummern für diese Telefonnummer. Bitte warten Sie kurz oder fragen Sie das Personal.',
  'error.badInput': 'Bitte prüfen Sie Ihre Angaben.',
  language: 'Sprache',
};

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { en: EN, de: DE };

/** The first of the browser's languages we speak (`de-AT` → de), else English. */
export function pickLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    const hit = LOCALES.find((l) => l === base);
    if (hit) return hit;
  }
  return 'en';
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A message in `locale` with `{name}` placeholders filled. */
export function translator(locale: Locale): Translate {
  const catalogue = CATALOGUES[locale];
  return (key, params = {}) =>
    catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export const LocaleContext = createContext<{ locale: Locale; t: Translate; setLocale(l: Locale): void }>({
  locale: 'en',
  t: translator('en'),
  setLocale: () => undefined,
});

export const useI18n = () => useContext(LocaleContext);
