import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_1, startQueue, type QueueHarness } from '../../testing/harness.js';
import { TicketService } from './ticket.service.js';

let h: QueueHarness;
beforeAll(async () => {
  h = await startQueue();
});
afterAll(async () => {
  await h?.stop();
});

interface Board {
  tickets: { id: string; number: string; position: number | null }[];
}
/** The waiting tickets of a line, in the order call-next takes them. */
async function order(lineId: string): Promise<string[]> {
  const { tickets } = await h.as<Board>(
    'staff',
    `query($s: ID!, $l: ID) { tickets(storeId: $s, filter: { lineId: $l }) { id number position } }`,
    { s: STORE_1, l: lineId },
  );
  return tickets
    .filter((t) => t.position !== null)
    .sort((a, b) => a.position! - b.position!)
    .map((t) => t.number);
}
const move = (id: string, position: number, who: 'staff' | 'hqViewer' = 'staff') =>
  h.as<{ moveTicket: { number: string; position: number } }>(
    who,
    `mutation($id: ID!, $p: Int!) { moveTicket(id: $id, position: $p) { number position } }`,
    { id, p: position },
  );
const tryMove = async (id: string, position: number) =>
  h.gql(
    `mutation($id: ID!, $p: Int!) { moveTicket(id: $id, position: $p) { id } }`,
    { id, p: position },
    await h.token('staff'),
  );

/** A line with `n` waiting tickets issued in the same millisecond (the harder case: ties broken by issue order). */
async function lineWith(n: number): Promise<{ line: string; ids: string[] }> {
  const line = await h.createLine(STORE_1, { prefix: 'M' });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await h.addTicket(line));
  return { line, ids };
}

describe(`${TicketService.name}.move`, () => {
  it('moves a waiting ticket to any position, keeps the others’ order, and audits who moved it from where to where', async () => {
    const { line, ids } = await lineWith(5);
    expect(await order(line)).toEqual(['M001', 'M002', 'M003', 'M004', 'M005']);
    expect((await move(ids[4]!, 2)).moveTicket).toEqual({ number: 'M005', position: 2 });
    expect(await order(line)).toEqual(['M001', 'M005', 'M002', 'M003', 'M004']);
    await move(ids[3]!, 1);
    expect(await order(line)).toEqual(['M004', 'M001', 'M005', 'M002', 'M003']);
    await move(ids[3]!, 99); // past the end: last
    expect(await order(line)).toEqual(['M001', 'M005', 'M002', 'M003', 'M004']);
    await move(ids[0]!, 3);
    expect(await order(line)).toEqual(['M005', 'M002', 'M001', 'M003', 'M004']);
    const audit = await h.db.query(
      `SELECT action, actor_kind, from_state, to_state, detail FROM queue.ticket_action WHERE ticket_id = $1 AND action = 'MOVED'`,
      [ids[0]],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toEqual({
      action: 'MOVED',
      actor_kind: 'user',
      from_state: 'NEW',
      to_state: 'NEW',
      detail: { from: 1, to: 3 },
    });
    // Call-next follows the new order.
    const called = await h.as<{ callNext: { number: string } }>(
      'staff',
      `mutation($l: ID!) { callNext(lineId: $l) { number } }`,
      { l: line },
    );
    expect(called.callNext.number).toBe('M005');
  });

  it('refuses called, parked and served tickets and bad positions, changing nothing', async () => {
    const { line, ids } = await lineWith(3);
    await h.as('staff', `mutation($id: ID!) { callTicket(id: $id) { id } }`, { id: ids[0] });
    await h.as('staff', `mutation($id: ID!) { parkTicket(id: $id) { id } }`, { id: ids[1] });
    const before = await h.db.query(`SELECT id, queued_at FROM queue.ticket WHERE line_id = $1 ORDER BY id`, [line]);
    for (const id of [ids[0]!, ids[1]!]) {
      const res = await tryMove(id, 1);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'TICKET_STATE' });
    }
    await h.as('staff', `mutation($id: ID!) { markTicketServed(id: $id) { id } }`, { id: ids[0] });
    expect((await tryMove(ids[0]!, 1)).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
    expect((await tryMove(ids[2]!, 0)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await tryMove('00000000-0000-4000-8000-00000000ffff', 1)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const after = await h.db.query(`SELECT id, queued_at FROM queue.ticket WHERE line_id = $1 ORDER BY id`, [line]);
    expect(after.rows).toEqual(before.rows);
    expect(await h.count('ticket_action', `action = 'MOVED' AND ticket_id = ANY($1)`, [ids])).toBe(0);
  });

  it('is race-safe with call-next: concurrent moves and calls never call a ticket twice or lose one', async () => {
    const { line, ids } = await lineWith(12);
    const staff = await h.token('staff');
    const calls = Array.from({ length: 8 }, () =>
      h.gql<{ callNext: { id: string } | null }>(
        `mutation($l: ID!) { callNext(lineId: $l) { id } }`,
        { l: line },
        staff,
      ),
    );
    const moves = ids
      .slice(6)
      .map((id, i) =>
        h.gql(
          `mutation($id: ID!, $p: Int!) { moveTicket(id: $id, position: $p) { id } }`,
          { id, p: (i % 3) + 1 },
          staff,
        ),
      );
    const results = await Promise.all([...calls, ...moves]);
    const called = results
      .slice(0, 8)
      .map((r) => (r.data as { callNext: { id: string } | null }).callNext?.id)
      .filter(Boolean);
    expect(results.slice(0, 8).flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(called).toHaveLength(8);
    expect(new Set(called).size).toBe(8);
    // Every move either happened or met a ticket already called (CONFLICT); nothing else.
    for (const r of results.slice(8)) {
      if (r.errors?.length) expect(r.errors[0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'TICKET_STATE' });
    }
    expect(await h.count('ticket', `line_id = $1 AND state = 'CALLED'`, [line])).toBe(8);
    expect(await h.count('ticket', `line_id = $1 AND state = 'NEW'`, [line])).toBe(4);
    expect(await order(line)).toHaveLength(4);
  });

  it('is for clerks only', async () => {
    const { ids } = await lineWith(2);
    const res = await h.gql(
      `mutation($id: ID!) { moveTicket(id: $id, position: 1) { id } }`,
      { id: ids[1] },
      await h.token('hqViewer'),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
