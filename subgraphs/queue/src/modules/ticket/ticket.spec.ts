import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_USER, STORE_1, startQueue, type QueueHarness } from '../../testing/harness.js';
import { TicketResolver } from './ticket.resolver.js';
import { ticketNumber } from './ticket.rules.js';

let h: QueueHarness;
let line: string;
let desk: string;
beforeAll(async () => {
  h = await startQueue();
  line = await h.createLine(STORE_1, { prefix: 'B' });
  desk = await h.createDesk(STORE_1);
});
afterAll(async () => {
  await h?.stop();
});

const FIELDS = `id number state parked deskId lineId calledAt recalledAt recallCount parkedAt servedAt noShowAt cancelledAt note position`;
interface T {
  id: string;
  number: string;
  state: string;
  parked: boolean;
  deskId: string | null;
  lineId: string;
  calledAt: string | null;
  recalledAt: string | null;
  recallCount: number;
  parkedAt: string | null;
  servedAt: string | null;
  noShowAt: string | null;
  cancelledAt: string | null;
  note: string | null;
  position: number | null;
}

const get = async (id: string) =>
  (await h.as<{ ticket: T }>('staff', `query($id: ID!) { ticket(id: $id) { ${FIELDS} } }`, { id })).ticket;
const mutate = async (name: string, args: Record<string, unknown>) => {
  const params = Object.keys(args)
    .map((k) => `${k}: $${k}`)
    .join(', ');
  const decl = Object.keys(args)
    .map((k) => `$${k}: ${k === 'note' ? 'String!' : k === 'id' ? 'ID!' : 'ID'}`)
    .join(', ');
  return h.gql<Record<string, T>>(
    `mutation(${decl}) { ${name}(${params}) { ${FIELDS} } }`,
    args,
    await h.token('staff'),
  );
};
const act = async (name: string, args: Record<string, unknown>): Promise<T> => {
  const res = await mutate(name, args);
  if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
  return res.data![name]!;
};
/** Takes a fresh ticket to a state through the API. */
async function ticketIn(
  state: 'NEW' | 'CALLED' | 'SERVED' | 'NO_SHOW' | 'CANCELLED_BY_CLERK' | 'PARKED',
  lineId = line,
) {
  const id = await h.addTicket(lineId, { visitorName: 'Ada' });
  if (state === 'NEW') return id;
  if (state === 'PARKED') return (await act('parkTicket', { id })).id;
  if (state === 'CANCELLED_BY_CLERK') return (await act('cancelTicket', { id })).id;
  await act('callTicket', { id, deskId: desk });
  if (state === 'SERVED') await act('markTicketServed', { id });
  if (state === 'NO_SHOW') await act('markTicketNoShow', { id });
  return id;
}
const actionsOf = async (id: string) =>
  (
    await h.db.query(
      `SELECT action, actor_kind, actor_id, from_state, to_state FROM queue.ticket_action WHERE ticket_id = $1 ORDER BY at, action`,
      [id],
    )
  ).rows as {
    action: string;
    actor_kind: string;
    actor_id: string | null;
    from_state: string | null;
    to_state: string;
  }[];

describe(TicketResolver.name, () => {
  it('numbers tickets per line and store-local day (B001, B002…), starting again the next day', async () => {
    const l = await h.createLine(STORE_1, { prefix: 'N' });
    const other = await h.createLine(STORE_1, { prefix: 'M' });
    const a = await get(await h.addTicket(l));
    const b = await get(await h.addTicket(l));
    const c = await get(await h.addTicket(other));
    expect([a.number, b.number, c.number]).toEqual(['N001', 'N002', 'M001']);
    // 23:59 London is still the same day; 00:00 is the next one.
    h.clock.set(Date.parse('2030-03-12T23:59:00Z'));
    expect((await get(await h.addTicket(l))).number).toBe('N003');
    h.clock.set(Date.parse('2030-03-13T00:00:00Z'));
    expect((await get(await h.addTicket(l))).number).toBe('N001');
  });

  it('keeps every digit past 999 (N999, N1000), as ticketNumber writes it', async () => {
    const l = await h.createLine(STORE_1, { prefix: 'N' });
    const first = await get(await h.addTicket(l));
    expect(first.number).toBe('N001');
    // The counter is the statement's: move it on to 998 as 998 earlier tickets would have.
    await h.db.query(`UPDATE "queue"."line_counter" SET "last" = 998 WHERE "line_id" = $1`, [l]);
    const numbers = [await h.addTicket(l), await h.addTicket(l), await h.addTicket(l)];
    expect(await Promise.all(numbers.map(async (id) => (await get(id)).number))).toEqual([
      ticketNumber('N', 999),
      ticketNumber('N', 1000),
      ticketNumber('N', 1001),
    ]);
    expect(ticketNumber('N', 1000)).toBe('N1000');
  });

  // Every allowed transition: operation, starting state, arguments, resulting state and the timestamp it sets.
  it.each([
    ['callTicket', 'NEW', {}, 'CALLED', 'calledAt'],
    ['callTicket', 'PARKED', {}, 'CALLED', 'calledAt'],
    ['recallTicket', 'CALLED', {}, 'CALLED', 'recalledAt'],
    ['returnTicketToQueue', 'CALLED', {}, 'NEW', null],
    ['parkTicket', 'NEW', {}, 'NEW', 'parkedAt'],
    ['parkTicket', 'CALLED', {}, 'NEW', 'parkedAt'],
    ['unparkTicket', 'PARKED', {}, 'NEW', null],
    ['markTicketNoShow', 'CALLED', {}, 'NO_SHOW', 'noShowAt'],
    ['markTicketServed', 'CALLED', {}, 'SERVED', 'servedAt'],
    ['cancelTicket', 'NEW', {}, 'CANCELLED_BY_CLERK', 'cancelledAt'],
    ['cancelTicket', 'CALLED', {}, 'CANCELLED_BY_CLERK', 'cancelledAt'],
    ['addTicketNote', 'NEW', { note: 'needs a form' }, 'NEW', null],
    ['addTicketNote', 'SERVED', { note: 'follow up' }, 'SERVED', null],
    ['transferTicket', 'NEW', { deskId: 'DESK' }, 'NEW', null],
    ['transferTicket', 'CALLED', { deskId: 'DESK' }, 'NEW', null],
  ] as const)('%s from %s → %s, stamped and audited with its actor', async (name, from, args, to, stamp) => {
    const id = await ticketIn(from);
    const before = (await actionsOf(id)).length;
    h.clock.advance(60_000);
    const vars: Record<string, unknown> = { id, ...args };
    if ('deskId' in args) vars.deskId = desk;
    const t = await act(name, vars);
    expect(t.state).toBe(to);
    if (stamp) expect(t[stamp]).toBe(new Date(h.clock.now()).toISOString());
    if (name === 'parkTicket') expect(t.parked).toBe(true);
    if (name === 'unparkTicket' || name === 'callTicket') expect(t.parked).toBe(false);
    if (name === 'recallTicket') expect(t.recallCount).toBe(1);
    if (name === 'addTicketNote') expect(t.note).toBe(args.note);
    if (name === 'transferTicket') expect(t.deskId).toBe(desk);
    const log = await actionsOf(id);
    expect(log).toHaveLength(before + 1);
    expect(log.at(-1)).toMatchObject({
      actor_kind: 'user',
      actor_id: STAFF_USER,
      from_state: from === 'PARKED' ? 'NEW' : from,
      to_state: to,
    });
  });

  // What is not allowed: a stable CONFLICT (reason TICKET_STATE) and nothing changes.
  it.each([
    ['callTicket', 'SERVED'],
    ['callTicket', 'CALLED'],
    ['recallTicket', 'SERVED'],
    ['recallTicket', 'NEW'],
    ['returnTicketToQueue', 'SERVED'],
    ['returnTicketToQueue', 'NEW'],
    ['parkTicket', 'SERVED'],
    ['parkTicket', 'PARKED'],
    ['unparkTicket', 'SERVED'],
    ['unparkTicket', 'NEW'],
    ['markTicketNoShow', 'SERVED'],
    ['markTicketNoShow', 'NEW'],
    ['markTicketServed', 'SERVED'],
    ['markTicketServed', 'NEW'],
    ['markTicketServed', 'NO_SHOW'],
    ['cancelTicket', 'SERVED'],
    ['cancelTicket', 'CANCELLED_BY_CLERK'],
    ['transferTicket', 'SERVED'],
    ['addTicketNote', 'NO_SHOW'],
  ] as const)('%s on a %s ticket → CONFLICT, unchanged', async (name, from) => {
    const id = await ticketIn(from);
    const before = await get(id);
    const log = (await actionsOf(id)).length;
    const vars: Record<string, unknown> = { id };
    if (name === 'addTicketNote') vars.note = 'x';
    if (name === 'transferTicket') vars.deskId = desk;
    const res = await mutate(name, vars);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'TICKET_STATE' });
    expect(res.errors?.[0]?.message).toMatch(new RegExp(`^Ticket ${before.number} is (${from}|parked): `));
    expect(await get(id)).toEqual(before);
    expect(await actionsOf(id)).toHaveLength(log);
  });

  it('calls next in order, skipping parked tickets, keeping a returned ticket’s place; null when nobody waits', async () => {
    const l = await h.createLine(STORE_1, { prefix: 'Q' });
    const [a, b, c] = [await h.addTicket(l), await h.addTicket(l), await h.addTicket(l)];
    await act('parkTicket', { id: a });
    const next = async () =>
      (
        await h.as<{ callNext: T | null }>(
          'staff',
          `mutation($l: ID!, $d: ID) { callNext(lineId: $l, deskId: $d) { id deskId } }`,
          { l, d: desk },
        )
      ).callNext;
    const first = await next();
    expect(first).toEqual(expect.objectContaining({ id: b, deskId: desk }));
    await act('returnTicketToQueue', { id: b });
    expect((await get(c)).position).toBe(2);
    expect((await next())?.id).toBe(b);
    expect((await next())?.id).toBe(c);
    expect(await next()).toBeNull();
    await act('unparkTicket', { id: a });
    expect((await next())?.id).toBe(a);
  });

  it('observes each visitor’s wait once, at the first call (not at a recall or a call after a return)', async () => {
    const waits = async () => {
      const text = await (await fetch(h.service.url.replace(/\/graphql$/, '/metrics'))).text();
      const sum = /^phub_queue_wait_seconds_sum\{[^}]*\} (\S+)$/m.exec(text);
      const count = /^phub_queue_wait_seconds_count\{[^}]*\} (\S+)$/m.exec(text);
      return { sum: Number(sum?.[1] ?? 0), count: Number(count?.[1] ?? 0) };
    };
    const l = await h.createLine(STORE_1, { prefix: 'W' });
    const [a, b] = [await h.addTicket(l), await h.addTicket(l)];
    const before = await waits();
    h.clock.advance(7 * 60_000);
    await h.as('staff', `mutation($l: ID!) { callNext(lineId: $l) { id } }`, { l });
    await act('recallTicket', { id: a });
    await act('returnTicketToQueue', { id: a });
    h.clock.advance(3 * 60_000);
    await act('callTicket', { id: a });
    await act('callTicket', { id: b });
    const after = await waits();
    // a waited 7 minutes, b 10; a's recall and second call end no wait.
    expect(after.count - before.count).toBe(2);
    expect(after.sum - before.sum).toBeCloseTo(17 * 60, 3);
  });

  it('transfers to another line (keeping its number) and to one desk, which alone calls it', async () => {
    const from = await h.createLine(STORE_1, { prefix: 'F' });
    const to = await h.createLine(STORE_1, { prefix: 'G' });
    const deskA = await h.createDesk(STORE_1, [to]);
    const deskB = await h.createDesk(STORE_1, [to]);
    const id = await h.addTicket(from);
    const moved = await act('transferTicket', { id, lineId: to, deskId: deskA });
    expect(moved).toMatchObject({ lineId: to, deskId: deskA, number: 'F001', state: 'NEW' });
    const call = (d: string) =>
      h.as<{ callNext: { id: string } | null }>(
        'staff',
        `mutation($l: ID!, $d: ID) { callNext(lineId: $l, deskId: $d) { id } }`,
        { l: to, d },
      );
    expect((await call(deskB)).callNext).toBeNull();
    expect((await call(deskA)).callNext?.id).toBe(id);
    const wrongDesk = await mutate('transferTicket', { id: await h.addTicket(from), deskId: deskA });
    expect(wrongDesk.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const nowhere = await mutate('transferTicket', { id: await h.addTicket(from) });
    expect(nowhere.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('twenty clerks pressing "call next" at once call twenty different tickets, none twice', async () => {
    const l = await h.createLine(STORE_1, { prefix: 'C' });
    const ids = [];
    for (let i = 0; i < 25; i++) ids.push(await h.addTicket(l));
    const token = await h.token('staff');
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        h.gql<{ callNext: { id: string } | null }>(`mutation($l: ID!) { callNext(lineId: $l) { id } }`, { l }, token),
      ),
    );
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const called = results.map((r) => r.data!.callNext!.id);
    expect(new Set(called).size).toBe(20);
    // First come, first served: the twenty called are the twenty oldest.
    expect(new Set(called)).toEqual(new Set(ids.slice(0, 20)));
    expect(await h.count('ticket', `line_id = $1 AND state = 'CALLED'`, [l])).toBe(20);
    expect(await h.count('ticket', `line_id = $1 AND state = 'NEW'`, [l])).toBe(5);
    expect(
      await h.count(
        'ticket_action',
        `action = 'CALLED' AND ticket_id IN (SELECT id FROM queue.ticket WHERE line_id = $1)`,
        [l],
      ),
    ).toBe(20);
  });

  it('gives every waiting ticket of a board its place and estimate in its own line (batched)', async () => {
    const store = await h.createLine(STORE_1, { prefix: 'H' });
    const other = await h.createLine(STORE_1, { prefix: 'K' });
    for (let i = 0; i < 6; i++) await h.addTicket(i % 2 ? store : other);
    const parked = await h.addTicket(store);
    await act('parkTicket', { id: parked });
    const { tickets } = await h.as<{
      tickets: { id: string; lineId: string; position: number | null; estimatedWaitMinutes: number | null }[];
    }>('device', `query($s: ID!) { tickets(storeId: $s) { id lineId position estimatedWaitMinutes } }`, { s: STORE_1 });
    const of = (l: string) => tickets.filter((t) => t.lineId === l && t.id !== parked);
    expect(of(store).map((t) => t.position)).toEqual([1, 2, 3]);
    expect(of(other).map((t) => t.position)).toEqual([1, 2, 3]);
    // No desk staffed: one desk assumed, the default five minutes per visitor, nobody being served.
    expect(of(store).map((t) => t.estimatedWaitMinutes)).toEqual([0, 2.5, 7.5]);
    expect(tickets.find((t) => t.id === parked)).toMatchObject({ position: null, estimatedWaitMinutes: null });
  });

  it('refuses bad phones, unknown tickets and notes out of bounds', async () => {
    const phone = await h.gql(
      `mutation($i: AddTicketInput!) { addTicket(input: $i) { id } }`,
      { i: { lineId: line, visitorPhone: 'call me' } },
      await h.token('staff'),
    );
    expect(phone.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await mutate('markTicketServed', { id: '00000000-0000-4000-8000-00000000ffff' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const empty = await mutate('addTicketNote', { id: await ticketIn('NEW'), note: '  ' });
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
