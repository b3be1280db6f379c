import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VisitorScope } from './scope.js';
import { OTHER_STORE, STORE_1, startVisitor, type VisitorHarness, type Who } from './testing/harness.js';

type Caller = Exclude<Who, 'otherAdmin' | 'otherStaff'> | 'anonymous';
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
type Outcome = 'ok' | 'none' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'NOT_FOUND';

interface Operation {
  name: string;
  query: string;
  vars?: (h: VisitorHarness) => Promise<Record<string, unknown>>;
  pick: (data: Record<string, unknown>) => unknown;
  expect: Record<Caller, Outcome>;
}

/** Everyone refused (displays never see anything here) except those named. */
const only = (allowed: Partial<Record<Caller, Outcome>>): Record<Caller, Outcome> =>
  ({ ...Object.fromEntries(WHO.map((w) => [w, 'FORBIDDEN'])), anonymous: 'UNAUTHENTICATED', ...allowed }) as Record<
    Caller,
    Outcome
  >;
const AGGREGATES = only({ hqAdmin: 'ok', hqEditor: 'ok', hqViewer: 'ok', partnerRead: 'ok', partnerWrite: 'ok' });

const pick = (field: string) => (d: Record<string, unknown>) => d[field];
let seq = 0;
const next = () => `${++seq}-${randomUUID().slice(0, 6)}`;
/** A consenting visitor checked in at store 1 by its staff. */
const visitor = async (h: VisitorHarness) =>
  h.checkIn({
    identifiers: [{ kind: 'APP_ID', value: `auth-${next()}` }],
    name: 'Matrix Visitor',
    consents: [{ purpose: 'PERSONALISED_SCREENS', granted: true }],
  });

const OPERATIONS: Operation[] = [
  { name: 'segments', query: `{ segments { id key size } }`, pick: () => 'ok', expect: AGGREGATES },
  {
    name: 'visitorReport',
    query: `{ visitorReport { profiles checkIns } }`,
    pick: pick('visitorReport'),
    expect: AGGREGATES,
  },
  {
    name: 'createSegment (HQ admins and editors)',
    query: `mutation($i: CreateSegmentInput!) { createSegment(input: $i) { id } }`,
    vars: async () => ({ i: { key: `seg-${next()}`, name: 'S', kind: 'IMPORTED' } }),
    pick: pick('createSegment'),
    expect: only({ hqAdmin: 'ok', hqEditor: 'ok' }),
  },
  {
    name: 'importSegmentMembers (visitor:write, HQ admins)',
    query: `mutation($k: String!) { importSegmentMembers(segmentKey: $k, members: [{ kind: LOYALTY_ID, value: "L-1" }]) { added alreadyMembers } }`,
    vars: async () => ({ k: 'matrix-imported' }),
    pick: pick('importSegmentMembers'),
    expect: only({ hqAdmin: 'ok', partnerWrite: 'ok' }),
  },
  {
    name: 'recordVisitorConsent (visitor:write, HQ admins)',
    query: `mutation { recordVisitorConsent(input: { identifier: { kind: EMAIL, value: "m@example.com" }, purpose: SMS, granted: true }) { visitorId } }`,
    pick: pick('recordVisitorConsent'),
    expect: only({ hqAdmin: 'ok', partnerWrite: 'ok' }),
  },
  {
    name: 'checkInVisitor in store 1 (its people and kiosks, booking partners)',
    query: `mutation($i: CheckInVisitorInput!) { checkInVisitor(input: $i) { checkInId } }`,
    vars: async () => ({
      i: { storeId: STORE_1, source: 'KIOSK', identifiers: [{ kind: 'APP_ID', value: `ci-${next()}` }] },
    }),
    pick: pick('checkInVisitor'),
    expect: only({ manager: 'ok', staff: 'ok', kiosk: 'ok', partnerWrite: 'ok' }),
  },
  {
    name: 'visitorCheckIns of store 1 (its own staff only)',
    query: `query($s: ID!) { visitorCheckIns(storeId: $s) { id card { name badges { key } } } }`,
    vars: async (h) => (await visitor(h), { s: STORE_1 }),
    pick: pick('visitorCheckIns'),
    expect: only({ manager: 'ok', staff: 'ok' }),
  },
  {
    name: 'addVisitorNote (the store’s staff)',
    query: `mutation($i: VisitorNoteInput!) { addVisitorNote(input: $i) { id card { notes { text } } } }`,
    vars: async (h) => ({ i: { checkInId: (await visitor(h)).checkInId, text: 'note' } }),
    pick: pick('addVisitorNote'),
    expect: only({ manager: 'ok', staff: 'ok', staffStore2: 'NOT_FOUND' }),
  },
  {
    name: 'visitor (HQ admins)',
    query: `query($id: ID!) { visitor(id: $id) { id name } }`,
    vars: async (h) => ({ id: (await visitor(h)).visitorId }),
    pick: pick('visitor'),
    expect: only({ hqAdmin: 'ok' }),
  },
  {
    name: 'exportVisitor (HQ admins)',
    query: `mutation($id: ID!) { exportVisitor(id: $id) }`,
    vars: async (h) => ({ id: (await visitor(h)).visitorId }),
    pick: pick('exportVisitor'),
    expect: only({ hqAdmin: 'ok' }),
  },
  {
    name: 'eraseVisitor (HQ admins)',
    query: `mutation($id: ID!) { eraseVisitor(id: $id) { id } }`,
    vars: async (h) => ({ id: (await visitor(h)).visitorId }),
    pick: pick('eraseVisitor'),
    expect: only({ hqAdmin: 'ok' }),
  },
  {
    name: 'visitorAudit (HQ admins)',
    query: `{ visitorAudit(first: 5) { action } }`,
    pick: pick('visitorAudit'),
    expect: only({ hqAdmin: 'ok' }),
  },
];

let h: VisitorHarness;
beforeAll(async () => {
  h = await startVisitor();
  await h.as(
    'hqAdmin',
    `mutation { createSegment(input: { key: "matrix-imported", name: "M", kind: IMPORTED }) { id } }`,
  );
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

describe(VisitorScope.name, () => {
  const cases = OPERATIONS.flatMap((op) => WHO.map((who) => [op.name, who, op.expect[who], op] as const));
  it.each(cases)('%s as %s → %s', async (_name, who, expected, op) => {
    expect(await outcome(op, who)).toBe(expected);
  });

  it('staff see a card only for visitors who consent, and no card once consent is withdrawn', async () => {
    const consenting = await visitor(h);
    const silent = await h.checkIn({
      identifiers: [{ kind: 'APP_ID', value: `silent-${next()}` }],
      name: 'Sid Silent',
    });
    const LIST = `query($s: ID!) { visitorCheckIns(storeId: $s) { id card { name } } }`;
    const list = async () =>
      (await h.as<{ visitorCheckIns: { id: string; card: { name: string } | null }[] }>('staff', LIST, { s: STORE_1 }))
        .visitorCheckIns;
    let rows = await list();
    expect(rows.find((r) => r.id === consenting.checkInId)?.card).toEqual({ name: 'Matrix Visitor' });
    expect(rows.find((r) => r.id === silent.checkInId)).toEqual({ id: silent.checkInId, card: null });
    // Withdrawn through the desk: the next list shows no card.
    const { visitor: v } = await h.as<{ visitor: { identifiers: { kind: string; value: string }[] } }>(
      'hqAdmin',
      `query($id: ID!) { visitor(id: $id) { identifiers { kind value } } }`,
      { id: consenting.visitorId },
    );
    await h.checkIn({ identifiers: v.identifiers, consents: [{ purpose: 'PERSONALISED_SCREENS', granted: false }] });
    rows = await list();
    expect(rows.find((r) => r.id === consenting.checkInId)?.card).toBeNull();
  });

  it('blocks the other tenant: its admin finds no visitor or segment of ours, its staff cannot check in here', async () => {
    const ours = await visitor(h);
    const other = await h.gql(
      `query($id: ID!) { visitor(id: $id) { id } }`,
      { id: ours.visitorId },
      await h.token('otherAdmin'),
    );
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const segments = await h.as<{ segments: { key: string }[] }>('otherAdmin', `{ segments { key } }`);
    expect(segments.segments).toEqual([]);
    const imported = await h.failure(
      'otherAdmin',
      `mutation { importSegmentMembers(segmentKey: "matrix-imported", members: [{ kind: LOYALTY_ID, value: "L-1" }]) { added } }`,
    );
    expect(imported.code).toBe('NOT_FOUND');
    const checkIn = await h.failure('otherStaff', h.CHECK_IN, {
      i: { storeId: STORE_1, source: 'DESK', identifiers: [{ kind: 'APP_ID', value: 'x' }] },
    });
    expect(checkIn.code).toBe('FORBIDDEN');
    // The same identifier in the other tenant is another visitor: keyed hashes differ per tenant.
    const phone = { kind: 'PHONE', value: '+447700900999' };
    const mine = await h.checkIn({ identifiers: [phone] });
    const theirs = await h.as<{ checkInVisitor: { visitorId: string } }>('otherStaff', h.CHECK_IN, {
      i: { storeId: OTHER_STORE, source: 'DESK', identifiers: [phone] },
    });
    expect(theirs.checkInVisitor.visitorId).not.toBe(mine.visitorId);
    const hashes = await h.rows<{ hash: string }>(
      `SELECT "hash" FROM "visitor"."identifier" WHERE "profile_id" = ANY($1)`,
      [[mine.visitorId, theirs.checkInVisitor.visitorId]],
    );
    expect(new Set(hashes.map((r) => r.hash)).size).toBe(2);
  });
});
