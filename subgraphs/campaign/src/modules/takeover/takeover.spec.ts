import { randomUUID } from 'node:crypto';
import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDisplayId, demoStoreId } from '../../demo/demo-data.js';
import { LocationTopic } from '../../events.js';
import { demoCreatives } from '../../testing/campaigns.js';
import { displayEvent } from '../../testing/fleet.js';
import { startCampaign, type CampaignHarness, type GraphQLResponse } from '../../testing/harness.js';
import { TAKEOVER_MESSAGE_MIME } from './takeover.content.js';
import { TakeoverService } from './takeover.service.js';

const FIELDS = 'id storeId creativeId message reason active createdBy createdAt liftedBy liftedAt';
const START = `mutation($i: StartStoreTakeoverInput!) { startStoreTakeover(input: $i) { ${FIELDS} } }`;
const LIFT = `mutation($id: ID!) { liftStoreTakeover(id: $id) { ${FIELDS} } }`;
const LIST = `query($s: ID!, $all: Boolean) { storeTakeovers(storeId: $s, includeEnded: $all) { ${FIELDS} } }`;
const PLAYLIST = `query($d: ID!) { displayPlaylist(displayId: $d) {
  version items { campaignId overrideId takeoverId creativeId url mimeType durationMs } } }`;
const CHANGES = `subscription($d: ID!) { playlistChanged(displayId: $d, current: true) {
  displayId version playlist { items { takeoverId overrideId creativeId url mimeType } } } }`;

interface Takeover {
  id: string;
  storeId: string;
  creativeId: string | null;
  message: string | null;
  reason: string | null;
  active: boolean;
  createdBy: string;
  createdAt: string;
  liftedBy: string | null;
  liftedAt: string | null;
}
interface Item {
  campaignId: string | null;
  overrideId: string | null;
  takeoverId: string | null;
  creativeId: string;
  url: string;
  mimeType: string;
}
interface Playlist {
  version: string;
  items: Item[];
}

const displaysOf = (store: number) => [1, 2, 3, 4].map((n) => demoDisplayId(store, n));
const codeOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.code;
const reasonOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.reason;

describe(TakeoverService.name, () => {
  let h: CampaignHarness;
  let admin: string;
  let manager: string;
  let managerId: string;

  const start = (input: Record<string, unknown>, token = manager) =>
    h.gql<{ startStoreTakeover: Takeover }>(START, { i: input }, token);
  const lift = (id: string, token = manager) => h.gql<{ liftStoreTakeover: Takeover }>(LIFT, { id }, token);
  const playlist = async (displayId: string): Promise<Playlist> => {
    const res = await h.gql<{ displayPlaylist: Playlist }>(PLAYLIST, { d: displayId }, admin);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.displayPlaylist;
  };

  beforeAll(async () => {
    h = await startCampaign();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
    managerId = randomUUID();
    manager = await h.issuer.token({
      tid: DEMO_TENANT_ID,
      sub: managerId,
      roles: [Role.STORE_MANAGER],
      stores: [demoStoreId(1), demoStoreId(2), demoStoreId(4), demoStoreId(5)],
    });
  });
  afterAll(() => h?.stop());

  it('puts a message on every display of the store at once, one playlistChanged each, and lifting restores them', async () => {
    const displays = displaysOf(1);
    const before = await Promise.all(displays.map(playlist));
    const elsewhere = await playlist(demoDisplayId(3, 1));
    const subs = displays.map((d) =>
      h.subscribe<{ playlistChanged: { displayId: string; version: string; playlist: Playlist } }>(
        CHANGES,
        { d },
        admin,
      ),
    );
    try {
      // Listening once the current playlist came.
      await Promise.all(subs.map((s) => s.next()));
      const started = await start({
        storeId: demoStoreId(1),
        message: '  Please leave the store\r\nby the nearest exit  ',
        reason: 'Fire alarm',
      });
      expect(started.errors).toBeUndefined();
      const t = started.data!.startStoreTakeover;
      expect(t).toMatchObject({
        storeId: demoStoreId(1),
        creativeId: null,
        message: 'Please leave the store\nby the nearest exit',
        reason: 'Fire alarm',
        active: true,
        createdBy: managerId,
        liftedBy: null,
        liftedAt: null,
      });

      const changes = await Promise.all(subs.map((s) => s.next()));
      for (const [i, change] of changes.entries()) {
        expect(change.data!.playlistChanged.displayId).toBe(displays[i]);
        expect(change.data!.playlistChanged.playlist.items).toEqual([
          expect.objectContaining({
            takeoverId: t.id,
            overrideId: null,
            creativeId: t.id,
            mimeType: TAKEOVER_MESSAGE_MIME,
          }),
        ]);
      }
      const item = (await playlist(displays[0]!)).items[0]!;
      expect(item).toMatchObject({ campaignId: null, takeoverId: t.id, durationMs: 60_000 });
      expect(new URL(item.url).searchParams.get('text')).toBe('Please leave the store\nby the nearest exit');
      // Another store plays on.
      expect((await playlist(demoDisplayId(3, 1))).version).toBe(elsewhere.version);

      const lifted = await lift(t.id);
      expect(lifted.errors).toBeUndefined();
      expect(lifted.data!.liftStoreTakeover).toMatchObject({ active: false, liftedBy: managerId });
      const back = await Promise.all(subs.map((s) => s.next()));
      for (const [i, change] of back.entries()) {
        expect(change.data!.playlistChanged.version).toBe(before[i]!.version);
        expect(change.data!.playlistChanged.playlist.items.every((x) => x.takeoverId === null)).toBe(true);
      }
      // Lifting again changes nothing: the first lift's who and when stand.
      const again = await lift(t.id, admin);
      expect(again.data!.liftStoreTakeover.liftedAt).toBe(lifted.data!.liftStoreTakeover.liftedAt);
      expect(again.data!.liftStoreTakeover.liftedBy).toBe(managerId);
    } finally {
      await Promise.all(subs.map((s) => s.close()));
    }
  });

  it('ranks above a display override, and the override plays again once lifted', async () => {
    const display = demoDisplayId(2, 2);
    const set = await h.gql<{ setDisplayOverride: { id: string } }>(
      `mutation($i: SetDisplayOverrideInput!) { setDisplayOverride(input: $i) { id } }`,
      {
        i: { displayId: display, creativeId: demoCreatives[5], until: new Date(Date.now() + 3_600_000).toISOString() },
      },
      admin,
    );
    const overrideId = set.data!.setDisplayOverride.id;
    const t = (await start({ storeId: demoStoreId(2), creativeId: demoCreatives[2] })).data!.startStoreTakeover;
    expect(t).toMatchObject({ creativeId: demoCreatives[2], message: null });
    for (const d of displaysOf(2)) {
      expect((await playlist(d)).items).toEqual([
        expect.objectContaining({ takeoverId: t.id, creativeId: demoCreatives[2], overrideId: null, campaignId: null }),
      ]);
    }
    await lift(t.id);
    expect((await playlist(display)).items).toEqual([expect.objectContaining({ overrideId, takeoverId: null })]);
  });

  it('reaches a display that joins the store after the takeover started', async () => {
    const t = (await start({ storeId: demoStoreId(4), message: 'Closed for a moment' })).data!.startStoreTakeover;
    const added = randomUUID();
    await h.infra.bus.publish(LocationTopic.display, [{ key: added, value: displayEvent(4, 1, { id: added }) }]);
    await waitFor(async () => (await h.gql(PLAYLIST, { d: added }, admin)).data != null, {
      message: 'the new display in the projection',
    });
    expect((await playlist(added)).items).toEqual([expect.objectContaining({ takeoverId: t.id })]);
    await lift(t.id);
    expect((await playlist(added)).items.every((i) => i.takeoverId === null)).toBe(true);
  });

  it('allows one active takeover per store: a second is CONFLICT until the first is lifted', async () => {
    const first = (await start({ storeId: demoStoreId(5), message: 'First' })).data!.startStoreTakeover;
    const second = await start({ storeId: demoStoreId(5), message: 'Second' }, admin);
    expect(codeOf(second)).toBe('CONFLICT');
    expect(reasonOf(second)).toBe('TAKEOVER_ACTIVE');
    expect(second.errors![0]!.extensions!.activeTakeoverId).toBe(first.id);
    // Concurrent starts: exactly one wins, whatever the interleaving.
    await lift(first.id);
    const race = await Promise.all([1, 2, 3].map((n) => start({ storeId: demoStoreId(5), message: `Race ${n}` })));
    expect(race.filter((r) => !r.errors)).toHaveLength(1);
    expect(race.filter((r) => codeOf(r) === 'CONFLICT')).toHaveLength(2);
    const winner = race.find((r) => !r.errors)!.data!.startStoreTakeover;

    const active = await h.gql<{ storeTakeovers: Takeover[] }>(LIST, { s: demoStoreId(5) }, manager);
    expect(active.data!.storeTakeovers.map((x) => x.id)).toEqual([winner.id]);
    await lift(winner.id);
    const history = await h.gql<{ storeTakeovers: Takeover[] }>(LIST, { s: demoStoreId(5), all: true }, manager);
    expect(history.data!.storeTakeovers.map((x) => x.id)).toEqual([winner.id, first.id]);
    expect(history.data!.storeTakeovers.every((x) => x.liftedAt && x.liftedBy === managerId && x.createdBy)).toBe(true);
    expect(
      (await h.gql<{ storeTakeovers: Takeover[] }>(LIST, { s: demoStoreId(5) }, manager)).data!.storeTakeovers,
    ).toEqual([]);
  });

  it.each([
    [
      'both a creative and a message',
      { creativeId: demoCreatives[1], message: 'Hi' },
      'BAD_USER_INPUT',
      'ONE_CONTENT_REQUIRED',
    ],
    ['neither', {}, 'BAD_USER_INPUT', 'ONE_CONTENT_REQUIRED'],
    ['a blank message', { message: ' \n ' }, 'BAD_USER_INPUT', 'MESSAGE_EMPTY'],
    ['a message over 200 characters', { message: 'x'.repeat(201) }, 'BAD_USER_INPUT', 'MESSAGE_TOO_LONG'],
    ['five lines', { message: 'a\nb\nc\nd\ne' }, 'BAD_USER_INPUT', 'MESSAGE_INVALID'],
    // The platform refuses control characters in every string input (fields[].reason CONTROL_CHARACTER).
    ['a control character', { message: 'bell\u0007' }, 'BAD_USER_INPUT', undefined],
    ['a line separator', { message: 'one\u2028two' }, 'BAD_USER_INPUT', 'MESSAGE_INVALID'],
    ['an unknown creative', { creativeId: randomUUID() }, 'NOT_FOUND', undefined],
    ['a creative id that is no id', { creativeId: 'nope' }, 'NOT_FOUND', undefined],
    ['an unknown store', { storeId: randomUUID(), message: 'Hi' }, 'NOT_FOUND', undefined],
    ['a reason over 500 characters', { message: 'Hi', reason: 'r'.repeat(501) }, 'BAD_USER_INPUT', undefined],
  ])('refuses %s (%s)', async (_name, input, code, reason) => {
    const res = await start({ storeId: demoStoreId(1), ...input });
    expect(codeOf(res), JSON.stringify(res.errors)).toBe(code);
    if (reason) expect(reasonOf(res), JSON.stringify(res.errors)).toBe(reason);
    // Nothing was started.
    expect(
      (await h.gql<{ storeTakeovers: Takeover[] }>(LIST, { s: demoStoreId(1) }, admin)).data!.storeTakeovers,
    ).toEqual([]);
  });

  it('accepts a message of exactly 200 characters (counted as characters, not bytes)', async () => {
    const res = await start({ storeId: demoStoreId(1), message: 'é'.repeat(200) });
    expect(res.errors).toBeUndefined();
    await lift(res.data!.startStoreTakeover.id);
  });

  it('gives NOT_FOUND for a takeover that does not exist', async () => {
    expect(codeOf(await lift(randomUUID()))).toBe('NOT_FOUND');
    expect(codeOf(await lift('not-an-id'))).toBe('NOT_FOUND');
  });
});
