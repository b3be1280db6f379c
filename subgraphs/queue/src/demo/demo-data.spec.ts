import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_1, startQueue, type QueueHarness } from '../testing/harness.js';
import {
  DEMO_APPOINTMENTS,
  DEMO_ORDERS,
  DEMO_STORES,
  DEMO_TICKETS,
  demoLineId,
  demoStoreId,
  seedDemoData,
} from './demo-data.js';

let h: QueueHarness;
beforeAll(async () => {
  h = await startQueue({}, { demoData: true });
});
afterAll(async () => {
  await h?.stop();
});

const TABLES = {
  line: '"id"',
  desk: '"id"',
  ticket: '"id"',
  ticket_action: '"id"',
  line_counter: '"line_id", "day"',
  appointment: '"id"',
  collect_order: '"id"',
};

/** Every row the demo data writes, as stored. */
async function rows(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(TABLES)) {
    out[table] = (await h.db.query(`SELECT * FROM "queue"."${table}" ORDER BY ${order}`)).rows;
  }
  return out;
}

interface Board {
  tickets: { number: string; state: string; visitorName: string | null; line: { name: string } }[];
}

describe(seedDemoData.name, () => {
  it('gives every demo store lines and desks, and London waiting tickets; a restart changes no row', async () => {
    const first = await rows();
    // Information and Returns everywhere, Tellers in Dublin, Click & Collect in London.
    expect(first.line).toHaveLength(DEMO_STORES.length * 2 + 2);
    expect(first.appointment).toHaveLength(DEMO_APPOINTMENTS.length);
    expect(first.collect_order).toHaveLength(DEMO_ORDERS.length);
    expect(first.desk).toHaveLength(DEMO_STORES.length * 2);
    expect(first.ticket).toHaveLength(DEMO_TICKETS.length);
    expect(first.ticket_action).toHaveLength(DEMO_TICKETS.length);
    for (const s of DEMO_STORES) {
      const lines = first.line!.filter((l) => (l as { store_id: string }).store_id === demoStoreId(s.n));
      expect(lines.map((l) => (l as { prefix: string }).prefix)).toEqual(
        expect.arrayContaining(s.n === 3 ? ['A', 'R', 'T'] : ['A', 'R']),
      );
    }
    // Names are sealed at rest, never plain.
    for (const t of first.ticket as { visitor_name: string; store_id: string }[]) {
      expect(t.visitor_name).toMatch(/^v1:/);
      expect(DEMO_TICKETS.map((d) => d.name)).not.toContain(t.visitor_name);
      expect(t.store_id).toBe(STORE_1);
    }

    await h.service.stop();
    await h.service.start();
    expect(await rows()).toEqual(first);
  });

  it('numbers London’s tickets per line on the store’s own day, and shows them with names to its staff', async () => {
    const { tickets } = await h.as<Board>(
      'staff',
      `query($s: ID!) { tickets(storeId: $s) { number state visitorName line { name } } }`,
      { s: STORE_1 },
    );
    // The harness clock is 10:00 in London on 2030-03-12.
    expect(tickets).toEqual(
      [
        ['A001', 'Ada Lovelace', 'Information'],
        ['R001', 'Alan Turing', 'Returns'],
        ['A002', 'Grace Hopper', 'Information'],
        ['A003', 'Katherine Johnson', 'Information'],
        ['R002', 'Edsger Dijkstra', 'Returns'],
      ].map(([number, visitorName, line]) => ({ number, state: 'NEW', visitorName, line: { name: line } })),
    );
    const days = await h.db.query(`SELECT DISTINCT "day"::text AS day FROM "queue"."ticket"`);
    expect(days.rows).toEqual([{ day: '2030-03-12' }]);
    // Displays see the board without names.
    const board = await h.as<Board>('device', `query($s: ID!) { tickets(storeId: $s) { visitorName } }`, {
      s: STORE_1,
    });
    expect(board.tickets.map((t) => t.visitorName)).toEqual(DEMO_TICKETS.map(() => null));
  });

  it('lets staff carry on where the demo left off', async () => {
    const id = await h.addTicket(demoLineId(1, 1), { visitorName: 'New visitor' });
    const { ticket } = await h.as<{ ticket: { number: string } }>(
      'staff',
      `query($id: ID!) { ticket(id: $id) { number } }`,
      {
        id,
      },
    );
    expect(ticket.number).toBe('A004');
    const { queueDesks } = await h.as<{ queueDesks: { name: string }[] }>(
      'staff',
      `query($s: ID!) { queueDesks: desks(storeId: $s) { name } }`,
      { s: STORE_1 },
    );
    expect(queueDesks.map((d) => d.name).sort()).toEqual(['Desk 1', 'Returns counter']);
  });

  it('books London’s next Information slots and puts collect orders up that check in with their demo codes', async () => {
    // 10:00 in London: the first slot at least half an hour ahead is 10:40 (20-minute slots from 09:00).
    const { appointments } = await h.as<{ appointments: { start: string; visitorName: string; state: string }[] }>(
      'staff',
      `query($s: ID!) { appointments(storeId: $s, day: "2030-03-12") { start visitorName state } }`,
      { s: STORE_1 },
    );
    expect(appointments).toEqual(
      DEMO_APPOINTMENTS.map((a, i) => ({
        start: new Date(Date.parse('2030-03-12T10:40:00Z') + i * 20 * 60_000).toISOString(),
        visitorName: a.name,
        state: 'BOOKED',
      })),
    );
    const { checkIn } = await h.as<{ checkIn: { ticket: { lineId: string; collectOrder: { reference: string } } } }>(
      'staff',
      `mutation($c: String!) { checkIn(code: $c) { ticket { lineId collectOrder { reference } } } }`,
      { c: DEMO_ORDERS[0].code },
    );
    expect(checkIn.ticket).toEqual({ lineId: demoLineId(1, 4), collectOrder: { reference: DEMO_ORDERS[0].reference } });
  });

  it('writes nothing on a restart the next day either: the tickets keep their day and numbers', async () => {
    const before = await rows();
    h.clock.advance(24 * 3_600_000);
    await h.service.stop();
    await h.service.start();
    expect(await rows()).toEqual(before);
  });
});
