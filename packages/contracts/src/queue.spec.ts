import { describe, expect, it } from 'vitest';
import { queueLineEventV1, queueTicketEventV1 } from './queue.js';

const TENANT = '00000000-0000-4000-8000-000000000001';
const STORE = '00000000-0000-4000-8000-0000000005a1';
const LINE = '00000000-0000-4000-8000-00000000e001';
const TICKET = '00000000-0000-4000-8000-00000000f001';

const ticketEvent = () => ({
  type: 'TicketChanged',
  eventId: '00000000-0000-4000-8000-00000000abcd',
  action: 'CALLED',
  occurredAt: '2030-03-12T10:05:00.000Z',
  actorKind: 'user',
  previousState: 'NEW',
  fromLineId: null,
  ticket: {
    id: TICKET,
    tenantId: TENANT,
    storeId: STORE,
    lineId: LINE,
    deskId: null,
    number: 'A001',
    day: '2030-03-12',
    state: 'CALLED',
    parked: false,
    source: 'REMOTE',
    queuedAt: '2030-03-12T10:00:00.000Z',
    createdAt: '2030-03-12T10:00:00.000Z',
    calledAt: '2030-03-12T10:05:00.000Z',
    recalledAt: null,
    recallCount: 0,
    parkedAt: null,
    servedAt: null,
    noShowAt: null,
    cancelledAt: null,
    updatedAt: '2030-03-12T10:05:00.000Z',
  },
});

// What the first consumer (campaign's queue conditions) was written against: the fields before the optional ones.
const lineEventV1First = () => ({
  tenantId: TENANT,
  storeId: STORE,
  lineId: LINE,
  open: true,
  waiting: 7,
  estimatedWaitMinutes: 12,
  occurredAt: '2030-03-12T10:05:00.000Z',
});
const lineEventFull = () => ({
  ...lineEventV1First(),
  version: 42,
  parked: 1,
  called: 2,
  staffedDesks: 2,
  name: 'Returns',
  archived: false,
  timezone: 'Europe/London',
  openingHours: [{ day: 'MON', opens: '09:00', closes: '18:00' }],
  cause: { ticketId: TICKET, action: 'CALLED' },
});
type Mutable = Record<string, unknown> & { ticket: Record<string, unknown> };

describe('queue.ticket.v1', () => {
  it('parses a ticket change as the queue writes it', () => {
    const parsed = queueTicketEventV1.schema.parse(ticketEvent());
    expect(parsed).toMatchObject({ action: 'CALLED', ticket: { number: 'A001', state: 'CALLED' } });
    expect(queueTicketEventV1.topic).toBe('queue.ticket.v1');
  });

  it('has no place for personal data: a visitor’s name or phone added by mistake is dropped', () => {
    const event = ticketEvent() as Mutable;
    event.ticket['visitorName'] = 'Grace';
    event.ticket['visitorPhone'] = '+447700900123';
    expect(JSON.stringify(queueTicketEventV1.schema.parse(event))).not.toMatch(/Grace|7700900123/);
  });

  it.each<[string, (e: Mutable) => void]>([
    ['an unknown state', (e) => void (e.ticket['state'] = 'WAITING')],
    ['an unknown action', (e) => void (e['action'] = 'TELEPORTED')],
    ['a day that is not a date', (e) => void (e.ticket['day'] = '12/03/2030')],
    ['a missing tenant', (e) => delete e.ticket['tenantId']],
    ['an instant without an offset', (e) => void (e.ticket['calledAt'] = '2030-03-12 10:05')],
    ['a negative recall count', (e) => void (e.ticket['recallCount'] = -1)],
    ['an actor by id', (e) => void (e['actorKind'] = 'user:1234')],
  ])('rejects %s', (_what, breakIt) => {
    const event = ticketEvent() as Mutable;
    breakIt(event);
    expect(queueTicketEventV1.schema.safeParse(event).success).toBe(false);
  });
});

describe('queue.line.v1', () => {
  it('parses the full state the queue writes, and still the first shape its consumers were written for', () => {
    expect(queueLineEventV1.schema.parse(lineEventFull())).toMatchObject({
      waiting: 7,
      version: 42,
      timezone: 'Europe/London',
    });
    expect(queueLineEventV1.schema.parse(lineEventV1First())).toMatchObject({ waiting: 7, estimatedWaitMinutes: 12 });
    expect(queueLineEventV1.schema.parse({ ...lineEventV1First(), open: false, estimatedWaitMinutes: null }).open).toBe(
      false,
    );
  });

  it('takes a line that closes at 24:00 (open all day), which lines accept', () => {
    const allDay = { ...lineEventFull(), openingHours: [{ day: 'MON', opens: '00:00', closes: '24:00' }] };
    expect(queueLineEventV1.schema.safeParse(allDay).success).toBe(true);
  });

  it.each<[string, (e: Record<string, unknown>) => void]>([
    ['a negative waiting count', (e) => void (e['waiting'] = -1)],
    ['a fractional estimate', (e) => void (e['estimatedWaitMinutes'] = 2.5)],
    ['a version of 0', (e) => void (e['version'] = 0)],
    ['hours not in HH:MM', (e) => void (e['openingHours'] = [{ day: 'MON', opens: '9am', closes: '18:00' }])],
    ['opening at 24:00', (e) => void (e['openingHours'] = [{ day: 'MON', opens: '24:00', closes: '24:00' }])],
    ['a cause with an unknown action', (e) => void (e['cause'] = { ticketId: TICKET, action: 'NOPE' })],
    ['a missing line id', (e) => delete e['lineId']],
  ])('rejects %s', (_what, breakIt) => {
    const event = lineEventFull() as Record<string, unknown>;
    breakIt(event);
    expect(queueLineEventV1.schema.safeParse(event).success).toBe(false);
  });
});
