import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_1, STORE_2, startQueue, type QueueHarness } from '../../testing/harness.js';
import { TicketResolver } from './ticket.resolver.js';

let h: QueueHarness;
beforeAll(async () => {
  h = await startQueue();
});
afterAll(async () => {
  await h?.stop();
});

const QUEUE = `subscription($s: ID!) { queueUpdated(storeId: $s) { action at ticket { id number state visitorName position } } }`;
const MINE = `subscription($t: String!) { ticketUpdated(token: $t) { id number state deskId calledAt } }`;
interface Update {
  queueUpdated: { action: string; ticket: { id: string; number: string; state: string; visitorName: string | null } };
}

describe(`${TicketResolver.name} live`, () => {
  it('tells a store’s desks and displays, and the visitor, about every change of the ticket (through Redis)', async () => {
    const line = await h.createLine(STORE_1, { prefix: 'L' });
    const desk = h.subscribe<Update>(QUEUE, { s: STORE_1 }, await h.token('staff'));
    const board = h.subscribe<Update>(QUEUE, { s: STORE_1 }, await h.token('device'));
    const elsewhere = h.subscribe<Update>(QUEUE, { s: STORE_2 }, await h.token('hqAdmin'));
    // Subscriptions are set up asynchronously; a first change proves each one listens.
    await waitFor(async () => {
      await h.addTicket(line, { visitorName: 'Probe' });
      return desk.events.length > 0 && board.events.length > 0;
    });
    const joined = await h.gql<{ joinQueue: { token: string; ticket: { id: string } } }>(
      `mutation($l: ID!) { joinQueue(lineId: $l, name: "Ada") { token ticket { id } } }`,
      { l: line },
    );
    const { token, ticket } = joined.data!.joinQueue;
    const mine = h.subscribe<{ ticketUpdated: { id: string; state: string } }>(MINE, { t: token });
    const about = (sub: typeof desk) => () => sub.events.find((e) => e.data?.queueUpdated.ticket.id === ticket.id);
    expect((await waitFor(about(desk))).data?.queueUpdated).toMatchObject({
      action: 'JOINED',
      ticket: { id: ticket.id, state: 'NEW', visitorName: 'Ada' },
    });
    // Displays show the board, not who is in it.
    expect((await waitFor(about(board))).data?.queueUpdated).toMatchObject({ ticket: { visitorName: null } });

    // The visitor's subscription may start after the call below: call until it has heard one.
    let called = false;
    await waitFor(async () => {
      if (!called) {
        await h.as('staff', `mutation($id: ID!) { callTicket(id: $id) { id } }`, { id: ticket.id });
        called = true;
      } else if (!mine.events.length) {
        await h.as('staff', `mutation($id: ID!) { recallTicket(id: $id) { id } }`, { id: ticket.id });
      }
      return mine.events.length > 0;
    });
    expect(mine.events[0]?.data?.ticketUpdated).toMatchObject({ id: ticket.id, state: 'CALLED' });
    await h.as('staff', `mutation($id: ID!) { markTicketServed(id: $id) { id } }`, { id: ticket.id });
    await waitFor(() => mine.events.some((e) => e.data?.ticketUpdated.state === 'SERVED'));
    await waitFor(() => desk.events.some((e) => e.data?.queueUpdated.action === 'SERVED'));
    // Only this ticket's changes reach the visitor; nothing of store 1 reaches store 2's subscriber.
    expect(new Set(mine.events.map((e) => e.data?.ticketUpdated.id))).toEqual(new Set([ticket.id]));
    expect(elsewhere.events).toEqual([]);
    expect(elsewhere.errors).toEqual([]);
    await Promise.all([desk.close(), board.close(), elsewhere.close(), mine.close()]);
  });

  it('refuses subscribers outside the store, anonymous store subscribers and unknown tokens', async () => {
    const other = h.subscribe(QUEUE, { s: STORE_2 }, await h.token('staff'));
    const device = h.subscribe(QUEUE, { s: STORE_2 }, await h.token('device'));
    const anonymous = h.subscribe(QUEUE, { s: STORE_1 });
    const badToken = h.subscribe(MINE, { t: 'x'.repeat(43) });
    for (const [sub, code] of [
      [other, 'FORBIDDEN'],
      [device, 'FORBIDDEN'],
      [anonymous, 'UNAUTHENTICATED'],
      [badToken, 'NOT_FOUND'],
    ] as const) {
      await waitFor(() => sub.errors.length > 0 || sub.events.length > 0);
      expect(JSON.stringify(sub.errors.length ? sub.errors : sub.events)).toContain(code);
    }
  });

  it('narrows to one line with lineId, including a ticket transferred out of it; refuses a line of another store', async () => {
    const mine = await h.createLine(STORE_1, { prefix: 'M' });
    const other = await h.createLine(STORE_1, { prefix: 'O' });
    const ONE = `subscription($s: ID!, $l: ID) { queueUpdated(storeId: $s, lineId: $l) { action ticket { id lineId } } }`;
    type LineUpdate = { queueUpdated: { action: string; ticket: { id: string; lineId: string } } };
    const screen = h.subscribe<LineUpdate>(ONE, { s: STORE_1, l: mine }, await h.token('device'));
    const all = h.subscribe<LineUpdate>(ONE, { s: STORE_1 }, await h.token('staff'));
    // Subscriptions are set up asynchronously; a first change in the line proves both listen.
    await waitFor(async () => {
      await h.addTicket(mine);
      return screen.events.length > 0 && all.events.length > 0;
    });
    const elsewhere = await h.addTicket(other);
    const moved = await h.addTicket(other);
    await h.as('staff', `mutation($id: ID!, $l: ID!) { transferTicket(id: $id, lineId: $l) { id } }`, {
      id: moved,
      l: mine,
    });
    const leaving = await h.addTicket(mine);
    await h.as('staff', `mutation($id: ID!, $l: ID!) { transferTicket(id: $id, lineId: $l) { id } }`, {
      id: leaving,
      l: other,
    });
    await waitFor(() => all.events.filter((e) => e.data?.queueUpdated.action === 'TRANSFERRED').length === 2);
    await waitFor(() => screen.events.filter((e) => e.data?.queueUpdated.action === 'TRANSFERRED').length === 2);
    const seen = screen.events.map((e) => e.data?.queueUpdated.ticket.id);
    expect(seen).not.toContain(elsewhere);
    expect(seen).toContain(moved);
    expect(seen).toContain(leaving);
    expect(all.events.map((e) => e.data?.queueUpdated.ticket.id)).toContain(elsewhere);
    expect(screen.errors).toEqual([]);

    const foreign = await h.createLine(STORE_2, { prefix: 'F' });
    const refused = h.subscribe(ONE, { s: STORE_1, l: foreign }, await h.token('hqAdmin'));
    await waitFor(() => refused.errors.length > 0 || refused.events.length > 0);
    expect(JSON.stringify(refused.errors.length ? refused.errors : refused.events)).toContain('NOT_FOUND');
    await Promise.all([screen.close(), all.close(), refused.close()]);
  });
});
