import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueScope } from './scope.js';
import { OTHER_STORE, STAFF_USER, STORE_1, startQueue, type QueueHarness, type Who } from './testing/harness.js';

type Caller = Exclude<Who, 'otherAdmin' | 'otherManager' | 'kioskStore2'> | 'anonymous';
const WHO: Caller[] = [
  'anonymous',
  'hqAdmin',
  'hqEditor',
  'hqViewer',
  'manager',
  'staff',
  'staffStore2',
  'partnerRead',
  'partnerWrite',
  'partnerNoScope',
  'device',
  'kiosk',
];

/** What a caller gets: data, an empty/null answer (out of scope), or an error code. */
type Outcome = 'ok' | 'none' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'NOT_FOUND';

interface Operation {
  name: string;
  query: string;
  /** Creates what the operation acts on (as HQ admin) and returns its variables. */
  vars?: (h: QueueHarness) => Promise<Record<string, unknown>>;
  /** Reads the answer's payload: null/[] mean "none". */
  pick: (data: Record<string, unknown>) => unknown;
  expect: Record<Caller, Outcome>;
}

const table = (o: Outcome, overrides: Partial<Record<Caller, Outcome>> = {}): Record<Caller, Outcome> =>
  ({
    ...Object.fromEntries(WHO.map((w) => [w, o])),
    anonymous: 'UNAUTHENTICATED',
    // A kiosk takes tickets and check-ins for its store, and reads its lines: nothing else.
    kiosk: 'FORBIDDEN',
    ...overrides,
  }) as Record<Caller, Outcome>;
/** Anyone, with or without an account (the visitor's links). */
const open = (o: Partial<Record<Caller, Outcome>> = {}) => table('ok', { anonymous: 'ok', kiosk: 'ok', ...o });
/** Reading the store's queue: HQ, its store roles, partners with a queue scope, its displays. */
const read = (o: Partial<Record<Caller, Outcome>> = {}) =>
  table('ok', { partnerNoScope: 'FORBIDDEN', staffStore2: 'none', ...o });
/** Serving it: HQ admins, its store roles, partners with queue:write. */
const serve = (o: Partial<Record<Caller, Outcome>> = {}) =>
  table('FORBIDDEN', { hqAdmin: 'ok', manager: 'ok', staff: 'ok', partnerWrite: 'ok', staffStore2: 'NOT_FOUND', ...o });
/** Configuring it: HQ admins and its store managers. */
const configure = (o: Partial<Record<Caller, Outcome>> = {}) =>
  table('FORBIDDEN', { hqAdmin: 'ok', manager: 'ok', ...o });

let lineId: string;
const pick = (field: string) => (d: Record<string, unknown>) => d[field];
const newTicket = async (h: QueueHarness) => ({ id: await h.addTicket(lineId, {}, 'hqAdmin') });
const calledTicket = async (h: QueueHarness) => {
  const v = await newTicket(h);
  await h.as('hqAdmin', `mutation($id: ID!) { callTicket(id: $id) { id } }`, v);
  return v;
};

const OPERATIONS: Operation[] = [
  {
    name: 'queueLines',
    query: `query($s: ID!) { queueLines(storeId: $s) { id } }`,
    vars: async () => ({ s: STORE_1 }),
    pick: pick('queueLines'),
    expect: read({ kiosk: 'ok' }),
  },
  {
    name: 'desks',
    query: `query($s: ID!) { desks(storeId: $s) { id } }`,
    vars: async (h) => (await h.createDesk(STORE_1), { s: STORE_1 }),
    pick: pick('desks'),
    expect: read(),
  },
  {
    name: 'tickets',
    query: `query($s: ID!) { tickets(storeId: $s) { id number } }`,
    vars: async (h) => (await newTicket(h), { s: STORE_1 }),
    pick: pick('tickets'),
    expect: read(),
  },
  {
    name: 'ticket',
    query: `query($id: ID!) { ticket(id: $id) { id } }`,
    vars: newTicket,
    pick: pick('ticket'),
    expect: read({ staffStore2: 'NOT_FOUND' }),
  },
  {
    name: 'line (the join link is public)',
    query: `query($id: ID!) { line(id: $id) { id isOpen estimatedWaitMinutes } }`,
    vars: async () => ({ id: lineId }),
    pick: pick('line'),
    expect: read({ anonymous: 'ok', staffStore2: 'NOT_FOUND', kiosk: 'ok' }),
  },
  {
    name: 'myTicket (the token is the credential)',
    query: `query($t: String!) { myTicket(token: $t) { id } }`,
    vars: async (h) => ({
      t: (
        await h.as<{ joinQueue: { token: string } }>(null, `mutation($l: ID!) { joinQueue(lineId: $l) { token } }`, {
          l: lineId,
        })
      ).joinQueue.token,
    }),
    pick: pick('myTicket'),
    expect: open(),
  },
  {
    name: 'Store.queueLines (entity)',
    query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Store { queueLines { id } } } }`,
    vars: async () => ({ r: [{ __typename: 'Store', id: STORE_1 }] }),
    pick: (d) => (d._entities as { queueLines: unknown[] }[])[0]!.queueLines,
    // Another subgraph's Store may be fetched by anyone; the queue's part of it is empty unless visible.
    expect: read({ anonymous: 'none', partnerNoScope: 'FORBIDDEN', kiosk: 'ok' }),
  },
  {
    name: 'queueBoard (the store’s displays read it)',
    query: `query($s: ID!) { queueBoard(storeId: $s) { lines { next } } }`,
    vars: async () => ({ s: STORE_1 }),
    pick: pick('queueBoard'),
    expect: read({ staffStore2: 'FORBIDDEN' }),
  },
  {
    name: 'queueReport (HQ, managers, partners; not staff or displays)',
    query: `query { queueReport(filter: { from: "2030-03-01", to: "2030-03-31" }) { totals { joined } } }`,
    pick: pick('queueReport'),
    expect: table('ok', {
      staff: 'FORBIDDEN',
      staffStore2: 'FORBIDDEN',
      device: 'FORBIDDEN',
      partnerNoScope: 'FORBIDDEN',
    }),
  },
  {
    name: 'createLine',
    query: `mutation($s: ID!) { createLine(input: { storeId: $s, name: "L", prefix: "Z" }) { id } }`,
    vars: async () => ({ s: STORE_1 }),
    pick: pick('createLine'),
    expect: configure(),
  },
  {
    name: 'updateLine',
    query: `mutation($id: ID!) { updateLine(input: { id: $id, capacity: 50 }) { id } }`,
    vars: async (h) => ({ id: await h.createLine(STORE_1) }),
    pick: pick('updateLine'),
    expect: configure({ staffStore2: 'FORBIDDEN' }),
  },
  {
    name: 'createDesk',
    query: `mutation($s: ID!) { createDesk(input: { storeId: $s, name: "D" }) { id } }`,
    vars: async () => ({ s: STORE_1 }),
    pick: pick('createDesk'),
    expect: configure(),
  },
  {
    name: 'assignDesk (the staff member themselves)',
    query: `mutation($d: ID!, $u: ID) { assignDesk(deskId: $d, userId: $u) { staffUserId } }`,
    vars: async (h) => ({ d: await h.createDesk(STORE_1), u: STAFF_USER }),
    pick: pick('assignDesk'),
    expect: configure({ staff: 'ok', staffStore2: 'NOT_FOUND' }),
  },
  {
    name: 'addTicket',
    query: `mutation($l: ID!) { addTicket(input: { lineId: $l }) { id } }`,
    vars: async () => ({ l: lineId }),
    pick: pick('addTicket'),
    expect: serve(),
  },
  {
    name: 'callNext',
    query: `mutation($l: ID!) { callNext(lineId: $l) { id } }`,
    vars: async (h) => (await newTicket(h), { l: lineId }),
    pick: pick('callNext'),
    expect: serve(),
  },
  {
    name: 'callTicket',
    query: `mutation($id: ID!) { callTicket(id: $id) { id } }`,
    vars: newTicket,
    pick: pick('callTicket'),
    expect: serve(),
  },
  {
    name: 'markTicketServed',
    query: `mutation($id: ID!) { markTicketServed(id: $id) { id } }`,
    vars: calledTicket,
    pick: pick('markTicketServed'),
    expect: serve(),
  },
  {
    name: 'transferTicket',
    query: `mutation($id: ID!, $l: ID) { transferTicket(id: $id, lineId: $l) { id } }`,
    vars: async (h) => ({ ...(await newTicket(h)), l: lineId }),
    pick: pick('transferTicket'),
    expect: serve(),
  },
  {
    name: 'cancelTicket',
    query: `mutation($id: ID!) { cancelTicket(id: $id) { id } }`,
    vars: newTicket,
    pick: pick('cancelTicket'),
    expect: serve(),
  },
  {
    name: 'joinQueue (anyone, no account)',
    query: `mutation($l: ID!) { joinQueue(lineId: $l) { token } }`,
    vars: async () => ({ l: lineId }),
    pick: pick('joinQueue'),
    expect: open(),
  },
  {
    name: 'moveTicket',
    query: `mutation($id: ID!) { moveTicket(id: $id, position: 1) { id } }`,
    vars: newTicket,
    pick: pick('moveTicket'),
    expect: serve(),
  },
  {
    name: 'kioskTakeTicket (the store’s kiosk only)',
    query: `mutation($l: ID!) { kioskTakeTicket(lineId: $l) { token ticket { id source visitorName } } }`,
    vars: async () => ({ l: lineId }),
    pick: pick('kioskTakeTicket'),
    expect: table('FORBIDDEN', { kiosk: 'ok' }),
  },
  {
    name: 'appointmentSlots (the line’s link is public)',
    query: `query($l: ID!) { appointmentSlots(lineId: $l, day: "2030-03-13") { start free } }`,
    vars: async () => ({ l: apptLine }),
    pick: pick('appointmentSlots'),
    expect: open(),
  },
  {
    name: 'bookAppointment (visitors, and those who serve the store)',
    query: `mutation($l: ID!) { bookAppointment(input: { lineId: $l, start: "2030-03-13T10:00:00Z" }) { token } }`,
    vars: async () => ({ l: apptLine }),
    pick: pick('bookAppointment'),
    expect: serve({ anonymous: 'ok' }),
  },
  {
    name: 'appointments (the day’s list)',
    query: `query($s: ID!) { appointments(storeId: $s, day: "2030-03-13") { id } }`,
    vars: async (h) => (await booked(h), { s: STORE_1 }),
    pick: pick('appointments'),
    expect: read(),
  },
  {
    name: 'myAppointment (the token is the credential)',
    query: `query($t: String!) { myAppointment(token: $t) { id } }`,
    vars: async (h) => ({ t: (await booked(h)).token }),
    pick: pick('myAppointment'),
    expect: open(),
  },
  {
    name: 'rescheduleAppointment',
    query: `mutation($id: ID!) { rescheduleAppointment(id: $id, start: "2030-03-13T11:00:00Z") { id } }`,
    vars: async (h) => ({ id: (await booked(h)).id }),
    pick: pick('rescheduleAppointment'),
    expect: serve(),
  },
  {
    name: 'cancelAppointment',
    query: `mutation($id: ID!) { cancelAppointment(id: $id) { id } }`,
    vars: async (h) => ({ id: (await booked(h)).id }),
    pick: pick('cancelAppointment'),
    expect: serve(),
  },
  {
    name: 'checkInAppointment (staff)',
    query: `mutation($id: ID!) { checkInAppointment(id: $id) { token } }`,
    vars: async (h) => ({ id: (await booked(h, '2030-03-12T10:30:00Z')).id }),
    pick: pick('checkInAppointment'),
    expect: serve(),
  },
  {
    name: 'createCollectOrder',
    query: `mutation($l: ID!, $r: String!) { createCollectOrder(input: { lineId: $l, reference: $r, customerName: "C" }) { code } }`,
    vars: async () => ({ l: collectLine, r: `R-${++references}` }),
    pick: pick('createCollectOrder'),
    expect: serve(),
  },
  {
    name: 'collectOrders',
    query: `query($s: ID!) { collectOrders(storeId: $s) { id reference } }`,
    vars: async (h) => (await order(h), { s: STORE_1 }),
    pick: pick('collectOrders'),
    expect: read(),
  },
  {
    name: 'handOverCollectOrder',
    query: `mutation($id: ID!) { handOverCollectOrder(id: $id) { state } }`,
    vars: async (h) => ({ id: (await order(h)).id }),
    pick: pick('handOverCollectOrder'),
    expect: serve(),
  },
  {
    name: 'checkIn by code (visitors, the store’s kiosk, those who serve it)',
    query: `mutation($c: String!) { checkIn(code: $c) { token } }`,
    vars: async (h) => ({ c: (await order(h)).code }),
    pick: pick('checkIn'),
    expect: serve({ anonymous: 'ok', kiosk: 'ok' }),
  },
];

let apptLine: string;
let collectLine: string;
let references = 0;
/** A BOOKED appointment of store 1 (by an HQ admin), with its visitor token. */
async function booked(h: QueueHarness, start = '2030-03-13T10:00:00Z') {
  const { bookAppointment } = await h.as<{ bookAppointment: { token: string; appointment: { id: string } } }>(
    'hqAdmin',
    `mutation($l: ID!, $s: DateTimeISO!) { bookAppointment(input: { lineId: $l, start: $s }) { token appointment { id } } }`,
    { l: apptLine, s: start },
  );
  return { id: bookAppointment.appointment.id, token: bookAppointment.token };
}
/** A READY collect order of store 1, with its code. */
async function order(h: QueueHarness) {
  const { createCollectOrder } = await h.as<{ createCollectOrder: { code: string; order: { id: string } } }>(
    'hqAdmin',
    `mutation($l: ID!, $r: String!) { createCollectOrder(input: { lineId: $l, reference: $r, customerName: "C" }) { code order { id } } }`,
    { l: collectLine, r: `R-${++references}` },
  );
  return { id: createCollectOrder.order.id, code: createCollectOrder.code };
}

let h: QueueHarness;
beforeAll(async () => {
  h = await startQueue();
  lineId = await h.createLine(STORE_1, { prefix: 'X' });
  apptLine = await h.createLine(STORE_1, { prefix: 'P', slotMinutes: 30, slotCapacity: 100 });
  collectLine = await h.createLine(STORE_1, { prefix: 'C', kind: 'COLLECT' });
});
afterAll(async () => {
  await h?.stop();
});

async function outcome(op: Operation, who: Caller): Promise<Outcome> {
  const variables = op.vars ? await op.vars(h) : {};
  const res = await h.gql(op.query, variables, who === 'anonymous' ? undefined : await h.token(who));
  if (res.errors?.length) return res.errors[0]!.extensions!.code as Outcome;
  const value = op.pick(res.data!);
  return value === null || (Array.isArray(value) && value.length === 0) ? 'none' : 'ok';
}

describe(QueueScope.name, () => {
  const cases = OPERATIONS.flatMap((op) => WHO.map((who) => [op.name, who, op.expect[who], op] as const));
  it.each(cases)('%s as %s → %s', async (_name, who, expected, op) => {
    expect(await outcome(op, who)).toBe(expected);
  });

  it('a visitor token opens its own ticket only, and nothing of the store', async () => {
    const { joinQueue } = await h.as<{ joinQueue: { token: string; ticket: { id: string } } }>(
      null,
      `mutation($l: ID!) { joinQueue(lineId: $l) { token ticket { id } } }`,
      { l: lineId },
    );
    const mine = await h.gql<{ myTicket: { id: string } }>(`query($t: String!) { myTicket(token: $t) { id } }`, {
      t: joinQueue.token,
    });
    expect(mine.data?.myTicket.id).toBe(joinQueue.ticket.id);
    // The token is no access token: as a bearer it is refused.
    const asBearer = await h.gql(`query($s: ID!) { tickets(storeId: $s) { id } }`, { s: STORE_1 }, joinQueue.token);
    expect(asBearer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a ticket token and an appointment token open only their own kind, and a kiosk sees no personal data', async () => {
    const appointment = await booked(h);
    const asTicket = await h.gql(`query($t: String!) { myTicket(token: $t) { id } }`, { t: appointment.token });
    expect(asTicket.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const { joinQueue } = await h.as<{ joinQueue: { token: string } }>(
      null,
      `mutation($l: ID!) { joinQueue(lineId: $l, name: "Vera Visitor") { token } }`,
      { l: lineId },
    );
    const asAppointment = await h.gql(`query($t: String!) { myAppointment(token: $t) { id } }`, { t: joinQueue.token });
    expect(asAppointment.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // The kiosk checks a visitor in, but reads back no name, phone, order or appointment.
    const { checkIn } = await h.as<{ checkIn: { ticket: Record<string, unknown> } }>(
      'kiosk',
      `mutation($c: String!) { checkIn(code: $c) { ticket { number visitorName visitorPhone note collectOrder { id } actions { id } } } }`,
      { c: (await order(h)).code },
    );
    expect(checkIn.ticket).toMatchObject({
      visitorName: null,
      visitorPhone: null,
      note: null,
      collectOrder: null,
      actions: [],
    });
  });

  it.each<Who>(['partnerRead', 'partnerWrite'])(
    '%s reads tickets, appointments and orders without the visitor’s personal data (staff see it)',
    async (partner) => {
      const ticket = await h.addTicket(
        lineId,
        { visitorName: 'Pat Private', visitorPhone: '+447700900901', note: 'prefers Welsh' },
        'hqAdmin',
      );
      const { bookAppointment } = await h.as<{ bookAppointment: { appointment: { id: string } } }>(
        'hqAdmin',
        `mutation($l: ID!) { bookAppointment(input: { lineId: $l, start: "2030-03-13T11:00:00Z", visitorName: "Pat Private",
          visitorPhone: "+447700900902" }) { appointment { id } } }`,
        { l: apptLine },
      );
      const collect = await order(h);
      const READ = `query($t: ID!, $a: ID!, $o: ID!) {
        ticket(id: $t) { number visitorName visitorPhone note actions { id } }
        appointment(id: $a) { state visitorName visitorPhone }
        collectOrder(id: $o) { reference customerName customerPhone }
      }`;
      const vars = { t: ticket, a: bookAppointment.appointment.id, o: collect.id };
      const seen = await h.as<Record<string, Record<string, unknown>>>(partner, READ, vars);
      expect(seen.ticket).toMatchObject({ visitorName: null, visitorPhone: null, note: null, actions: [] });
      expect(seen.appointment).toMatchObject({ state: 'BOOKED', visitorName: null, visitorPhone: null });
      expect(seen.collectOrder).toMatchObject({ customerName: null, customerPhone: null });
      expect(seen.ticket!.number).toMatch(/^[A-Z]+\d{3}$/);
      const staff = await h.as<Record<string, Record<string, unknown>>>('staff', READ, vars);
      expect(staff.ticket).toMatchObject({ visitorName: 'Pat Private', visitorPhone: '+447700900901' });
      expect(staff.appointment).toMatchObject({ visitorName: 'Pat Private', visitorPhone: '+447700900902' });
      expect(staff.collectOrder!.customerName).toBe('C');
    },
  );

  describe('across tenants', () => {
    it('another tenant’s admin sees and touches nothing of ours', async () => {
      const other = await h.token('otherAdmin');
      const { id } = await newTicket(h);
      const appointment = await booked(h);
      const collect = await order(h);
      const list = await h.gql<{ queueLines: unknown[] }>(
        `query($s: ID!) { queueLines(storeId: $s) { id } }`,
        { s: STORE_1 },
        other,
      );
      expect(list.data?.queueLines).toEqual([]);
      for (const [query, vars] of [
        [`query($id: ID!) { ticket(id: $id) { id } }`, { id }],
        [`query($id: ID!) { line(id: $id) { id } }`, { id: lineId }],
        [`mutation($id: ID!) { callTicket(id: $id) { id } }`, { id }],
        [`mutation($id: ID!) { cancelTicket(id: $id) { id } }`, { id }],
        [`mutation($l: ID!) { callNext(lineId: $l) { id } }`, { l: lineId }],
        [`mutation($l: ID!) { addTicket(input: { lineId: $l }) { id } }`, { l: lineId }],
        [`mutation($s: ID!) { createLine(input: { storeId: $s, name: "L", prefix: "Z" }) { id } }`, { s: STORE_1 }],
        [`mutation($id: ID!) { moveTicket(id: $id, position: 1) { id } }`, { id }],
        [
          `mutation($l: ID!) { bookAppointment(input: { lineId: $l, start: "2030-03-13T10:00:00Z" }) { token } }`,
          { l: apptLine },
        ],
        [`query($id: ID!) { appointment(id: $id) { id } }`, { id: appointment.id }],
        [`mutation($id: ID!) { cancelAppointment(id: $id) { id } }`, { id: appointment.id }],
        [`mutation($id: ID!) { checkInAppointment(id: $id) { token } }`, { id: appointment.id }],
        [
          `mutation($l: ID!) { createCollectOrder(input: { lineId: $l, reference: "X-1", customerName: "C" }) { code } }`,
          { l: collectLine },
        ],
        [`query($id: ID!) { collectOrder(id: $id) { id } }`, { id: collect.id }],
        [`mutation($id: ID!) { handOverCollectOrder(id: $id) { id } }`, { id: collect.id }],
        [`mutation($c: String!) { checkIn(code: $c) { token } }`, { c: collect.code }],
      ] as const) {
        const res = await h.gql(query, vars, other);
        expect(res.errors?.[0]?.extensions?.code, query).toBe('NOT_FOUND');
      }
      expect(await h.count('ticket', `id = $1 AND state = 'NEW'`, [id])).toBe(1);
      expect(await h.count('appointment', `id = $1 AND state = 'BOOKED'`, [appointment.id])).toBe(1);
      expect(await h.count('collect_order', `id = $1 AND state = 'READY'`, [collect.id])).toBe(1);
      const orders = await h.gql<{ collectOrders: unknown[] }>(
        `query($s: ID!) { collectOrders(storeId: $s) { id } }`,
        { s: STORE_1 },
        other,
      );
      expect(orders.data?.collectOrders).toEqual([]);
      // Its own store works as usual, and ours cannot see it.
      const own = await h.createLine(OTHER_STORE, {}, 'otherManager');
      expect(
        (await h.gql(`query($id: ID!) { line(id: $id) { id } }`, { id: own }, await h.token('hqAdmin'))).errors?.[0]
          ?.extensions?.code,
      ).toBe('NOT_FOUND');
      const sub = h.subscribe(`subscription($s: ID!) { queueUpdated(storeId: $s) { action } }`, { s: STORE_1 }, other);
      await waitFor(() => sub.errors.length || sub.events.length, { message: 'the refusal' });
      expect(JSON.stringify(sub.errors.length ? sub.errors : sub.events)).toContain('FORBIDDEN');
    });
  });
});
