import { createHash } from 'node:crypto';
import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCampaignId, demoDisplayId, demoStoreId } from '../../demo/demo-data.js';
import { act, createCampaign, liveCampaign, PLAYLIST_QUERY } from '../../testing/campaigns.js';
import { startCampaign, type CampaignHarness } from '../../testing/harness.js';
import { BUILT_IN } from './creative.builtin.js';
import { BuiltInCreativeKind } from './creative.entity.js';

const CREATE = `mutation($i: CreateBuiltInCreativeInput!) {
  createBuiltInCreative(input: $i) { id name kind status url mimeType checksum durationMs sizeBytes }
}`;
const BOARD = BUILT_IN[BuiltInCreativeKind.QUEUE_BOARD];
const DISPLAY = demoDisplayId(3, 3);

interface Item {
  campaignId: string | null;
  creativeId: string;
  url: string;
  mimeType: string;
  checksum: string;
  durationMs: number;
}

describe('built-in creatives (QUEUE_BOARD)', () => {
  let h: CampaignHarness;
  let editor: string;
  let admin: string;
  let boardId: string;

  beforeAll(async () => {
    h = await startCampaign();
    editor = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_EDITOR] });
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
  });
  afterAll(() => h?.stop());

  it('an editor creates one without an upload: READY at once, with the built-in’s URL, type and checksum', async () => {
    const res = await h.gql<{ createBuiltInCreative: Record<string, unknown> & { id: string } }>(
      CREATE,
      { i: { name: 'Now serving', kind: 'QUEUE_BOARD', durationMs: 20_000 } },
      editor,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.createBuiltInCreative).toMatchObject({
      name: 'Now serving',
      kind: 'QUEUE_BOARD',
      status: 'READY',
      url: 'phub:builtin/queue-board/v1',
      mimeType: 'application/vnd.phub.queue-board',
      checksum: createHash('sha256').update('phub:builtin/queue-board/v1').digest('hex'),
      durationMs: 20_000,
      sizeBytes: null,
    });
    boardId = res.data!.createBuiltInCreative.id;
  });

  it.each([
    ['a display', { tid: DEMO_TENANT_ID, roles: [Role.DEVICE], did: DISPLAY, stores: [demoStoreId(3)] }, 'FORBIDDEN'],
    ['an HQ viewer', { tid: DEMO_TENANT_ID, roles: [Role.HQ_VIEWER] }, 'FORBIDDEN'],
  ])('%s may not create one', async (_who, claims, code) => {
    const res = await h.gql(CREATE, { i: { name: 'x', kind: 'QUEUE_BOARD' } }, await h.issuer.token(claims));
    expect(res.errors?.[0]?.extensions?.code).toBe(code);
  });

  it.each([
    [
      'an upload of the kind',
      `mutation { createCreativeUpload(input: { name: "b", kind: QUEUE_BOARD, mimeType: "image/png", sizeBytes: 10 }) { uploadUrl } }`,
      'BUILT_IN',
    ],
    [
      'a too short duration',
      `mutation { createBuiltInCreative(input: { name: "b", kind: QUEUE_BOARD, durationMs: 10 }) { id } }`,
      undefined,
    ],
    ['an empty name', `mutation { createBuiltInCreative(input: { name: " ", kind: QUEUE_BOARD }) { id } }`, undefined],
  ])('refuses %s with BAD_USER_INPUT', async (_case, query, reason) => {
    const res = await h.gql(query, {}, editor);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    if (reason) expect(res.errors?.[0]?.extensions?.reason).toBe(reason);
  });

  it('has nothing to complete and no locale variants', async () => {
    const complete = await h.gql(
      `mutation($id: ID!) { completeCreativeUpload(id: $id) { id } }`,
      { id: boardId },
      editor,
    );
    expect(complete.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const variant = await h.gql(
      `mutation($id: ID!) { addCreativeVariant(input: { creativeId: $id, locale: "fr", mimeType: "image/png", sizeBytes: 10 }) { uploadUrl } }`,
      { id: boardId },
      editor,
    );
    expect(variant.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('goes into a campaign like any creative and reaches the display’s playlist and playlistChanged', async () => {
    const sub = h.subscribe<{ playlistChanged: { playlist: { items: Item[] } } }>(
      `subscription($d: ID!) { playlistChanged(displayId: $d, current: true) { playlist { items { campaignId creativeId url mimeType checksum durationMs } } } }`,
      { d: DISPLAY },
      admin,
    );
    await sub.next(); // listening: the current playlist came
    const campaignId = await liveCampaign(h, admin, {
      priority: 50,
      creativeIds: [boardId],
      targeting: { include: [{ kind: 'DISPLAY', value: DISPLAY }] },
    });
    const expected = {
      campaignId,
      creativeId: boardId,
      url: BOARD.url,
      mimeType: BOARD.mimeType,
      checksum: BOARD.checksum,
      durationMs: 20_000,
    };
    const change = await sub.next();
    expect(change.data!.playlistChanged.playlist.items).toEqual([expected]);
    const playlist = await h.gql<{ displayPlaylist: { items: Item[] } }>(PLAYLIST_QUERY, { d: DISPLAY }, admin);
    expect(playlist.data!.displayPlaylist.items).toMatchObject([expected]);
    await act(h, admin, 'pauseCampaign', campaignId);
    await sub.close();
  });

  it('the demo store’s queue screen plays the demo board beside its other campaigns', async () => {
    const queueScreen = await h.gql<{ displayPlaylist: { items: Item[] } }>(
      PLAYLIST_QUERY,
      { d: demoDisplayId(1, 4) },
      admin,
    );
    const boards = queueScreen.data!.displayPlaylist.items.filter((i) => i.mimeType === BOARD.mimeType);
    expect(boards.length).toBeGreaterThan(0);
    expect(new Set(boards.map((i) => i.campaignId))).toEqual(new Set([demoCampaignId(6)]));
    // Only there: another store's queue screen has no board.
    const elsewhere = await h.gql<{ displayPlaylist: { items: Item[] } }>(
      PLAYLIST_QUERY,
      { d: demoDisplayId(2, 4) },
      admin,
    );
    expect(elsewhere.data!.displayPlaylist.items.some((i) => i.mimeType === BOARD.mimeType)).toBe(false);
    // createCampaign checks creatives are READY: the built-in one is.
    expect((await createCampaign(h, editor, { creativeIds: [boardId] })).errors).toBeUndefined();
  });
});
