import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGER_USER, STAFF_USER, STORE_1, STORE_2, startQueue, type QueueHarness } from '../../testing/harness.js';
import { DeskResolver } from './desk.resolver.js';

let h: QueueHarness;
beforeAll(async () => {
  h = await startQueue();
});
afterAll(async () => {
  await h?.stop();
});

const ASSIGN = `mutation($d: ID!, $u: ID) { assignDesk(deskId: $d, userId: $u) { staffUserId staffedAt } }`;

describe(DeskResolver.name, () => {
  it('creates desks serving some lines of its store, and refuses lines of another store', async () => {
    const line = await h.createLine(STORE_1);
    const elsewhere = await h.createLine(STORE_2);
    const id = await h.createDesk(STORE_1, [line], 'manager');
    const { desks } = await h.as<{ desks: { id: string; lineIds: string[] }[] }>(
      'staff',
      `query($s: ID!) { desks(storeId: $s) { id lineIds } }`,
      {
        s: STORE_1,
      },
    );
    expect(desks.find((d) => d.id === id)?.lineIds).toEqual([line]);
    const res = await h.gql(
      `mutation($i: CreateDeskInput!) { createDesk(input: $i) { id } }`,
      { i: { storeId: STORE_1, name: 'D', lineIds: [elsewhere] } },
      await h.token('hqAdmin'),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lets staff sign themselves in and out, and managers assign anyone', async () => {
    const desk = await h.createDesk(STORE_1);
    const self = await h.as<{ assignDesk: { staffUserId: string; staffedAt: string } }>('staff', ASSIGN, {
      d: desk,
      u: STAFF_USER,
    });
    expect(self.assignDesk).toEqual({ staffUserId: STAFF_USER, staffedAt: new Date(h.clock.now()).toISOString() });
    const someoneElse = await h.gql(ASSIGN, { d: desk, u: MANAGER_USER }, await h.token('staff'));
    expect(someoneElse.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(
      (await h.as<{ assignDesk: { staffUserId: string | null } }>('staff', ASSIGN, { d: desk, u: null })).assignDesk
        .staffUserId,
    ).toBeNull();
    expect(
      (await h.as<{ assignDesk: { staffUserId: string } }>('manager', ASSIGN, { d: desk, u: MANAGER_USER })).assignDesk
        .staffUserId,
    ).toBe(MANAGER_USER);
    // Staff cannot sign someone else out either.
    const signOut = await h.gql(ASSIGN, { d: desk, u: null }, await h.token('staff'));
    expect(signOut.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await h.count('desk', `id = $1 AND staff_user_id = $2`, [desk, MANAGER_USER])).toBe(1);
  });

  it('archives a desk: it leaves the list, is signed out and cannot call', async () => {
    const line = await h.createLine(STORE_1);
    const desk = await h.createDesk(STORE_1);
    await h.as('manager', ASSIGN, { d: desk, u: MANAGER_USER });
    await h.as('manager', `mutation($id: ID!) { archiveDesk(id: $id) { id } }`, { id: desk });
    expect(await h.count('desk', `id = $1 AND staff_user_id IS NULL AND archived_at IS NOT NULL`, [desk])).toBe(1);
    await h.addTicket(line);
    const call = await h.gql(
      `mutation($l: ID!, $d: ID) { callNext(lineId: $l, deskId: $d) { id } }`,
      { l: line, d: desk },
      await h.token('staff'),
    );
    expect(call.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DESK_ARCHIVED' });
    expect(await h.count('ticket', `line_id = $1 AND state = 'NEW'`, [line])).toBe(1);
  });
});
