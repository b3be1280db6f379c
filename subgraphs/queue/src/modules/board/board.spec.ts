import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_USER, STORE_1, STORE_2, startQueue, type QueueHarness, type Who } from '../../testing/harness.js';
import { BoardService } from './board.service.js';

const BOARD = `query($s: ID!, $n: Int) {
  queueBoard(storeId: $s, next: $n) {
    storeId at
    lines { lineId name prefix isOpen waiting estimatedWaitMinutes next called { number desk calledAt lastCalledAt recallCount } }
  }
}`;

interface BoardLine {
  lineId: string;
  name: string;
  prefix: string;
  isOpen: boolean;
  waiting: number;
  estimatedWaitMinutes: number;
  next: string[];
  called: { number: string; desk: string | null; calledAt: string; lastCalledAt: string; recallCount: number }[];
}
type Board = { queueBoard: { storeId: string; lines: BoardLine[] } };

const VISITOR = { visitorName: 'Grace Hopper', visitorPhone: '+447700900123', note: 'needs a chair' };

describe(BoardService.name, () => {
  let h: QueueHarness;
  let line: string;
  let desk: string;
  const ids: string[] = [];

  beforeAll(async () => {
    h = await startQueue();
    line = await h.createLine(STORE_1, { prefix: 'B', name: 'Returns' });
    const data = await h.as<{ createDesk: { id: string } }>(
      'hqAdmin',
      `mutation($i: CreateDeskInput!) { createDesk(input: $i) { id } }`,
      { i: { storeId: STORE_1, name: 'Desk 3', lineIds: [line] } },
    );
    desk = data.createDesk.id;
    await h.as('manager', `mutation($d: ID!, $u: ID) { assignDesk(deskId: $d, userId: $u) { id } }`, {
      d: desk,
      u: STAFF_USER,
    });
    for (let i = 0; i < 4; i++) ids.push(await h.addTicket(line, VISITOR));
    await h.as('staff', `mutation($id: ID!, $d: ID) { callTicket(id: $id, deskId: $d) { id } }`, {
      id: ids[0],
      d: desk,
    });
    await h.as('staff', `mutation($id: ID!) { parkTicket(id: $id) { id } }`, { id: ids[2] });
  });
  afterAll(async () => h?.stop());

  it('shows the numbers called with their desks, the next waiting numbers and the wait', async () => {
    const board = (await h.as<Board>('device', BOARD, { s: STORE_1, n: 5 })).queueBoard;
    expect(board.storeId).toBe(STORE_1);
    const returns = board.lines.find((l) => l.lineId === line)!;
    expect(returns).toMatchObject({
      name: 'Returns',
      prefix: 'B',
      isOpen: true, // a Tuesday 10:00 in London, within the store's hours
      waiting: 2, // B002 and B004; B003 is parked
      next: ['B002', 'B004'],
      called: [{ number: 'B001', desk: 'Desk 3', recallCount: 0 }],
    });
    expect(returns.estimatedWaitMinutes).toBeGreaterThan(0);
    const limited = (await h.as<Board>('device', BOARD, { s: STORE_1, n: 1 })).queueBoard;
    expect(limited.lines.find((l) => l.lineId === line)!.next).toEqual(['B002']);
  });

  it('a recall moves the number to the top with a new lastCalledAt', async () => {
    h.clock.advance(60_000);
    const second = ids[1]!;
    await h.as('staff', `mutation($id: ID!) { callTicket(id: $id) { id } }`, { id: second });
    h.clock.advance(60_000);
    await h.as('staff', `mutation($id: ID!) { recallTicket(id: $id) { id } }`, { id: ids[0] });
    const returns = (await h.as<Board>('device', BOARD, { s: STORE_1 })).queueBoard.lines.find(
      (l) => l.lineId === line,
    )!;
    expect(returns.called.map((c) => [c.number, c.desk, c.recallCount])).toEqual([
      ['B001', 'Desk 3', 1],
      ['B002', null, 0],
    ]);
    expect(Date.parse(returns.called[0]!.lastCalledAt)).toBe(h.clock.now());
  });

  it('never carries personal data, and its types have no field for it', async () => {
    const res = await h.gql<Board>(BOARD, { s: STORE_1, n: 20 }, await h.token('hqAdmin'));
    const text = JSON.stringify(res);
    for (const secret of Object.values(VISITOR)) expect(text).not.toContain(secret);
    for (const id of ids) expect(text).not.toContain(id);
    const types = await h.as<{ __schema: { types: { name: string; fields: { name: string }[] | null }[] } }>(
      'hqAdmin',
      `{ __schema { types { name fields { name } } } }`,
    );
    const boardTypes = types.__schema.types.filter((t) => t.name.startsWith('QueueBoard'));
    expect(boardTypes.map((t) => t.name).sort()).toEqual(['QueueBoard', 'QueueBoardCall', 'QueueBoardLine']);
    const fields = boardTypes.flatMap((t) => t.fields!.map((f) => f.name));
    expect(fields.filter((f) => /visitor|phone|note|token|id$/i.test(f) && !/^(lineId|storeId)$/.test(f))).toEqual([]);
  });

  describe('who may read it', () => {
    it.each<[Who | 'anonymous' | 'deviceStore2', string]>([
      ['device', 'ok'], // the store's own display
      ['deviceStore2', 'FORBIDDEN'], // a display of another store
      ['staff', 'ok'],
      ['manager', 'ok'],
      ['staffStore2', 'FORBIDDEN'],
      ['hqViewer', 'ok'],
      ['partnerRead', 'ok'],
      ['partnerNoScope', 'FORBIDDEN'],
      ['otherAdmin', 'NOT_FOUND'], // another tenant: no such store
      ['otherManager', 'FORBIDDEN'],
      ['anonymous', 'UNAUTHENTICATED'],
    ])('%s → %s', async (who, expected) => {
      const token =
        who === 'anonymous'
          ? undefined
          : who === 'deviceStore2'
            ? await h.issuer.token({
                tid: DEMO_TENANT_ID,
                roles: [Role.DEVICE],
                did: '00000000-0000-4000-8000-000000000d21',
                stores: [STORE_2],
              })
            : await h.token(who);
      const res = await h.gql<Board>(BOARD, { s: STORE_1 }, token);
      expect(res.errors?.[0]?.extensions?.code ?? (res.data?.queueBoard.lines.length ? 'ok' : 'empty')).toBe(expected);
    });

    it.each([
      [{ s: STORE_1, n: 21 }, 'BAD_USER_INPUT'],
      [{ s: STORE_1, n: -1 }, 'BAD_USER_INPUT'],
      [{ s: 'not-a-store' }, 'FORBIDDEN'],
    ])('refuses %j', async (vars, code) => {
      const res = await h.gql(BOARD, vars, await h.token('device'));
      expect(res.errors?.[0]?.extensions?.code).toBe(code);
    });
  });

  it('comes with every queueUpdated event, as it is after the change', async () => {
    const sub = h.subscribe<{ queueUpdated: { action: string; board: { lines: BoardLine[] } } }>(
      `subscription($s: ID!) { queueUpdated(storeId: $s) { action board { lines { lineId next called { number desk } } } } }`,
      { s: STORE_1 },
      await h.token('device'),
    );
    // The subscription is set up asynchronously: add tickets until it hears one.
    await waitFor(async () => {
      await h.addTicket(line);
      return sub.events.length > 0;
    });
    await h.as('staff', `mutation($id: ID!, $d: ID) { callTicket(id: $id, deskId: $d) { id } }`, {
      id: ids[3],
      d: desk,
    });
    const called = await waitFor(() => sub.events.find((e) => e.data?.queueUpdated.action === 'CALLED'));
    expect(called.errors).toBeUndefined();
    const returns = called.data!.queueUpdated.board.lines.find((l) => l.lineId === line)!;
    expect(returns.called[0]).toEqual({ number: 'B004', desk: 'Desk 3' });
    expect(returns.next).not.toContain('B004');
    await sub.close();
  });
});
