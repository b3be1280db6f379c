import { DateTime } from 'luxon';

/** The texts, kept short (one SMS segment) and free of personal data beyond the ticket number. */
export const smsText = {
  next: (number: string, lineName: string) =>
    `Ticket ${number}: you are next in line for ${lineName}. Please stay close, we will call you shortly.`,
  called: (number: string, deskName: string | null) =>
    `Ticket ${number}: it is your turn. Please go to ${deskName ?? 'the desk'} now.`,
  reminder: (at: Date, timezone: string, lineName: string | null) =>
    `Reminder: your appointment${lineName ? ` for ${lineName}` : ''} is on ${DateTime.fromJSDate(at, { zone: timezone }).toFormat("ccc d LLL 'at' HH:mm")}.`,
};

/** +44••••••123: enough for staff and the visitor to recognise the number, not to read it. */
export function maskPhone(phone: string): string {
  const cc = phone.slice(0, 3);
  const tail = phone.slice(-3);
  return `${cc}${'•'.repeat(Math.max(0, phone.length - cc.length - tail.length))}${tail}`;
}
