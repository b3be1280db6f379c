import { queueLineEventV1, type QueueLineEventV1 } from '@phub/contracts';
import { type BusSubscription, DEMO_TENANT_ID } from '@phub/kit';
import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueTopic } from '../../events.js';
import { OTHER_STORE, STORE_1, STORE_2, STORE_HOURS, startQueue, type QueueHarness } from '../../testing/harness.js';
import { isOpenAt, invalidWindow } from './line.hours.js';
import { LineResolver } from './line.resolver.js';
import { LineService } from './line.service.js';

let h: QueueHarness;
beforeAll(async () => {
  h = await startQueue();
});
afterAll(async () => {
  await h?.stop();
});

const LINE = `query($id: ID!) { line(id: $id) { id name prefix isOpen waiting capacity openingHours { day opens closes } store { id } } }`;

describe(LineResolver.name, () => {
  it('creates a line in a known store of the tenant and lists it on the store (federated Store entity)', async () => {
    const id = await h.createLine(STORE_1, { name: 'Returns', prefix: 'R', capacity: 30 }, 'manager');
    const { line } = await h.as<{ line: Record<string, unknown> }>('staff', LINE, { id });
    expect(line).toMatchObject({
      id,
      name: 'Returns',
      prefix: 'R',
      capacity: 30,
      openingHours: null,
      store: { id: STORE_1 },
    });
    const res = await h.as<{ _entities: { queueLines: { id: string }[] }[] }>(
      'staff',
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Store { queueLines { id } } } }`,
      { r: [{ __typename: 'Store', id: STORE_1 }] },
    );
    expect(res._entities[0]!.queueLines.map((l) => l.id)).toContain(id);
  });

  it('refuses unknown stores, other tenants’ stores, bad prefixes and backwards hours with stable codes', async () => {
    const create = async (i: Record<string, unknown>, who: 'hqAdmin' | 'manager' = 'hqAdmin') =>
      h.gql(`mutation($i: CreateLineInput!) { createLine(input: $i) { id } }`, { i }, await h.token(who));
    const unknown = await create({ storeId: '00000000-0000-4000-8000-0000000005ff', name: 'X', prefix: 'X' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const foreign = await create({ storeId: OTHER_STORE, name: 'X', prefix: 'X' });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const prefix = await create({ storeId: STORE_1, name: 'X', prefix: 'a1' });
    expect(prefix.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const hours = await create({
      storeId: STORE_1,
      name: 'X',
      prefix: 'X',
      openingHours: [{ day: 'MON', opens: '18:00', closes: '09:00' }],
    });
    expect(hours.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const otherStore = await create({ storeId: STORE_2, name: 'X', prefix: 'X' }, 'manager');
    expect(otherStore.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await h.count('line', `name = 'X'`)).toBe(0);
  });

  it('is open by its own hours, else the store’s, in the store’s time zone', async () => {
    // T0 is Tuesday 10:00 in London (UTC+0 in March) and 06:00 in New York (UTC-4).
    const london = await h.createLine(STORE_1);
    const newYork = await h.createLine(STORE_2);
    const evening = await h.createLine(STORE_1, { openingHours: [{ day: 'TUE', opens: '17:00', closes: '21:00' }] });
    const open = async (id: string) => (await h.as<{ line: { isOpen: boolean } }>('hqAdmin', LINE, { id })).line.isOpen;
    expect([await open(london), await open(newYork), await open(evening)]).toEqual([true, false, false]);
    h.clock.advance(8 * 3_600_000); // 18:00 London, 14:00 New York
    expect([await open(london), await open(newYork), await open(evening)]).toEqual([false, true, true]);
  });

  // Runs after the clock moved to Tuesday 18:00 UTC.
  it('follows location: a store moving zone changes when its lines open', async () => {
    const id = await h.createLine(STORE_2);
    const before = (await h.as<{ line: { isOpen: boolean } }>('hqAdmin', LINE, { id })).line.isOpen;
    await h.publishStore(STORE_2, DEMO_TENANT_ID, 'Asia/Tokyo', [{ day: 'WED', opens: '00:00', closes: '23:59' }]);
    await waitFor(async () => (await h.count('known_store', `timezone = 'Asia/Tokyo'`)) === 1);
    const after = (await h.as<{ line: { isOpen: boolean } }>('hqAdmin', LINE, { id })).line.isOpen;
    // Tuesday 18:00 UTC is Wednesday 03:00 in Tokyo.
    expect([before, after]).toEqual([true, true]);
    await h.publishStore(STORE_2, DEMO_TENANT_ID, 'America/New_York');
    await waitFor(async () => (await h.count('known_store', `timezone = 'America/New_York'`)) === 1);
  });

  it('updates and archives; an archived line leaves the store’s list', async () => {
    const id = await h.createLine(STORE_1, {}, 'manager');
    const upd = await h.as<{ updateLine: { name: string; prefix: string } }>(
      'manager',
      `mutation($i: UpdateLineInput!) { updateLine(input: $i) { name prefix } }`,
      { i: { id, name: 'Payments', prefix: 'P' } },
    );
    expect(upd.updateLine).toEqual({ name: 'Payments', prefix: 'P' });
    await h.as('manager', `mutation($id: ID!) { archiveLine(id: $id) { id } }`, { id });
    const list = await h.as<{ queueLines: { id: string }[] }>(
      'staff',
      `query($s: ID!) { queueLines(storeId: $s) { id } }`,
      {
        s: STORE_1,
      },
    );
    expect(list.queueLines.map((l) => l.id)).not.toContain(id);
  });
});

describe(`${LineService.name}: settings changes on the bus (queue.line.v1)`, () => {
  let subscription: BusSubscription;
  const events: { value: unknown; parsed: QueueLineEventV1 }[] = [];
  beforeAll(async () => {
    // A consumer as campaign's queue-line projection is: its own group, the shared contract.
    subscription = await h.infra.bus.subscribe({
      groupId: 'line-settings-test',
      topics: [QueueTopic.line],
      fromBeginning: true,
      handler: async (m) => {
        events.push({ value: m.value, parsed: queueLineEventV1.schema.parse(m.value) });
      },
    });
  });
  afterAll(() => subscription?.close());
  const ofLine = (id: string) => events.filter((e) => e.parsed.lineId === id).map((e) => e.parsed);
  const update = async (i: Record<string, unknown>, who: 'manager' | 'staff' = 'manager') =>
    h.gql(`mutation($i: UpdateLineInput!) { updateLine(input: $i) { id } }`, { i }, await h.token(who));

  it('emits the line’s whole state on creation and on every settings change, through the outbox', async () => {
    h.clock.set(Date.parse('2030-03-19T10:00:00Z')); // the next Tuesday, 10:00 in London: the store is open
    const line = await h.createLine(STORE_1, { name: 'Mortgages', prefix: 'M', capacity: 10 }, 'manager');
    await h.addTicket(line);
    const steps: Record<string, unknown>[] = [
      { name: 'Mortgage advice' },
      { openingHours: [{ day: 'TUE', opens: '14:00', closes: '18:00' }] },
      { capacity: 20 },
      { slotMinutes: 30, slotCapacity: 2 },
      { openingHours: [] },
    ];
    for (const step of steps) expect((await update({ id: line, ...step })).errors).toBeUndefined();
    await h.as('manager', `mutation($id: ID!) { archiveLine(id: $id) { id } }`, { id: line });
    await h.as('manager', `mutation($id: ID!) { archiveLine(id: $id) { id } }`, { id: line }); // no change
    await waitFor(() => ofLine(line).length === 8, { message: 'the line states on the bus' });
    // Each as the contract has it, nothing more (its consumers parse with it).
    for (const e of events.filter((x) => x.parsed.lineId === line)) expect(e.parsed).toEqual(e.value);
    expect(
      ofLine(line).map((e) => [e.version, e.cause?.action ?? null, e.name, e.open, e.archived, e.waiting]),
    ).toEqual([
      [1, null, 'Mortgages', true, false, 0],
      [2, 'CREATED', 'Mortgages', true, false, 1],
      [3, null, 'Mortgage advice', true, false, 1],
      [4, null, 'Mortgage advice', false, false, 1], // its own hours: from 14:00
      [5, null, 'Mortgage advice', false, false, 1],
      [6, null, 'Mortgage advice', false, false, 1],
      [7, null, 'Mortgage advice', true, false, 1], // the store's hours again
      [8, null, 'Mortgage advice', false, true, 1],
    ]);
    const [first, , , ownHours, , , storeHours, archived] = ofLine(line);
    expect(first).toMatchObject({ tenantId: DEMO_TENANT_ID, storeId: STORE_1, timezone: 'Europe/London', cause: null });
    expect(first!.estimatedWaitMinutes).toBe(0);
    expect(ownHours!.openingHours).toEqual([{ day: 'TUE', opens: '14:00', closes: '18:00' }]);
    expect(ownHours!.estimatedWaitMinutes).toBeNull();
    expect(storeHours!.openingHours).toEqual(STORE_HOURS);
    expect(archived!.estimatedWaitMinutes).toBeNull();
  });

  it('emits nothing for a refused change', async () => {
    const line = await h.createLine(STORE_1, { prefix: 'N' }, 'manager');
    await waitFor(() => ofLine(line).length === 1, { message: 'the creation' });
    const backwards = await update({ id: line, openingHours: [{ day: 'MON', opens: '18:00', closes: '09:00' }] });
    expect(backwards.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await update({ id: line, name: 'Not mine to rename' }, 'staff')).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    const otherTenant = await h.gql(
      `mutation($i: UpdateLineInput!) { updateLine(input: $i) { id } }`,
      { i: { id: line, name: 'Theirs' } },
      await h.token('otherAdmin'),
    );
    expect(otherTenant.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await update({ id: line, name: 'Renamed' })).errors).toBeUndefined();
    await waitFor(() => ofLine(line).length === 2, { message: 'the rename' });
    expect(ofLine(line).map((e) => [e.version, e.name])).toEqual([
      [1, expect.stringMatching(/^Line /)],
      [2, 'Renamed'],
    ]);
  });
});

describe('a line open all day', () => {
  const allDay = (['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const).map((day) => ({
    day,
    opens: '00:00',
    closes: '24:00',
  }));

  it('closes at 24:00, so it has no gap at 23:59 (London, Tokyo)', () => {
    // 23:59:30 on a Tuesday in London, and the same instant in Tokyo (08:59:30 on Wednesday).
    const lateEvening = Date.parse('2030-03-12T23:59:30Z');
    expect(isOpenAt(allDay, 'Europe/London', lateEvening)).toBe(true);
    expect(isOpenAt(allDay, 'Asia/Tokyo', lateEvening)).toBe(true);
    expect(
      isOpenAt(
        allDay.map((h) => ({ ...h, closes: '23:59' })),
        'Europe/London',
        lateEvening,
      ),
    ).toBe(false);
    expect(invalidWindow(allDay)).toBeNull();
  });
});
