import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_1, T0, startQueue, type QueueHarness, type Who } from '../../testing/harness.js';
import { queueEnvSchema } from '../../env.js';
import { AppointmentService } from './appointment.service.js';

let h: QueueHarness;
let line: string;
beforeAll(async () => {
  h = await startQueue();
  // T0: Tuesday 12 March 2030, 10:00 in London; the store opens 09:00–18:00 Monday to Saturday.
  line = await h.createLine(STORE_1, { prefix: 'P', slotMinutes: 30, slotCapacity: 2 });
});
afterAll(async () => {
  await h?.stop();
});

const at = (iso: string) => Date.parse(iso);
const FIELDS = 'id state source start end day visitorName visitorPhone ticketId line { id }';
interface Appt {
  id: string;
  state: string;
  source: string;
  start: string;
  end: string;
  day: string;
  visitorName: string | null;
  visitorPhone: string | null;
  ticketId: string | null;
}
interface Booked {
  appointment: Appt;
  token: string;
  code: string;
  qrPayload: string;
}
const BOOK = `mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { token code qrPayload appointment { ${FIELDS} } } }`;
async function tryBook(start: string, who: Who | null = null, over: Record<string, unknown> = {}, lineId = line) {
  return h.gql<{ bookAppointment: Booked }>(
    BOOK,
    { i: { lineId, start, visitorName: 'Mary Somerville', ...over } },
    who ? await h.token(who) : undefined,
  );
}
async function book(start: string, who: Who | null = null, over: Record<string, unknown> = {}, lineId = line) {
  const res = await tryBook(start, who, over, lineId);
  if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
  return res.data!.bookAppointment;
}
const slots = async (day: string, lineId = line) =>
  h.gql<{ appointmentSlots: { start: string; end: string; capacity: number; free: number }[] }>(
    `query($l: ID!, $d: String!) { appointmentSlots(lineId: $l, day: $d) { start end capacity free } }`,
    { l: lineId, d: day },
  );
const codeOf = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions;
const order = async (lineId: string) => {
  const { tickets } = await h.as<{
    tickets: { number: string; position: number | null; appointmentId: string | null }[];
  }>(
    'staff',
    `query($s: ID!, $l: ID) { tickets(storeId: $s, filter: { lineId: $l }) { number position appointmentId } }`,
    { s: STORE_1, l: lineId },
  );
  return tickets
    .filter((t) => t.position)
    .sort((a, b) => a.position! - b.position!)
    .map((t) => t.number);
};

describe(AppointmentService.name, () => {
  it('offers the free slots of a store-local day from the line’s hours and capacity, later than now', async () => {
    const today = (await slots('2030-03-12')).data!.appointmentSlots;
    // 10:00 now: the 10:30 slot is the first, 17:30 the last (the store closes at 18:00).
    expect(today[0]).toEqual({
      start: '2030-03-12T10:30:00.000Z',
      end: '2030-03-12T11:00:00.000Z',
      capacity: 2,
      free: 2,
    });
    expect(today.at(-1)!.start).toBe('2030-03-12T17:30:00.000Z');
    expect(today).toHaveLength(15);
    expect((await slots('2030-03-17')).data!.appointmentSlots).toEqual([]); // Sunday: closed
    expect(codeOf(await slots('12/03/2030'))?.code).toBe('BAD_USER_INPUT');
    expect(codeOf(await slots('2030-03-12', '00000000-0000-4000-8000-00000000ffff'))?.code).toBe('NOT_FOUND');
    const walkIn = await h.createLine(STORE_1);
    expect(codeOf(await slots('2030-03-12', walkIn))).toMatchObject({ code: 'CONFLICT', reason: 'NO_APPOINTMENTS' });
  });

  it('books by the visitor’s link, by staff and by a partner until the slot is full; bad slots change nothing', async () => {
    const start = '2030-03-13T09:00:00.000Z';
    const visitor = await book(start, null, { visitorPhone: '+44 7700 900123' });
    expect(visitor.appointment).toMatchObject({
      state: 'BOOKED',
      source: 'VISITOR',
      start,
      end: '2030-03-13T09:30:00.000Z',
      day: '2030-03-13',
      visitorName: 'Mary Somerville',
      visitorPhone: '+447700900123',
    });
    expect(visitor.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(visitor.code).toMatch(/^[A-Z2-9]{8}$/);
    expect(visitor.qrPayload).toBe(`PHUB-CHECKIN:${visitor.code}`);
    const stored = await h.db.query(`SELECT visitor_name, visitor_phone FROM queue.appointment WHERE id = $1`, [
      visitor.appointment.id,
    ]);
    expect(stored.rows[0].visitor_name).toMatch(/^v1:/);
    expect(stored.rows[0].visitor_phone).toMatch(/^v1:/);
    expect((await book(start, 'staff')).appointment.source).toBe('STAFF');
    expect((await slots('2030-03-13')).data!.appointmentSlots.map((s) => s.start)).not.toContain(start);
    const full = await tryBook(start, 'partnerWrite');
    expect(codeOf(full)).toMatchObject({ code: 'CONFLICT', reason: 'SLOT_FULL' });
    expect((await book('2030-03-13T09:30:00.000Z', 'partnerWrite')).appointment.source).toBe('PARTNER');

    const before = await h.count('appointment');
    expect(codeOf(await tryBook('2030-03-13T09:15:00.000Z'))).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'NOT_A_SLOT',
    });
    expect(codeOf(await tryBook('2030-03-12T09:30:00.000Z'))).toMatchObject({ code: 'CONFLICT', reason: 'SLOT_PAST' });
    expect(codeOf(await tryBook('2030-03-17T10:00:00.000Z'))).toMatchObject({ reason: 'NOT_A_SLOT' }); // closed day
    expect(codeOf(await tryBook('2031-03-12T10:00:00.000Z'))).toMatchObject({ reason: 'TOO_FAR' });
    expect(codeOf(await tryBook('2030-03-13T10:00:00.000Z', null, { visitorPhone: '12' }))?.code).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(await tryBook('2030-03-13T10:00:00.000Z', 'partnerRead'))?.code).toBe('FORBIDDEN');
    expect(codeOf(await tryBook('2030-03-13T10:00:00.000Z', 'kiosk'))?.code).toBe('FORBIDDEN');
    expect(await h.count('appointment')).toBe(before);
  });

  it('takes no more bookings of one slot than its capacity when many book at once', async () => {
    const start = '2030-03-14T11:00:00.000Z';
    const results = await Promise.all(Array.from({ length: 8 }, () => tryBook(start, 'staff')));
    expect(results.filter((r) => !r.errors)).toHaveLength(2);
    for (const r of results.filter((x) => x.errors)) expect(codeOf(r)?.reason).toBe('SLOT_FULL');
    expect(await h.count('appointment', `slot_start = $1`, [start])).toBe(2);
  });

  it('limits the upcoming appointments one phone books by link', async () => {
    const phone = '+447700900999';
    await book('2030-03-15T09:00:00.000Z', null, { visitorPhone: phone });
    await book('2030-03-15T09:30:00.000Z', null, { visitorPhone: phone });
    expect(codeOf(await tryBook('2030-03-15T10:00:00.000Z', null, { visitorPhone: phone }))).toMatchObject({
      code: 'RATE_LIMITED',
      reason: 'PHONE_LIMIT',
    });
    // Staff booking for the visitor are not limited.
    await book('2030-03-15T10:00:00.000Z', 'staff', { visitorPhone: phone });
  });

  it('reschedules and cancels by staff and by the visitor’s link; only BOOKED ones', async () => {
    const a = await book('2030-03-16T09:00:00.000Z');
    const moved = await h.as<{ rescheduleMyAppointment: Appt }>(
      null,
      `mutation($t: String!, $s: DateTimeISO!) { rescheduleMyAppointment(token: $t, start: $s) { ${FIELDS} } }`,
      { t: a.token, s: '2030-03-16T12:00:00.000Z' },
    );
    expect(moved.rescheduleMyAppointment).toMatchObject({ start: '2030-03-16T12:00:00.000Z', state: 'BOOKED' });
    const staffMoved = await h.as<{ rescheduleAppointment: Appt }>(
      'staff',
      `mutation($id: ID!, $s: DateTimeISO!) { rescheduleAppointment(id: $id, start: $s) { start } }`,
      { id: a.appointment.id, s: '2030-03-16T12:30:00.000Z' },
    );
    expect(staffMoved.rescheduleAppointment.start).toBe('2030-03-16T12:30:00.000Z');
    const badMove = await h.gql(
      `mutation($t: String!, $s: DateTimeISO!) { rescheduleMyAppointment(token: $t, start: $s) { id } }`,
      { t: a.token, s: '2030-03-16T12:10:00.000Z' },
    );
    expect(codeOf(badMove)?.reason).toBe('NOT_A_SLOT');
    const cancelled = await h.as<{ cancelMyAppointment: Appt }>(
      null,
      `mutation($t: String!) { cancelMyAppointment(token: $t) { state } }`,
      { t: a.token },
    );
    expect(cancelled.cancelMyAppointment.state).toBe('CANCELLED');
    const again = await h.gql(
      `mutation($id: ID!) { cancelAppointment(id: $id) { id } }`,
      { id: a.appointment.id },
      await h.token('staff'),
    );
    expect(codeOf(again)).toMatchObject({ code: 'CONFLICT', reason: 'APPOINTMENT_STATE' });
    const b = await book('2030-03-16T09:00:00.000Z', 'partnerWrite');
    const byStaff = await h.as<{ cancelAppointment: Appt }>(
      'manager',
      `mutation($id: ID!) { cancelAppointment(id: $id) { state } }`,
      {
        id: b.appointment.id,
      },
    );
    expect(byStaff.cancelAppointment.state).toBe('CANCELLED');
    // Another store's staff cannot see it.
    const foreign = await h.gql(
      `mutation($id: ID!) { cancelAppointment(id: $id) { id } }`,
      { id: b.appointment.id },
      await h.token('staffStore2'),
    );
    expect(codeOf(foreign)?.code).toBe('NOT_FOUND');
  });

  it('lists the day’s appointments for staff, personal fields hidden from displays', async () => {
    const list = async (who: Who) =>
      (
        await h.as<{ appointments: Appt[] }>(
          who,
          `query($s: ID!, $d: String!) { appointments(storeId: $s, day: $d) { ${FIELDS} } }`,
          { s: STORE_1, d: '2030-03-13' },
        )
      ).appointments;
    const staff = await list('staff');
    expect(staff.map((a) => a.start)).toEqual([
      '2030-03-13T09:00:00.000Z',
      '2030-03-13T09:00:00.000Z',
      '2030-03-13T09:30:00.000Z',
    ]);
    expect(staff[0]!.visitorName).toBe('Mary Somerville');
    expect((await list('device')).map((a) => a.visitorName)).toEqual([null, null, null]);
    expect(await list('staffStore2')).toEqual([]);
  });

  it('checks in with priority for the slot: the ticket’s place is the slot start minus the priority time', async () => {
    const prio = await h.createLine(STORE_1, { prefix: 'Q', slotMinutes: 30 });
    const appt = await book('2030-03-12T11:00:00.000Z', null, {}, prio);
    const late = await book('2030-03-12T11:30:00.000Z', 'staff', { visitorName: 'Late Larry' }, prio);
    h.clock.set(at('2030-03-12T10:20:00Z'));
    const early = await h.gql(`mutation($t: String!) { checkInMyAppointment(token: $t) { token } }`, { t: appt.token });
    expect(codeOf(early)).toMatchObject({ code: 'CONFLICT', reason: 'CHECKIN_TOO_EARLY' });
    h.clock.set(at('2030-03-12T10:30:00Z'));
    await h.addTicket(prio); // Q001, place 10:30
    h.clock.set(at('2030-03-12T10:45:00Z'));
    const checked = await h.as<{ checkInMyAppointment: { token: string; ticket: { number: string; source: string } } }>(
      null,
      `mutation($t: String!) { checkInMyAppointment(token: $t) { token ticket { number source queuedAt } } }`,
      { t: appt.token },
    );
    expect(checked.checkInMyAppointment.ticket).toMatchObject({
      number: 'Q002',
      source: 'REMOTE',
      queuedAt: '2030-03-12T10:50:00.000Z',
    });
    const twice = await h.gql(`mutation($t: String!) { checkInMyAppointment(token: $t) { token } }`, { t: appt.token });
    expect(codeOf(twice)).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_CHECKED_IN' });
    h.clock.set(at('2030-03-12T10:48:00Z'));
    await h.addTicket(prio); // Q003, place 10:48: ahead of the 11:00 appointment (placed at 10:50)
    h.clock.set(at('2030-03-12T10:55:00Z'));
    await h.addTicket(prio); // Q004, behind it
    expect(await order(prio)).toEqual(['Q001', 'Q003', 'Q002', 'Q004']);
    // Checked in late but within the grace time: still the slot's place (11:30 − 10 min = 11:20), by staff.
    h.clock.set(at('2030-03-12T11:40:00Z'));
    const byStaff = await h.as<{ checkInAppointment: { ticket: { number: string; appointment: Appt } } }>(
      'staff',
      `mutation($id: ID!) { checkInAppointment(id: $id) { ticket { number queuedAt appointment { state visitorName } } } }`,
      { id: late.appointment.id },
    );
    expect(byStaff.checkInAppointment.ticket).toMatchObject({
      number: 'Q005',
      queuedAt: '2030-03-12T11:20:00.000Z',
      appointment: { state: 'CHECKED_IN', visitorName: 'Late Larry' },
    });
    expect(await order(prio)).toEqual(['Q001', 'Q003', 'Q002', 'Q004', 'Q005']);
    const audit = await h.db.query(
      `SELECT action, actor_kind FROM queue.ticket_action a JOIN queue.ticket t ON t.id = a.ticket_id
       WHERE t.appointment_id = ANY($1) ORDER BY a.at`,
      [[appt.appointment.id, late.appointment.id]],
    );
    expect(audit.rows).toEqual([
      { action: 'CHECKED_IN', actor_kind: 'visitor' },
      { action: 'CHECKED_IN', actor_kind: 'user' },
    ]);
  });

  it('turns missed slots into no-shows, refuses their check-in, and expires the visitor’s link', async () => {
    h.clock.set(at('2030-03-12T11:45:00Z'));
    const missed = await book('2030-03-12T12:00:00.000Z', null, { visitorPhone: '+447700900111' });
    const kept = await book('2030-03-12T12:30:00.000Z');
    h.clock.set(at('2030-03-12T12:16:00Z'));
    const late = await h.gql(`mutation($t: String!) { checkInMyAppointment(token: $t) { token } }`, {
      t: missed.token,
    });
    expect(codeOf(late)).toMatchObject({ code: 'CONFLICT', reason: 'APPOINTMENT_MISSED' });
    expect(await h.count('ticket', `appointment_id = $1`, [missed.appointment.id])).toBe(0);
    // The worker's job, as the worker declares and runs it.
    const jobs = await h.openJobs();
    expect(jobs.definitions.find((j) => j.name === 'queue.no-show-sweep')).toMatchObject({ singleton: true });
    await jobs.run('queue.no-show-sweep');
    expect(
      await h.count('appointment', `id = $1 AND state = 'NO_SHOW' AND no_show_at IS NOT NULL`, [missed.appointment.id]),
    ).toBe(1);
    expect(await h.count('appointment', `id = $1 AND state = 'BOOKED'`, [kept.appointment.id])).toBe(1);
    // The link works until the slot's end plus the grace time (12:30 + 15 min).
    const mine = (t: string) => h.gql(`query($t: String!) { myAppointment(token: $t) { state } }`, { t });
    expect((await mine(missed.token)).data).toEqual({ myAppointment: { state: 'NO_SHOW' } });
    h.clock.set(at('2030-03-12T12:46:00Z'));
    expect(codeOf(await mine(missed.token))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
    const cancel = await h.gql(`mutation($t: String!) { cancelMyAppointment(token: $t) { id } }`, { t: missed.token });
    expect(codeOf(cancel)?.reason).toBe('TOKEN_EXPIRED');
    expect(codeOf(await mine('x'.repeat(43)))?.code).toBe('NOT_FOUND');
  });

  describe('reminders (the worker’s queue.appointment-reminders job)', () => {
    const REMINDERS = 'queue.appointment-reminders';
    const reminders = async (appointmentId: string) =>
      (
        await h.db.query(
          `SELECT status, body, reference FROM queue.sms_message
           WHERE kind = 'REMINDER' AND reference LIKE $1 ORDER BY created_at`,
          [`appointment:${appointmentId}:%`],
        )
      ).rows as { status: string; body: string; reference: string }[];
    // A number of its own each (per-phone booking limits are not under test here).
    let phones = 400;
    const consenting = () => ({ visitorPhone: `+447700900${phones++}`, smsConsent: true });
    const move = (token: string, start: string) =>
      h.as(null, `mutation($t: String!, $s: DateTimeISO!) { rescheduleMyAppointment(token: $t, start: $s) { id } }`, {
        t: token,
        s: start,
      });

    it('sends each due appointment one reminder, however often and by however many workers the job runs', async () => {
      h.clock.set(at('2030-03-19T09:00:00Z'));
      const jobs = await h.openJobs();
      expect(jobs.definitions.find((j) => j.name === REMINDERS)).toMatchObject({
        singleton: true,
        schedule: { cron: '* * * * *' },
      });
      // Four due within the hour's lead (09:30 and 10:00), one later.
      const due = [];
      for (const slot of ['09:30', '09:30', '10:00', '10:00']) {
        due.push(await book(`2030-03-19T${slot}:00.000Z`, 'staff', consenting()));
      }
      const later = await book('2030-03-19T11:30:00.000Z', null, consenting());
      // Two workers at once, then again: one reminder each, and none for 11:30 (more than 60 minutes ahead).
      const other = await h.openJobs();
      await Promise.all([jobs.run(REMINDERS), other.run(REMINDERS), jobs.run(REMINDERS)]);
      await jobs.run(REMINDERS);
      for (const b of due) expect((await reminders(b.appointment.id)).map((r) => r.status)).toEqual(['QUEUED']);
      expect(await reminders(later.appointment.id)).toEqual([]);

      await jobs.run('queue.sms');
      const [sent] = await reminders(due[2]!.appointment.id);
      expect(sent).toMatchObject({
        status: 'SENT',
        reference: `appointment:${due[2]!.appointment.id}:2030-03-19T10:00:00.000Z`,
      });
      expect(sent!.body).toMatch(/^Reminder: your appointment for Line \w+ is on Tue 19 Mar at 10:00\.$/);
      const seen = await h.as<{ appointment: { smsConsent: boolean; remindedAt: string } }>(
        'staff',
        `query($id: ID!) { appointment(id: $id) { smsConsent remindedAt } }`,
        { id: due[0]!.appointment.id },
      );
      expect(seen.appointment).toEqual({ smsConsent: true, remindedAt: '2030-03-19T09:00:00.000Z' });

      // 11:30 is due from 10:30; a run after that sends it, and nothing twice.
      h.clock.set(at('2030-03-19T10:30:00Z'));
      await jobs.run(REMINDERS);
      await jobs.run(REMINDERS);
      await jobs.run('queue.sms');
      expect((await reminders(later.appointment.id)).map((r) => r.status)).toEqual(['SENT']);
      for (const b of due) expect(await reminders(b.appointment.id)).toHaveLength(1);
    });

    it('sends none without the visitor’s consent or phone', async () => {
      h.clock.set(at('2030-03-19T11:15:00Z'));
      const jobs = await h.openJobs();
      const noConsent = await book('2030-03-19T12:00:00.000Z', null, { visitorPhone: '+447700900334' });
      const noPhone = await book('2030-03-19T12:00:00.000Z', 'staff', { smsConsent: true });
      expect(noConsent.appointment).toMatchObject({ state: 'BOOKED' });
      await jobs.run(REMINDERS);
      await jobs.run('queue.sms');
      expect(await reminders(noConsent.appointment.id)).toEqual([]);
      expect(await reminders(noPhone.appointment.id)).toEqual([]);
      expect(
        await h.count('appointment', `id = ANY($1) AND reminded_at IS NULL`, [
          [noConsent.appointment.id, noPhone.appointment.id],
        ]),
      ).toBe(2);
    });

    it('follows a moved appointment to its new slot; a cancelled or checked-in one gets none', async () => {
      h.clock.set(at('2030-03-20T09:00:00Z'));
      const jobs = await h.openJobs();
      // Reminded for 09:30, then moved to 12:00 before the SMS went: the old one is withdrawn.
      const moved = await book('2030-03-20T09:30:00.000Z', null, consenting());
      await jobs.run(REMINDERS);
      await move(moved.token, '2030-03-20T12:00:00.000Z');
      expect((await reminders(moved.appointment.id)).map((r) => r.status)).toEqual(['CANCELLED']);
      await jobs.run(REMINDERS); // 12:00 is not due yet
      expect(await reminders(moved.appointment.id)).toHaveLength(1);

      // Cancelled after its reminder was queued, and cancelled before it was due.
      const cancelled = await book('2030-03-20T10:00:00.000Z', 'staff', consenting());
      const early = await book('2030-03-20T12:00:00.000Z', null, consenting());
      await jobs.run(REMINDERS);
      await h.as('staff', `mutation($id: ID!) { cancelAppointment(id: $id) { id } }`, { id: cancelled.appointment.id });
      await h.as(null, `mutation($t: String!) { cancelMyAppointment(token: $t) { id } }`, { t: early.token });
      expect((await reminders(cancelled.appointment.id)).map((r) => r.status)).toEqual(['CANCELLED']);

      h.clock.set(at('2030-03-20T11:00:00Z'));
      // Moved away and back before its SMS went: the slot's reminder goes after all, once.
      const back = await book('2030-03-20T11:30:00.000Z', null, consenting());
      await jobs.run(REMINDERS);
      await move(back.token, '2030-03-20T14:00:00.000Z');
      await move(back.token, '2030-03-20T11:30:00.000Z');
      // Checked in before its reminder went: withdrawn.
      const arrived = await book('2030-03-20T11:30:00.000Z', 'staff', consenting());
      await jobs.run(REMINDERS);
      await h.as(null, `mutation($t: String!) { checkInMyAppointment(token: $t) { token } }`, { t: arrived.token });

      h.clock.set(at('2030-03-20T11:10:00Z'));
      await jobs.run(REMINDERS);
      await jobs.run('queue.sms');
      const [old, now] = await reminders(moved.appointment.id);
      expect(old).toMatchObject({ status: 'CANCELLED', reference: expect.stringMatching(/T09:30:00\.000Z$/) });
      expect(now).toMatchObject({ status: 'SENT', reference: expect.stringMatching(/T12:00:00\.000Z$/) });
      expect(now!.body).toMatch(/at 12:00\.$/);
      expect((await reminders(back.appointment.id)).map((r) => [r.status, r.body.slice(-6)])).toEqual([
        ['SENT', '11:30.'],
      ]);
      expect((await reminders(arrived.appointment.id)).map((r) => r.status)).toEqual(['CANCELLED']);
      expect((await reminders(cancelled.appointment.id)).map((r) => r.status)).toEqual(['CANCELLED']);
      expect(await reminders(early.appointment.id)).toEqual([]);
    });

    it('takes its lead time from QUEUE_REMINDER_LEAD_MINUTES (60 unless set)', async () => {
      expect(queueEnvSchema.parse({}).QUEUE_REMINDER_LEAD_MINUTES).toBe(60);
      h.clock.set(at('2030-03-21T09:00:00Z'));
      const a = await book('2030-03-21T11:30:00.000Z', null, consenting());
      await (await h.openJobs()).run(REMINDERS);
      expect(await reminders(a.appointment.id)).toEqual([]);
      await (await h.openJobs({ QUEUE_REMINDER_LEAD_MINUTES: '180' })).run(REMINDERS);
      expect((await reminders(a.appointment.id)).map((r) => r.status)).toEqual(['QUEUED']);
    });
  });

  it('books across a DST change by the store’s local hours (London, 31 March 2030)', async () => {
    const sunday = await h.createLine(STORE_1, {
      prefix: 'S',
      slotMinutes: 60,
      openingHours: [{ day: 'SUN', opens: '09:00', closes: '12:00' }],
    });
    h.clock.set(at('2030-03-29T12:00:00Z'));
    const starts = async (day: string) => (await slots(day, sunday)).data!.appointmentSlots.map((s) => s.start);
    expect(await starts('2030-03-31')).toEqual([
      '2030-03-31T08:00:00.000Z', // 09:00 BST
      '2030-03-31T09:00:00.000Z',
      '2030-03-31T10:00:00.000Z',
    ]);
    // The old GMT time is no slot that day.
    expect(codeOf(await tryBook('2030-03-31T11:00:00.000Z', null, {}, sunday))?.reason).toBe('NOT_A_SLOT');
    const booked = await book('2030-03-31T08:00:00.000Z', null, {}, sunday);
    expect(booked.appointment).toMatchObject({ day: '2030-03-31', end: '2030-03-31T09:00:00.000Z' });
    // That morning: check-in opens 30 minutes before 09:00 BST, and the ticket is on the local day.
    h.clock.set(at('2030-03-31T07:30:00Z')); // 08:30 BST
    const checkedIn = await h.as<{ checkInMyAppointment: { ticket: { queuedAt: string; day: string } } }>(
      null,
      `mutation($t: String!) { checkInMyAppointment(token: $t) { ticket { queuedAt day } } }`,
      { t: booked.token },
    );
    expect(checkedIn.checkInMyAppointment.ticket).toEqual({ queuedAt: '2030-03-31T07:50:00.000Z', day: '2030-03-31' });
    // October: 09:00 GMT again.
    h.clock.set(at('2030-10-25T12:00:00Z'));
    expect(await starts('2030-10-27')).toEqual([
      '2030-10-27T09:00:00.000Z',
      '2030-10-27T10:00:00.000Z',
      '2030-10-27T11:00:00.000Z',
    ]);
  });
});

void T0;
