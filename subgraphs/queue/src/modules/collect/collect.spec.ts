import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_1, STORE_2, startQueue, type QueueHarness, type Who } from '../../testing/harness.js';
import { CollectService } from './collect.service.js';

let h: QueueHarness;
let pickup: string;
beforeAll(async () => {
  // Few wrong guesses, so the limit is reached quickly.
  h = await startQueue({ QUEUE_CHECKIN_MAX_WRONG_CODES: '3' });
  pickup = await h.createLine(STORE_1, { prefix: 'C', kind: 'COLLECT', name: 'Click & Collect' });
});
afterAll(async () => {
  await h?.stop();
});

interface Created {
  order: { id: string; reference: string; state: string; customerName: string | null; customerPhone: string | null };
  code: string;
  qrPayload: string;
}
const CREATE = `mutation($i: CreateCollectOrderInput!) { createCollectOrder(input: $i) { code qrPayload order { id reference state customerName customerPhone } } }`;
let refs = 0;
async function tryCreate(over: Record<string, unknown> = {}, who: Who = 'partnerWrite') {
  return h.gql<{ createCollectOrder: Created }>(
    CREATE,
    {
      i: {
        lineId: pickup,
        reference: `WEB-${++refs}`,
        customerName: 'Ada Byron',
        customerPhone: '+447700900555',
        ...over,
      },
    },
    await h.token(who),
  );
}
async function create(over: Record<string, unknown> = {}, who: Who = 'partnerWrite') {
  const res = await tryCreate(over, who);
  if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
  return res.data!.createCollectOrder;
}
const CHECK_IN = `mutation($c: String!) { checkIn(code: $c) { token ticket { id number lineId source state } } }`;
interface CheckedIn {
  checkIn: { token: string; ticket: { id: string; number: string; lineId: string; source: string; state: string } };
}
const checkIn = async (code: string, who: Who | null = null) =>
  h.gql<CheckedIn>(CHECK_IN, { c: code }, who ? await h.token(who) : undefined);
const ext = (res: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions;

describe(CollectService.name, () => {
  it('lets a partner with queue:write create an order on a COLLECT line; the customer is sealed at rest', async () => {
    const created = await create({ reference: 'WEB-1001' });
    // The partner wrote the customer, and reads none back (no personal data for partners: QueueScope).
    expect(created.order).toEqual({
      id: created.order.id,
      reference: 'WEB-1001',
      state: 'READY',
      customerName: null,
      customerPhone: null,
    });
    const atDesk = await h.as<{ collectOrder: Record<string, unknown> }>(
      'staff',
      `query($id: ID!) { collectOrder(id: $id) { customerName customerPhone } }`,
      { id: created.order.id },
    );
    expect(atDesk.collectOrder).toEqual({ customerName: 'Ada Byron', customerPhone: '+447700900555' });
    expect(created.qrPayload).toBe(`PHUB-CHECKIN:${created.code}`);
    const row = await h.db.query(
      `SELECT customer_name, customer_phone, code_hash FROM queue.collect_order WHERE id = $1`,
      [created.order.id],
    );
    expect(row.rows[0].customer_name).toMatch(/^v1:/);
    expect(row.rows[0].customer_phone).toMatch(/^v1:/);
    expect(row.rows[0].code_hash).not.toContain(created.code);

    const before = await h.count('collect_order');
    expect(ext(await tryCreate({ reference: 'WEB-1001' }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'DUPLICATE_REFERENCE',
    });
    const walkIn = await h.createLine(STORE_1);
    expect(ext(await tryCreate({ lineId: walkIn }))).toMatchObject({ code: 'CONFLICT', reason: 'LINE_KIND' });
    expect(ext(await tryCreate({ customerPhone: 'call me' }))?.code).toBe('BAD_USER_INPUT');
    expect(ext(await tryCreate({ reference: '' }))?.code).toBe('BAD_USER_INPUT');
    expect(ext(await tryCreate({}, 'partnerRead'))?.code).toBe('FORBIDDEN');
    expect(ext(await tryCreate({}, 'kiosk'))?.code).toBe('FORBIDDEN');
    expect(ext(await tryCreate({ lineId: '00000000-0000-4000-8000-00000000ffff' }))?.code).toBe('NOT_FOUND');
    expect(await h.count('collect_order')).toBe(before);
    // A collect line is not joined like a queue: its tickets come from orders.
    const join = await h.gql(`mutation($l: ID!) { joinQueue(lineId: $l) { token } }`, { l: pickup });
    expect(ext(join)).toMatchObject({ code: 'CONFLICT', reason: 'LINE_KIND' });
  });

  it('checks the customer in by the typed code or the QR payload, once; staff see reference and customer at the desk', async () => {
    const typed = await create();
    const lower = `${typed.code.slice(0, 4).toLowerCase()} ${typed.code.slice(4)}`;
    const first = await checkIn(lower);
    expect(first.errors).toBeUndefined();
    expect(first.data!.checkIn.ticket).toMatchObject({ lineId: pickup, source: 'REMOTE', state: 'NEW' });
    expect(first.data!.checkIn.ticket.number).toMatch(/^C\d{3}$/);
    const twice = await checkIn(typed.code);
    expect(ext(twice)).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_CHECKED_IN' });
    expect(await h.count('ticket', `collect_order_id = $1`, [typed.order.id])).toBe(1);

    const scanned = await create();
    const byQr = await checkIn(scanned.qrPayload, 'kiosk');
    expect(byQr.data!.checkIn.ticket.source).toBe('KIOSK');

    const desk = await h.as<{ ticket: { collectOrder: { reference: string; customerName: string; state: string } } }>(
      'staff',
      `query($id: ID!) { ticket(id: $id) { collectOrder { reference customerName state } } }`,
      { id: first.data!.checkIn.ticket.id },
    );
    expect(desk.ticket.collectOrder).toEqual({
      reference: typed.order.reference,
      customerName: 'Ada Byron',
      state: 'CHECKED_IN',
    });
    const board = await h.as<{ ticket: { collectOrder: unknown; visitorName: unknown } }>(
      'device',
      `query($id: ID!) { ticket(id: $id) { collectOrder { reference } visitorName } }`,
      { id: first.data!.checkIn.ticket.id },
    );
    expect(board.ticket).toEqual({ collectOrder: null, visitorName: null });
  });

  it('hands the order over with its called ticket (SERVED, COLLECTED); a served ticket takes no more actions', async () => {
    const o = await create();
    const ticket = (await checkIn(o.code)).data!.checkIn.ticket;
    const early = await h.gql(
      `mutation($id: ID!) { handOverCollectOrder(id: $id) { state } }`,
      { id: o.order.id },
      await h.token('staff'),
    );
    expect(ext(early)).toMatchObject({ code: 'CONFLICT', reason: 'TICKET_STATE' });
    await h.as('staff', `mutation($id: ID!) { callTicket(id: $id) { id } }`, { id: ticket.id });
    const handed = await h.as<{ handOverCollectOrder: { state: string; collectedAt: string } }>(
      'staff',
      `mutation($id: ID!) { handOverCollectOrder(id: $id) { state collectedAt } }`,
      { id: o.order.id },
    );
    expect(handed.handOverCollectOrder.state).toBe('COLLECTED');
    expect(await h.count('ticket', `id = $1 AND state = 'SERVED'`, [ticket.id])).toBe(1);
    for (const [query, vars] of [
      [`mutation($id: ID!) { markTicketServed(id: $id) { id } }`, { id: ticket.id }],
      [`mutation($id: ID!) { callTicket(id: $id) { id } }`, { id: ticket.id }],
      [`mutation($id: ID!) { moveTicket(id: $id, position: 1) { id } }`, { id: ticket.id }],
      [`mutation($id: ID!) { handOverCollectOrder(id: $id) { id } }`, { id: o.order.id }],
      [`mutation($id: ID!) { cancelCollectOrder(id: $id) { id } }`, { id: o.order.id }],
    ] as const) {
      expect(ext(await h.gql(query, vars, await h.token('staff')))?.code, query).toBe('CONFLICT');
    }
    // Serving the ticket directly marks the order collected too.
    const other = await create();
    const t2 = (await checkIn(other.code)).data!.checkIn.ticket;
    await h.as('staff', `mutation($id: ID!) { callTicket(id: $id) { id } }`, { id: t2.id });
    await h.as('staff', `mutation($id: ID!) { markTicketServed(id: $id) { id } }`, { id: t2.id });
    expect(await h.count('collect_order', `id = $1 AND state = 'COLLECTED'`, [other.order.id])).toBe(1);
    // A customer who comes straight to the desk: handed over without a ticket.
    const direct = await create();
    const done = await h.as<{ handOverCollectOrder: { state: string } }>(
      'staff',
      `mutation($id: ID!) { handOverCollectOrder(id: $id) { state } }`,
      { id: direct.order.id },
    );
    expect(done.handOverCollectOrder.state).toBe('COLLECTED');
    expect(ext(await checkIn(direct.code))).toMatchObject({ code: 'CONFLICT', reason: 'ORDER_STATE' });
  });

  it('lists a store’s open orders for staff; cancelled orders cannot be checked in', async () => {
    const o = await create();
    const cancelled = await h.as<{ cancelCollectOrder: { state: string } }>(
      'manager',
      `mutation($id: ID!) { cancelCollectOrder(id: $id) { state } }`,
      { id: o.order.id },
    );
    expect(cancelled.cancelCollectOrder.state).toBe('CANCELLED');
    expect(ext(await checkIn(o.code))).toMatchObject({ code: 'CONFLICT', reason: 'ORDER_STATE' });
    const open = await h.as<{ collectOrders: { id: string; state: string }[] }>(
      'staff',
      `query($s: ID!) { collectOrders(storeId: $s) { id state } }`,
      { s: STORE_1 },
    );
    expect(open.collectOrders.every((x) => ['READY', 'CHECKED_IN'].includes(x.state))).toBe(true);
    expect(open.collectOrders.map((x) => x.id)).not.toContain(o.order.id);
    const none = await h.as<{ collectOrders: unknown[] }>(
      'staffStore2',
      `query($s: ID!) { collectOrders(storeId: $s) { id } }`,
      {
        s: STORE_1,
      },
    );
    expect(none.collectOrders).toEqual([]);
  });

  // Moves the clock to 20:00 in London (time only moves forward): the tests below need no open London line.
  it('refuses check-in while the pickup line is closed, changing nothing', async () => {
    const o = await create();
    h.clock.advance(10 * 3_600_000); // 20:00 in London: closed
    expect(ext(await checkIn(o.code))).toMatchObject({ code: 'CONFLICT', reason: 'LINE_CLOSED' });
    expect(await h.count('collect_order', `id = $1 AND state = 'READY'`, [o.order.id])).toBe(1);
  });

  it('rate-limits wrong codes per kiosk and per address; a kiosk cannot use another store’s codes', async () => {
    const other = await h.createLine(STORE_2, { prefix: 'C', kind: 'COLLECT' });
    const foreign = await create({ lineId: other });
    // Another store's code is as good as a wrong one at this kiosk.
    expect(ext(await checkIn(foreign.code, 'kiosk'))).toMatchObject({ code: 'NOT_FOUND', reason: 'CODE_UNKNOWN' });
    expect(ext(await checkIn('ZZZZ-ZZZZ', 'kiosk'))).toMatchObject({ code: 'NOT_FOUND', reason: 'CODE_UNKNOWN' });
    expect(ext(await checkIn('not a code', 'kiosk'))?.reason).toBe('CODE_UNKNOWN');
    // Three wrong: even a right code is refused now, before any lookup.
    const good = await create();
    expect(ext(await checkIn(good.code, 'kiosk'))).toMatchObject({ code: 'RATE_LIMITED', reason: 'CODE_GUESSES' });
    expect(await h.count('collect_order', `id = $1 AND state = 'READY'`, [good.order.id])).toBe(1);
    // Another kiosk (of the other store; 16:00 in New York) counts on its own and may use its store's code.
    expect((await checkIn(foreign.code, 'kioskStore2')).data?.checkIn.ticket.lineId).toBe(other);
    // Anonymous visitors count per address (all tests come from 127.0.0.1).
    for (let i = 0; i < 3; i++) expect(ext(await checkIn('ZZZZZZZ2'))?.reason).toBe('CODE_UNKNOWN');
    expect(ext(await checkIn(good.code))?.reason).toBe('CODE_GUESSES');
    // A display is no kiosk.
    expect(ext(await checkIn(good.code, 'device'))?.code).toBe('FORBIDDEN');
  });
});
