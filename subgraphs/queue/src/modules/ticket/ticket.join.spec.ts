import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_1, STORE_2, startQueue, type QueueHarness } from '../../testing/harness.js';
import { TicketService } from './ticket.service.js';

let h: QueueHarness;
beforeAll(async () => {
  h = await startQueue({
    QUEUE_MAX_ACTIVE_PER_PHONE: '1',
    QUEUE_MAX_JOINS_PER_PHONE_PER_DAY: '2',
    QUEUE_TOKEN_TTL_HOURS: '12',
  });
});
afterAll(async () => {
  await h?.stop();
});

const JOIN = `mutation($l: ID!, $n: String, $p: String) { joinQueue(lineId: $l, name: $n, phone: $p) { token ticket { id number state source visitorName visitorPhone position estimatedWaitMinutes } } }`;
interface Joined {
  token: string;
  ticket: {
    id: string;
    number: string;
    state: string;
    source: string;
    visitorName: string | null;
    visitorPhone: string | null;
    position: number;
  };
}
const join = (l: string, n?: string, p?: string) => h.gql<{ joinQueue: Joined }>(JOIN, { l, n, p });
const MINE = `query($t: String!) { myTicket(token: $t) { id state number note actions { id } } }`;

describe(`${TicketService.name} joining`, () => {
  it('lets an anonymous visitor join an open line and hold a token that opens only their ticket', async () => {
    const line = await h.createLine(STORE_1, { prefix: 'W' });
    await h.addTicket(line, { note: 'staff only' });
    const res = await join(line, 'Grace', '+44 7700 900123');
    expect(res.errors).toBeUndefined();
    const { token, ticket } = res.data!.joinQueue;
    expect(ticket).toMatchObject({
      number: 'W002',
      state: 'NEW',
      source: 'REMOTE',
      visitorName: 'Grace',
      visitorPhone: '+447700900123',
      position: 2,
    });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Name and phone are encrypted at rest; the phone's limit key is a keyed hash, not the number.
    const raw = await h.db.query(`SELECT visitor_name, visitor_phone, phone_hash FROM queue.ticket WHERE id = $1`, [
      ticket.id,
    ]);
    const row = raw.rows[0] as Record<string, string>;
    expect(row.visitor_name).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toMatch(/Grace|7700900123/);
    // Stored hashed only: the secret is nowhere in the table.
    expect(await h.count('ticket', `token_hash = $1`, [token])).toBe(0);
    expect(await h.count('ticket', `token_hash IS NOT NULL AND id = $1`, [ticket.id])).toBe(1);
    const mine = await h.gql<{ myTicket: { id: string; actions: unknown[]; note: string | null } }>(MINE, { t: token });
    expect(mine.data?.myTicket).toMatchObject({ id: ticket.id, actions: [], note: null });
    expect(
      await h.count('ticket_action', `ticket_id = $1 AND action = 'JOINED' AND actor_kind = 'visitor'`, [ticket.id]),
    ).toBe(1);
    // The token reads nothing else: no other ticket, no store queue.
    const wrong = await h.gql(MINE, { t: token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A') });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const anonymousList = await h.gql(`query($s: ID!) { tickets(storeId: $s) { id } }`, { s: STORE_1 });
    expect(anonymousList.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('binds each encrypted value to its ticket and keeps note text out of the audit log', async () => {
    const line = await h.createLine(STORE_1);
    const a = await h.addTicket(line, { visitorName: 'Alan' });
    const b = await h.addTicket(line, { visitorName: 'Barbara' });
    await h.as('staff', `mutation($id: ID!) { addTicketNote(id: $id, note: "allergic to queues") { id } }`, { id: b });
    const detail = await h.db.query(
      `SELECT detail::text AS d FROM queue.ticket_action WHERE ticket_id = $1 AND action = 'NOTE'`,
      [b],
    );
    expect((detail.rows[0] as { d: string }).d).not.toContain('allergic');
    const name = `query($id: ID!) { ticket(id: $id) { visitorName note } }`;
    expect((await h.as<{ ticket: unknown }>('staff', name, { id: b })).ticket).toEqual({
      visitorName: 'Barbara',
      note: 'allergic to queues',
    });
    // A value copied onto another row does not decrypt there.
    await h.db.query(
      `UPDATE queue.ticket SET visitor_name = (SELECT visitor_name FROM queue.ticket WHERE id = $1) WHERE id = $2`,
      [a, b],
    );
    const moved = await h.gql(name, { id: b }, await h.token('staff'));
    expect(moved.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('lets the visitor cancel their own ticket once; then it is final', async () => {
    const line = await h.createLine(STORE_1, { prefix: 'V' });
    const { token, ticket } = (await join(line)).data!.joinQueue;
    const cancel = `mutation($t: String!) { cancelMyTicket(token: $t) { state cancelledAt } }`;
    const first = await h.gql<{ cancelMyTicket: { state: string } }>(cancel, { t: token });
    expect(first.data?.cancelMyTicket.state).toBe('CANCELLED');
    const again = await h.gql(cancel, { t: token });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'TICKET_STATE' });
    expect(await h.count('ticket_action', `ticket_id = $1 AND action = 'CANCELLED'`, [ticket.id])).toBe(1);
  });

  it('refuses closed, unknown and archived lines, and a full line, with stable codes and no ticket', async () => {
    // T0 is 06:00 in New York: STORE_2's lines are closed.
    const closed = await h.createLine(STORE_2);
    const res = await join(closed);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'LINE_CLOSED' });
    const unknown = await join('00000000-0000-4000-8000-00000000eeee');
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const notUuid = await join('nope');
    expect(notUuid.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const archived = await h.createLine(STORE_1);
    await h.as('hqAdmin', `mutation($id: ID!) { archiveLine(id: $id) { id } }`, { id: archived });
    expect((await join(archived)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const small = await h.createLine(STORE_1, { capacity: 2 });
    expect((await join(small)).errors).toBeUndefined();
    expect((await join(small)).errors).toBeUndefined();
    expect((await join(small)).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'LINE_FULL' });
    expect(await h.count('ticket', `line_id IN ($1, $2, $3)`, [closed, archived, small])).toBe(2);
  });

  it('limits one phone to one waiting ticket per line and two joins a day', async () => {
    const line = await h.createLine(STORE_1);
    const phone = '+447700900555';
    const first = (await join(line, 'A', phone)).data!.joinQueue;
    const second = await join(line, 'A', '+44 (7700) 900-555');
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'PHONE_LIMIT' });
    await h.gql(`mutation($t: String!) { cancelMyTicket(token: $t) { id } }`, { t: first.token });
    expect((await join(line, 'A', phone)).errors).toBeUndefined();
    const cancelAll = await h.db.query(`UPDATE queue.ticket SET state = 'CANCELLED' WHERE line_id = $1`, [line]);
    expect(cancelAll.rowCount).toBe(2);
    expect((await join(line, 'A', phone)).errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    // Another phone is not affected; nor is the same phone on another line.
    expect((await join(line, 'B', '+447700900556')).errors).toBeUndefined();
    expect((await join(await h.createLine(STORE_1), 'A', phone)).errors).toBeUndefined();
    const bad = await join(line, 'A', '12');
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('expires the visitor link after QUEUE_TOKEN_TTL_HOURS', async () => {
    const line = await h.createLine(STORE_1);
    const { token } = (await join(line)).data!.joinQueue;
    h.clock.advance(11 * 3_600_000);
    expect((await h.gql(MINE, { t: token })).errors).toBeUndefined();
    h.clock.advance(2 * 3_600_000);
    const expired = await h.gql(`mutation($t: String!) { cancelMyTicket(token: $t) { id } }`, { t: token });
    expect(expired.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_EXPIRED' });
    expect(await h.count('ticket', `line_id = $1 AND state = 'NEW'`, [line])).toBe(1);
  });
});
