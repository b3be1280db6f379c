import { createContext, useContext } from 'react';

/** The visitor's pages and the kiosk speak these; anything else falls back to English. */
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
  'kiosk.pair.title': 'Set up this kiosk',
  'kiosk.pair.lead': 'In the store app, a store manager opens Pair, chooses “A kiosk tablet” and types this code.',
  'kiosk.pair.code': 'Pairing code',
  'kiosk.pair.waiting': 'Waiting to be paired…',
  'kiosk.welcome': 'Welcome',
  'kiosk.welcome.lead': 'What would you like to do?',
  'kiosk.start.ticket': 'Take a ticket',
  'kiosk.start.ticketHint': 'Wait for the next free desk',
  'kiosk.start.checkin': 'I have a code',
  'kiosk.start.checkinHint': 'Check in for an appointment or an order pickup',
  'kiosk.line.title': 'What do you need?',
  'kiosk.line.waiting': '{n} waiting · about {m} min',
  'kiosk.line.closed': 'Closed now',
  'kiosk.line.none': 'No line takes tickets right now. Please ask a member of staff.',
  'kiosk.details.title': 'Your details',
  'kiosk.details.lead': 'Both are optional. Your name helps us greet you; with your mobile number we can text you.',
  'kiosk.details.name': 'Your name (optional)',
  'kiosk.details.phone': 'Mobile number (optional)',
  'kiosk.details.phoneHint': 'With the country code, e.g. +44 7700 900123',
  'kiosk.consent.title': 'May we text you?',
  'kiosk.consent.lead':
    'We would send an SMS to {phone} when you are next and when it is your turn. We use your number for this ticket only.',
  'kiosk.consent.yes': 'Yes, text me',
  'kiosk.consent.no': 'No texts, thanks',
  'kiosk.take.submit': 'Take my ticket',
  'kiosk.next': 'Continue',
  'kiosk.back': 'Back',
  'kiosk.startOver': 'Start over',
  'kiosk.done.ticket': 'Here is your ticket',
  'kiosk.done.checkedIn': 'You are checked in',
  'kiosk.done.number': 'Your number',
  'kiosk.done.wait': '{n} before you · about {m} min',
  'kiosk.done.sms': 'We will text you when it is your turn.',
  'kiosk.done.watch': 'Watch the screens: your number is called there.',
  'kiosk.done.reset': 'This screen goes back to the start in {s} s.',
  'kiosk.done.finish': 'Done',
  'kiosk.checkin.title': 'Check in',
  'kiosk.checkin.lead': 'Type the code from your appointment confirmation or your order pickup message.',
  'kiosk.checkin.code': 'Your code',
  'kiosk.checkin.hint': '8 letters and digits',
  'kiosk.checkin.submit': 'Check in',
  'kiosk.error.codeUnknown': 'We do not know this code. Please check it and try again.',
  'kiosk.error.codeGuesses': 'Too many wrong codes. Please ask a member of staff.',
  'kiosk.error.tooEarly': 'It is too early to check in for this appointment. Please come back closer to its time.',
  'kiosk.error.missed': 'The time of this appointment has passed. Please ask a member of staff.',
  'kiosk.error.alreadyCheckedIn': 'This code has already been used.',
  'kiosk.error.lineClosed': 'This line has just closed. Please ask a member of staff.',
  'kiosk.error.lineFull': 'This line is full right now. Please ask a member of staff.',
  'kiosk.error.phoneLimit': 'This number already has a ticket waiting.',
  'kiosk.error.phone': 'Please check the mobile number, with the country code, e.g. +44 7700 900123.',
  'offer.title': 'Offer',
  'offer.validUntil': 'Valid until {date}',
  'offer.upcoming': 'This offer starts soon. Come back in a few days.',
  'offer.ended': 'This offer has ended. Thank you for your interest!',
  'offer.notFound': 'This code does not lead to an offer. It may have been withdrawn.',
  'offer.loading': 'Loading the offer…',
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
  'kiosk.pair.title': 'Dieses Terminal einrichten',
  'kiosk.pair.lead':
    'In der Filial-App öffnet eine Filialleitung „Pair“, wählt „A kiosk tablet“ und tippt diesen Code ein.',
  'kiosk.pair.code': 'Kopplungscode',
  'kiosk.pair.waiting': 'Warte auf die Kopplung…',
  'kiosk.welcome': 'Willkommen',
  'kiosk.welcome.lead': 'Was möchten Sie tun?',
  'kiosk.start.ticket': 'Nummer ziehen',
  'kiosk.start.ticketHint': 'Auf den nächsten freien Schalter warten',
  'kiosk.start.checkin': 'Ich habe einen Code',
  'kiosk.start.checkinHint': 'Für einen Termin oder eine Abholung einchecken',
  'kiosk.line.title': 'Worum geht es?',
  'kiosk.line.waiting': '{n} wartend · etwa {m} Min.',
  'kiosk.line.closed': 'Gerade geschlossen',
  'kiosk.line.none': 'Gerade nimmt keine Warteschlange Nummern an. Bitte fragen Sie das Personal.',
  'kiosk.details.title': 'Ihre Angaben',
  'kiosk.details.lead':
    'Beides ist freiwillig. Mit Ihrem Namen können wir Sie begrüßen, mit Ihrer Handynummer Ihnen eine SMS schicken.',
  'kiosk.details.name': 'Ihr Name (optional)',
  'kiosk.details.phone': 'Handynummer (optional)',
  'kiosk.details.phoneHint': 'Mit Ländervorwahl, z. B. +49 151 23456789',
  'kiosk.consent.title': 'Dürfen wir Ihnen eine SMS schicken?',
  'kiosk.consent.lead':
    'Wir würden eine SMS an {phone} senden, wenn Sie als Nächstes dran sind und wenn Sie aufgerufen werden. Ihre Telefonnummer nutzen wir nur für diesen Besuch.',
  'kiosk.consent.yes': 'Ja, per SMS',
  'kiosk.consent.no': 'Nein, keine SMS',
  'kiosk.take.submit': 'Nummer ziehen',
  'kiosk.next': 'Weiter',
  'kiosk.back': 'Zurück',
  'kiosk.startOver': 'Neu beginnen',
  'kiosk.done.ticket': 'Hier ist Ihre Nummer',
  'kiosk.done.checkedIn': 'Sie sind eingecheckt',
  'kiosk.done.number': 'Ihre Nummer',
  'kiosk.done.wait': '{n} vor Ihnen · etwa {m} Min.',
  'kiosk.done.sms': 'Wir schicken Ihnen eine SMS, wenn Sie dran sind.',
  'kiosk.done.watch': 'Achten Sie auf die Bildschirme: Dort wird Ihre Nummer aufgerufen.',
  'kiosk.done.reset': 'Dieser Bildschirm kehrt in {s} s zum Anfang zurück.',
  'kiosk.done.finish': 'Fertig',
  'kiosk.checkin.title': 'Einchecken',
  'kiosk.checkin.lead': 'Geben Sie den Code aus Ihrer Terminbestätigung oder Ihrer Abholnachricht ein.',
  'kiosk.checkin.code': 'Ihr Code',
  'kiosk.checkin.hint': '8 Buchstaben und Ziffern',
  'kiosk.checkin.submit': 'Einchecken',
  'kiosk.error.codeUnknown': 'Diesen Code kennen wir nicht. Bitte prüfen Sie ihn und versuchen Sie es erneut.',
  'kiosk.error.codeGuesses': 'Zu viele falsche Codes. Bitte fragen Sie das Personal.',
  'kiosk.error.tooEarly': 'Für diesen Termin ist es noch zu früh. Bitte kommen Sie näher zur Terminzeit wieder.',
  'kiosk.error.missed': 'Die Zeit dieses Termins ist vorbei. Bitte fragen Sie das Personal.',
  'kiosk.error.alreadyCheckedIn': 'Dieser Code wurde schon benutzt.',
  'kiosk.error.lineClosed': 'Diese Warteschlange wurde gerade geschlossen. Bitte fragen Sie das Personal.',
  'kiosk.error.lineFull': 'Diese Warteschlange ist gerade voll. Bitte fragen Sie das Personal.',
  'kiosk.error.phoneLimit': 'Für diese Nummer wartet schon eine Nummer.',
  'kiosk.error.phone': 'Bitte prüfen Sie die Handynummer, mit Ländervorwahl, z. B. +49 151 23456789.',
  'offer.title': 'Angebot',
  'offer.validUntil': 'Gültig bis {date}',
  'offer.upcoming': 'Dieses Angebot beginnt bald. Schauen Sie in ein paar Tagen wieder vorbei.',
  'offer.ended': 'Dieses Angebot ist abgelaufen. Danke für Ihr Interesse!',
  'offer.notFound': 'Dieser Code führt zu keinem Angebot. Vielleicht wurde es zurückgezogen.',
  'offer.loading': 'Angebot wird geladen…',
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
