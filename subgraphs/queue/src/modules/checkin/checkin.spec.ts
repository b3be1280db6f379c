import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIOSK_1, STORE_1, STORE_2, startQueue, type QueueHarness } from '../../testing/harness.js';
import { CheckInService } from './checkin.service.js';

let h: QueueHarness;
beforeAll(async () => {
  h = await startQueue();
});
afterAll(async () => {
  await h?.stop();
});

const TAKE = `mutation($l: ID!) { kioskTakeTicket(lineId: $l) { token ticket { id number source state } } }`;
const take = async (lineId: string, who: 'kiosk' | 'kioskStore2' = 'kiosk') =>
  h.gql<{
    kioskTakeTicket: { token: string; ticket: { id: string; number: string; source: string; state: string } };
  }>(TAKE, { l: lineId }, await h.token(who));
const ext = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions;

describe(CheckInService.name, () => {
  it('a kiosk takes tickets on open lines of its own store, audited as the kiosk; the visitor follows with the token', async () => {
    const line = await h.createLine(STORE_1, { prefix: 'K' });
    const res = await take(line);
    expect(res.data!.kioskTakeTicket.ticket).toMatchObject({ number: 'K001', source: 'KIOSK', state: 'NEW' });
    const mine = await h.as<{ myTicket: { id: string } }>(null, `query($t: String!) { myTicket(token: $t) { id } }`, {
      t: res.data!.kioskTakeTicket.token,
    });
    expect(mine.myTicket.id).toBe(res.data!.kioskTakeTicket.ticket.id);
    const audit = await h.db.query(
      `SELECT action, actor_kind, actor_id FROM queue.ticket_action WHERE ticket_id = $1`,
      [mine.myTicket.id],
    );
    expect(audit.rows).toEqual([{ action: 'JOINED', actor_kind: 'kiosk', actor_id: KIOSK_1 }]);
  });

  it('a kiosk ticket carries the name and phone typed on the kiosk; SMS only with the consent given there', async () => {
    const line = await h.createLine(STORE_1, { prefix: 'N' });
    const TAKE_WITH = `mutation($l: ID!, $n: String, $p: String, $c: Boolean) {
      kioskTakeTicket(lineId: $l, name: $n, phone: $p, smsConsent: $c) { token ticket { id visitorName visitorPhone } }
    }`;
    type Taken = { kioskTakeTicket: { token: string; ticket: { id: string; visitorName: string | null } } };
    const kiosk = await h.token('kiosk');
    const agreed = await h.gql<Taken>(TAKE_WITH, { l: line, n: 'Ada', p: '+44 7700 900201', c: true }, kiosk);
    const declined = await h.gql<Taken>(TAKE_WITH, { l: line, p: '+447700900202', c: false }, kiosk);
    // The kiosk never reads back what the visitor typed.
    expect(agreed.data!.kioskTakeTicket.ticket.visitorName).toBeNull();
    const SMS = `query($t: String!) { myTicket(token: $t) { sms { status } } }`;
    const status = async (token: string) =>
      (await h.as<{ myTicket: { sms: { status: string } } }>(null, SMS, { t: token })).myTicket.sms.status;
    expect(await status(agreed.data!.kioskTakeTicket.token)).toBe('ON');
    expect(await status(declined.data!.kioskTakeTicket.token)).toBe('NO_CONSENT');
    // Staff at the desk see the visitor as typed.
    const { ticket } = await h.as<{ ticket: { visitorName: string; visitorPhone: string } }>(
      'staff',
      `query($id: ID!) { ticket(id: $id) { visitorName visitorPhone } }`,
      { id: agreed.data!.kioskTakeTicket.ticket.id },
    );
    expect(ticket).toEqual({ visitorName: 'Ada', visitorPhone: '+447700900201' });
    // A mistyped number and an over-long name are refused, and issue nothing.
    const bad = await h.gql(TAKE_WITH, { l: line, p: 'call me' }, kiosk);
    expect(ext(bad)?.code).toBe('BAD_USER_INPUT');
    expect(ext(await h.gql(TAKE_WITH, { l: line, n: 'x'.repeat(101) }, kiosk))?.code).toBe('BAD_USER_INPUT');
    const { rows } = await h.db.query(`SELECT count(*)::int AS n FROM queue.ticket WHERE line_id = $1`, [line]);
    expect(rows[0]).toEqual({ n: 2 });
  });

  it('tells the store’s desks about kiosk tickets and check-ins as they happen', async () => {
    const line = await h.createLine(STORE_1, { prefix: 'L', slotMinutes: 30 });
    const sub = h.subscribe<{
      queueUpdated: { action: string; ticket: { number: string; appointmentId: string | null } };
    }>(
      `subscription($s: ID!, $l: ID) { queueUpdated(storeId: $s, lineId: $l) { action ticket { number appointmentId } } }`,
      { s: STORE_1, l: line },
      await h.token('staff'),
    );
    // Subscriptions are set up asynchronously; staff's first tickets prove it listens.
    await waitFor(async () => {
      await h.addTicket(line);
      return sub.events.length > 0;
    });
    await take(line);
    await waitFor(() => sub.events.at(-1)?.data?.queueUpdated.action === 'JOINED', { message: 'the kiosk ticket' });
    expect(sub.events.at(-1)!.data!.queueUpdated.ticket.appointmentId).toBeNull();
    const { bookAppointment } = await h.as<{ bookAppointment: { code: string; appointment: { id: string } } }>(
      'staff',
      `mutation($l: ID!) { bookAppointment(input: { lineId: $l, start: "2030-03-12T10:30:00Z" }) { code appointment { id } } }`,
      { l: line },
    );
    await h.as('kiosk', `mutation($c: String!) { checkIn(code: $c) { token } }`, { c: bookAppointment.code });
    await waitFor(() => sub.events.at(-1)?.data?.queueUpdated.action === 'CHECKED_IN', { message: 'the check-in' });
    expect(sub.events.at(-1)!.data!.queueUpdated.ticket.appointmentId).toBe(bookAppointment.appointment.id);
    await sub.close();
  });

  it('refuses other stores’ lines, closed lines, full lines and collect lines, issuing nothing', async () => {
    const other = await h.createLine(STORE_2, { prefix: 'K' });
    const evening = await h.createLine(STORE_1, { openingHours: [{ day: 'TUE', opens: '17:00', closes: '21:00' }] });
    const tiny = await h.createLine(STORE_1, { capacity: 1 });
    const pickup = await h.createLine(STORE_1, { kind: 'COLLECT' });
    await take(tiny);
    const before = await h.count('ticket');
    expect(ext(await take(other))?.code).toBe('NOT_FOUND');
    expect(ext(await take(evening))).toMatchObject({ code: 'CONFLICT', reason: 'LINE_CLOSED' });
    expect(ext(await take(tiny))).toMatchObject({ code: 'CONFLICT', reason: 'LINE_FULL' });
    expect(ext(await take(pickup))).toMatchObject({ code: 'CONFLICT', reason: 'LINE_KIND' });
    expect(ext(await take('not-a-line'))?.code).toBe('NOT_FOUND');
    expect(await h.count('ticket')).toBe(before);
    // The other store's kiosk may use its own line: found, but New York opens at 09:00 (06:00 there now)…
    expect(ext(await take(other, 'kioskStore2'))?.reason).toBe('LINE_CLOSED');
    h.clock.advance(4 * 3_600_000);
    // …and takes a ticket once it is open.
    expect((await take(other, 'kioskStore2')).data?.kioskTakeTicket.ticket.number).toBe('K001');
  });

  // Runs at 14:00 in London (the test before moved the clock).
  it('a kiosk checks an appointment in by its code, with the slot’s priority, and serves nobody', async () => {
    const line = await h.createLine(STORE_1, { prefix: 'V', slotMinutes: 30 });
    const { bookAppointment } = await h.as<{ bookAppointment: { code: string; appointment: { id: string } } }>(
      'staff',
      `mutation($l: ID!) { bookAppointment(input: { lineId: $l, start: "2030-03-12T14:30:00Z", visitorName: "Ida" }) { code appointment { id } } }`,
      { l: line },
    );
    const { checkIn } = await h.as<{ checkIn: { ticket: { id: string; source: string; queuedAt: string } } }>(
      'kiosk',
      `mutation($c: String!) { checkIn(code: $c) { ticket { id source queuedAt } } }`,
      { c: bookAppointment.code.toLowerCase() },
    );
    expect(checkIn.ticket).toMatchObject({ source: 'KIOSK', queuedAt: '2030-03-12T14:20:00.000Z' });
    expect(
      await h.count('appointment', `id = $1 AND state = 'CHECKED_IN' AND ticket_id = $2`, [
        bookAppointment.appointment.id,
        checkIn.ticket.id,
      ]),
    ).toBe(1);
    for (const query of [
      `mutation($id: ID!) { callTicket(id: $id) { id } }`,
      `mutation($id: ID!) { cancelTicket(id: $id) { id } }`,
      `query($id: ID!) { ticket(id: $id) { id } }`,
    ]) {
      const res = await h.gql(query, { id: checkIn.ticket.id }, await h.token('kiosk'));
      expect(ext(res)?.code, query).toBe('FORBIDDEN');
    }
    const lines = await h.as<{ queueLines: { id: string }[] }>(
      'kiosk',
      `query($s: ID!) { queueLines(storeId: $s) { id } }`,
      {
        s: STORE_1,
      },
    );
    expect(lines.queueLines.map((l) => l.id)).toContain(line);
    const foreignLines = await h.as<{ queueLines: unknown[] }>(
      'kiosk',
      `query($s: ID!) { queueLines(storeId: $s) { id } }`,
      {
        s: STORE_2,
      },
    );
    expect(foreignLines.queueLines).toEqual([]);
  });
});
