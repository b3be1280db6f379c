import { queueLineEventV1, type QueueLineEventV1, queueTicketEventV1, type QueueTicketEventV1 } from '@phub/contracts';
import type { BusSubscription } from '@phub/kit';
import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueTopic } from '../../events.js';
import { STORE_1, STORE_HOURS, startQueue, type QueueHarness } from '../../testing/harness.js';
import { TicketEvents } from './ticket.events.js';

let h: QueueHarness;
let subscription: BusSubscription;
const tickets: QueueTicketEventV1[] = [];
const lines: QueueLineEventV1[] = [];
const raw: string[] = [];

beforeAll(async () => {
  h = await startQueue();
  // A consumer as campaign or a report would be: its own group, parsing with the shared contracts.
  subscription = await h.infra.bus.subscribe({
    groupId: 'queue-events-test',
    topics: [QueueTopic.ticket, QueueTopic.line],
    fromBeginning: true,
    handler: async (m) => {
      raw.push(JSON.stringify(m.value));
      if (m.topic === QueueTopic.ticket) tickets.push(queueTicketEventV1.schema.parse(m.value));
      else lines.push(queueLineEventV1.schema.parse(m.value));
    },
  });
});
afterAll(async () => {
  await subscription?.close();
  await h?.stop();
});

const ofTicket = (id: string) => tickets.filter((e) => e.ticket.id === id);
const ofLine = (id: string) => lines.filter((e) => e.lineId === id);

describe(TicketEvents.name, () => {
  it('publishes every ticket change and each touched line’s state through the outbox, in order, without personal data', async () => {
    const line = await h.createLine(STORE_1, { prefix: 'E', name: 'Service desk' });
    const other = await h.createLine(STORE_1, { prefix: 'F', name: 'Returns' });
    const joined = await h.gql<{ joinQueue: { ticket: { id: string } } }>(
      `mutation($l: ID!) { joinQueue(lineId: $l, name: "Grace Hopper", phone: "+447700900777", smsConsent: true) { ticket { id } } }`,
      { l: line },
    );
    const a = joined.data!.joinQueue.ticket.id;
    const b = await h.addTicket(line, { visitorName: 'Alan Turing', note: 'needs a hand' });
    h.clock.advance(60_000);
    await h.as('staff', `mutation($l: ID!) { callNext(lineId: $l) { id } }`, { l: line });
    await h.as('staff', `mutation($id: ID!, $l: ID!) { transferTicket(id: $id, lineId: $l) { id } }`, {
      id: b,
      l: other,
    });
    h.clock.advance(4 * 60_000);
    await h.as('staff', `mutation($id: ID!) { markTicketServed(id: $id) { id } }`, { id: a });

    await waitFor(() => ofTicket(a).length === 3 && ofTicket(b).length === 2 && ofLine(line).length === 6, {
      message: 'the events on the bus',
    });
    expect(ofTicket(a).map((e) => [e.action, e.previousState, e.ticket.state, e.actorKind])).toEqual([
      ['JOINED', null, 'NEW', 'visitor'],
      ['CALLED', 'NEW', 'CALLED', 'user'],
      ['SERVED', 'CALLED', 'SERVED', 'user'],
    ]);
    const served = ofTicket(a)[2]!;
    expect(served.ticket).toMatchObject({ storeId: STORE_1, lineId: line, number: 'E001', source: 'REMOTE' });
    expect(Date.parse(served.ticket.servedAt!) - Date.parse(served.ticket.calledAt!)).toBe(4 * 60_000);
    expect(ofTicket(b).map((e) => [e.action, e.fromLineId, e.ticket.lineId])).toEqual([
      ['CREATED', null, line],
      ['TRANSFERRED', line, other],
    ]);
    expect(new Set(tickets.map((e) => e.eventId)).size).toBe(tickets.length);
    // Names, phones and notes never leave the subgraph.
    expect(raw.join('\n')).not.toMatch(/Grace|Hopper|Alan|Turing|7700900777|needs a hand/);

    // The line's state after each change: versions rise one by one; what campaigns' queue conditions read.
    // The line's creation said it first (modules/line), with no ticket as its cause.
    const [created, ...states] = ofLine(line);
    expect(created).toMatchObject({ version: 1, cause: null, waiting: 0, name: 'Service desk' });
    expect(states.map((e) => e.version)).toEqual([2, 3, 4, 5, 6]);
    expect(states.map((e) => [e.cause?.action, e.waiting, e.called])).toEqual([
      ['JOINED', 1, 0],
      ['CREATED', 2, 0],
      ['CALLED', 1, 1],
      ['TRANSFERRED', 0, 1],
      ['SERVED', 0, 0],
    ]);
    expect(states[1]).toMatchObject({
      tenantId: expect.any(String),
      storeId: STORE_1,
      open: true,
      name: 'Service desk',
      archived: false,
      timezone: 'Europe/London',
      openingHours: STORE_HOURS,
    });
    // Two waiting, nobody staffed, the default 5-minute service: a newcomer waits about 7.5 minutes, rounded up.
    expect(states[1]!.estimatedWaitMinutes).toBe(8);
    expect(ofLine(other).map((e) => [e.cause?.action, e.waiting, e.version])).toEqual([
      [undefined, 0, 1],
      ['TRANSFERRED', 1, 2],
    ]);
  });

  it('announces a line open all day (closing at 24:00) in a shape its consumers accept', async () => {
    const allDay = STORE_HOURS.map((h) => ({ ...h, opens: '00:00', closes: '24:00' }));
    const line = await h.createLine(STORE_1, { prefix: 'G', name: 'All day', openingHours: allDay });
    await h.addTicket(line);
    await waitFor(() => ofLine(line).length === 2, { message: 'the line states on the bus' });
    expect(ofLine(line).map((e) => e.openingHours)).toEqual([allDay, allDay]);
  });

  it('writes nothing for a change that is refused', async () => {
    const line = await h.createLine(STORE_1, { prefix: 'G' });
    const t = await h.addTicket(line);
    await waitFor(() => ofTicket(t).length === 1 && ofLine(line).length === 2, { message: 'the CREATED event' });
    const refused = await h.gql(
      `mutation($id: ID!) { markTicketServed(id: $id) { id } }`,
      { id: t },
      await h.token('staff'),
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await h.as('staff', `mutation($id: ID!) { cancelTicket(id: $id) { id } }`, { id: t });
    await waitFor(() => ofTicket(t).length === 2 && ofLine(line).length === 3, { message: 'the cancellation' });
    expect(ofTicket(t).map((e) => e.action)).toEqual(['CREATED', 'CANCELLED_BY_CLERK']);
    expect(ofLine(line).map((e) => e.version)).toEqual([1, 2, 3]);
  });
});
