import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueScope } from './scope.js';
import { OTHER_STORE, STAFF_USER, STORE_1, startQueue, type QueueHarness, type Who } from './testing/harness.js';

type Caller = Exclude<Who, 'otherAdmin' | 'otherManager'> | 'anonymous';
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
  ({ ...Object.fromEntries(WHO.map((w) => [w, o])), anonymous: 'UNAUTHENTICATED', ...overrides }) as Record<
    Caller,
    Outcome
  >;
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
    expect: read(),
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
    expect: read({ anonymous: 'ok', staffStore2: 'NOT_FOUND' }),
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
    expect: table('ok', { anonymous: 'ok' }),
  },
  {
    name: 'Store.queueLines (entity)',
    query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Store { queueLines { id } } } }`,
    vars: async () => ({ r: [{ __typename: 'Store', id: STORE_1 }] }),
    pick: (d) => (d._entities as { queueLines: unknown[] }[])[0]!.queueLines,
    // Another subgraph's Store may be fetched by anyone; the queue's part of it is empty unless visible.
    expect: read({ anonymous: 'none', partnerNoScope: 'FORBIDDEN' }),
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
    expect: table('ok', { anonymous: 'ok' }),
  },
];

let h: QueueHarness;
beforeAll(async () => {
  h = await startQueue();
  lineId = await h.createLine(STORE_1, { prefix: 'X' });
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

  describe('across tenants', () => {
    it('another tenant’s admin sees and touches nothing of ours', async () => {
      const other = await h.token('otherAdmin');
      const { id } = await newTicket(h);
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
      ] as const) {
        const res = await h.gql(query, vars, other);
        expect(res.errors?.[0]?.extensions?.code, query).toBe('NOT_FOUND');
      }
      expect(await h.count('ticket', `id = $1 AND state = 'NEW'`, [id])).toBe(1);
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
