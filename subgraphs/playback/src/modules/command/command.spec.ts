import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPLAY_1, DISPLAY_2, startPlayback, type PlaybackHarness, type Who } from '../../testing/harness.js';
import { DisplayCommandService } from './command.service.js';

const SEND = `mutation($d: ID!, $k: DisplayCommandKind!) { sendDisplayCommand(displayId: $d, kind: $k) { id kind state issuedBy expiresAt } }`;
const ANSWER = `mutation($id: ID!, $a: DisplayCommandAnswer!) { answerDisplayCommand(id: $id, answer: $a) { id state error completedAt } }`;
const FEED = `subscription($d: ID!) { displayCommandSent(displayId: $d) { id kind state } }`;
const HISTORY = `query($d: ID!) { displayCommands(displayId: $d, first: 10) { totalCount edges { node { id kind state error screenshot } } } }`;

interface Command {
  id: string;
  kind: string;
  state: string;
}

/** A real 1×1 PNG (signature, IHDR, IDAT, IEND), as a player's canvas would encode it. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe(DisplayCommandService.name, () => {
  let h: PlaybackHarness;
  beforeAll(async () => {
    h = await startPlayback({ PLAYBACK_COMMAND_TTL_SECONDS: '120' });
  });
  afterAll(async () => h?.stop());

  /** The data, or an Error carrying the errors. */
  const as = async <T>(who: Who, query: string, variables: Record<string, unknown>): Promise<T> => {
    const res = await h.gql<T>(query, variables, await h.token(who));
    if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
    return res.data!;
  };
  const send = async (kind: string, who: Who = 'manager', displayId = DISPLAY_1) =>
    (await as<{ sendDisplayCommand: Command }>(who, SEND, { d: displayId, k: kind })).sendDisplayCommand;

  it('gives the display what is pending when its player subscribes, then each command as it is sent; once each', async () => {
    const identify = await send('IDENTIFY', 'staff');
    expect(identify).toMatchObject({ kind: 'IDENTIFY', state: 'PENDING' });
    // A second press while the first is on its way is the same command.
    expect((await send('IDENTIFY', 'staff')).id).toBe(identify.id);

    const feed = h.subscribe<{ displayCommandSent: Command }>(FEED, { d: DISPLAY_1 }, await h.token('device'));
    expect((await feed.next()).data?.displayCommandSent).toMatchObject({ id: identify.id, kind: 'IDENTIFY' });
    await new Promise((r) => setTimeout(r, 200)); // let graphql-ws finish subscribing before the next one
    const reload = await send('RELOAD');
    expect((await feed.next()).data?.displayCommandSent).toMatchObject({ id: reload.id, kind: 'RELOAD' });
    // Another display's commands do not reach this one.
    await send('IDENTIFY', 'manager', DISPLAY_2).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(feed.events).toHaveLength(2);
    await feed.close();

    const device = await h.token('device');
    for (const c of [identify, reload]) {
      const res = await h.gql<{ answerDisplayCommand: { state: string } }>(ANSWER, { id: c.id, a: {} }, device);
      expect(res.data?.answerDisplayCommand.state).toBe('DONE');
    }
    // Answered: a reconnecting player gets nothing again; a second answer is refused.
    const again = h.subscribe(FEED, { d: DISPLAY_1 }, device);
    await new Promise((r) => setTimeout(r, 300));
    expect(again.events).toEqual([]);
    await again.close();
    const twice = await h.gql(ANSWER, { id: reload.id, a: {} }, device);
    expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('keeps a screenshot the display sends back, checked to be the image it claims, for the store and HQ to see', async () => {
    const device = await h.token('device');
    const shot = await send('SCREENSHOT', 'staff');
    const bad = async (screenshot: string) =>
      (await h.gql(ANSWER, { id: shot.id, a: { screenshot } }, device)).errors?.[0]?.extensions?.code;
    expect(await bad('https://example.com/x.png')).toBe('BAD_USER_INPUT');
    expect(await bad(`data:image/jpeg;base64,${png().toString('base64')}`)).toBe('BAD_USER_INPUT'); // a PNG, not a JPEG
    expect(await bad(`data:image/png;base64,${Buffer.alloc(2 * 1024 * 1024, 1).toString('base64')}`)).toBeDefined();
    const dataUrl = `data:image/png;base64,${png().toString('base64')}`;
    const ok = await h.gql<{ answerDisplayCommand: { state: string } }>(
      ANSWER,
      { id: shot.id, a: { screenshot: dataUrl } },
      device,
    );
    expect(ok.data?.answerDisplayCommand.state).toBe('DONE');

    const history = await as<{
      displayCommands: { totalCount: number; edges: { node: { id: string; screenshot: string | null } }[] };
    }>('hqViewer', HISTORY, { d: DISPLAY_1 }).catch((err: unknown) => err);
    // HQ viewers do not send commands, and do not read their history (screens of stores, by people who act on them).
    expect(history).toBeInstanceOf(Error);
    const seen = await as<{
      displayCommands: {
        totalCount: number;
        edges: { node: { id: string; kind: string; screenshot: string | null } }[];
      };
    }>('manager', HISTORY, { d: DISPLAY_1 });
    const node = seen.displayCommands.edges.find((e) => e.node.id === shot.id)!.node;
    expect(node.screenshot).toBe(dataUrl);
    expect(
      seen.displayCommands.edges.filter((e) => e.node.kind !== 'SCREENSHOT').every((e) => e.node.screenshot === null),
    ).toBe(true);
  });

  it('expires a command the display did not answer in time; a failure is kept with its reason', async () => {
    const device = await h.token('device');
    const late = await send('CLEAR_CACHE');
    h.clock.advance(121_000);
    const res = await h.gql(ANSWER, { id: late.id, a: {} }, device);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', state: 'EXPIRED' });
    const feed = h.subscribe(FEED, { d: DISPLAY_1 }, device);
    await new Promise((r) => setTimeout(r, 300));
    expect(feed.events).toEqual([]); // an expired command is not delivered to a reconnecting player
    await feed.close();

    const shot = await send('SCREENSHOT');
    const failed = await h.gql<{ answerDisplayCommand: { state: string; error: string } }>(
      ANSWER,
      { id: shot.id, a: { error: 'the creative is a cross-origin frame' } },
      device,
    );
    expect(failed.data?.answerDisplayCommand).toMatchObject({
      state: 'FAILED',
      error: 'the creative is a cross-origin frame',
    });
    const history = await as<{ displayCommands: { edges: { node: { id: string; state: string } }[] } }>(
      'manager',
      HISTORY,
      {
        d: DISPLAY_1,
      },
    );
    expect(history.displayCommands.edges.find((e) => e.node.id === late.id)?.node.state).toBe('EXPIRED');
  });

  it('answers a command of another display as not found, and a command to it as not the device’s to hear', async () => {
    const device = await h.token('device');
    const other = await send('IDENTIFY', 'manager', DISPLAY_2).catch((err: unknown) => err);
    // The manager of store 1 may not act on store 2's display.
    expect(String(other)).toContain('FORBIDDEN');
    const adminSent = await as<{ sendDisplayCommand: Command }>('hqAdmin', SEND, { d: DISPLAY_2, k: 'IDENTIFY' });
    const res = await h.gql(ANSWER, { id: adminSent.sendDisplayCommand.id, a: {} }, device);
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const feed = h.subscribe(FEED, { d: DISPLAY_2 }, device);
    await feed.next().catch(() => undefined);
    // Refused when the stream is made: graphql-ws sends that result (its errors) and completes.
    expect(JSON.stringify([...feed.events, ...feed.errors])).toContain('FORBIDDEN');
    expect(feed.events.flatMap((e) => (e.data ? [e.data] : []))).toEqual([]);
    await feed.close();
  });
});
