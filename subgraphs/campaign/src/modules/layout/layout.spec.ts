import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDisplayId, demoStoreId } from '../../demo/demo-data.js';
import { demoCreatives, liveCampaign } from '../../testing/campaigns.js';
import { startCampaign, type CampaignHarness, type GraphQLResponse } from '../../testing/harness.js';
import { LayoutService } from './layout.service.js';

const FIELDS = 'id name regions { name kind x y width height text main } displayIds';
const CREATE = `mutation($i: LayoutInput!) { createLayout(input: $i) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $i: LayoutInput!) { updateLayout(id: $id, input: $i) { ${FIELDS} } }`;
const ASSIGN = `mutation($d: ID!, $l: ID) { setDisplayLayout(displayId: $d, layoutId: $l) { id } }`;
const LIST = `{ layouts { ${FIELDS} } }`;
const GET = `query($id: ID!) { layout(id: $id) { id } }`;
const ITEMS = 'campaignId creativeId url';
const PLAYLIST = `query($d: ID!) { displayPlaylist(displayId: $d) { version items { ${ITEMS} }
  layout { id name regions { name kind x y width height text main version items { ${ITEMS} } } } } }`;
const CHANGES = `subscription($d: ID!) { playlistChanged(displayId: $d, current: true) {
  version playlist { items { campaignId } layout { name regions { name items { campaignId } } } } } }`;

interface Region {
  name: string;
  kind: string;
  x: number;
  y: number;
  width: number;
  height: number;
  text: string | null;
  main: boolean;
}
interface LayoutData {
  id: string;
  name: string;
  regions: Region[];
  displayIds: string[];
}
interface Item {
  campaignId: string | null;
  creativeId: string;
  url: string;
}
interface Playlist {
  version: string;
  items: Item[];
  layout: { id: string; name: string; regions: (Region & { version: string; items: Item[] })[] } | null;
}

const THREE = [
  { name: 'Main', kind: 'CONTENT', x: 0, y: 0, width: 70, height: 88 },
  { name: 'side', kind: 'CONTENT', x: 70, y: 0, width: 30, height: 88 },
  { name: 'ticker', kind: 'TICKER', x: 0, y: 88, width: 100, height: 12, text: '  Open   until 8pm  ' },
];

const codeOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.code;
const reasonOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.reason;

describe(LayoutService.name, () => {
  let h: CampaignHarness;
  let admin: string;
  let editor: string;
  let viewer: string;
  let manager: string;
  let stranger: string;
  let device: string;
  const display = demoDisplayId(3, 2);
  const other = demoDisplayId(3, 3);

  const create = (input: Record<string, unknown>, token = editor) =>
    h.gql<{ createLayout: LayoutData }>(CREATE, { i: input }, token);
  const playlist = async (displayId: string, token = admin): Promise<Playlist> => {
    const res = await h.gql<{ displayPlaylist: Playlist }>(PLAYLIST, { d: displayId }, token);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.displayPlaylist;
  };

  beforeAll(async () => {
    h = await startCampaign();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
    editor = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_EDITOR] });
    viewer = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_VIEWER] });
    manager = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.STORE_MANAGER], stores: [demoStoreId(3)] });
    stranger = await h.issuer.token({ tid: '00000000-0000-4000-8000-0000000000ff', roles: [Role.HQ_ADMIN] });
    device = await h.issuer.token({
      tid: DEMO_TENANT_ID,
      roles: [Role.DEVICE],
      did: display,
      stores: [demoStoreId(3)],
    });
  });
  afterAll(() => h?.stop());

  it.each([
    ['no regions', [], 'regions', 'REGIONS_EMPTY'],
    ['a bad region name', [{ ...THREE[0], name: '9 lives' }], 'regions[0].name', 'REGION_NAME_INVALID'],
    ['a name used twice', [THREE[0], { ...THREE[1], name: 'main' }], 'regions[1].name', 'REGION_NAME_DUPLICATE'],
    ['a region off the right edge', [{ ...THREE[0], x: 40 }], 'regions[0].x', 'REGION_OUTSIDE_SCREEN'],
    ['a region above the top', [{ ...THREE[0], y: -1 }], 'regions[0].y', 'REGION_OUTSIDE_SCREEN'],
    ['a sliver', [{ ...THREE[0], height: 0.5 }], 'regions[0].height', 'REGION_TOO_SMALL'],
    ['a ticker without text', [THREE[0], { ...THREE[2], text: ' ' }], 'regions[1].text', 'TICKER_TEXT_REQUIRED'],
    ['no CONTENT region', [THREE[2]], 'regions', 'CONTENT_REGION_REQUIRED'],
    [
      'nine regions',
      Array.from({ length: 9 }, (_, i) => ({ ...THREE[0], name: `r${i}` })),
      'regions',
      'TOO_MANY_REGIONS',
    ],
  ])('refuses %s with BAD_USER_INPUT', async (_what, regions, field, reason) => {
    const res = await create({ name: `Bad ${reason}`, regions });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions).toMatchObject({ field, reason });
  });

  it.each([
    ['HQ_VIEWER reads but does not create', () => viewer, true, false],
    ['STORE_MANAGER neither', () => manager, false, false],
    ['DEVICE neither (it reads its layout with its playlist)', () => device, false, false],
    ['HQ_EDITOR both', () => editor, true, true],
  ])('%s', async (_what, token, reads, writes) => {
    const list = await h.gql<{ layouts: LayoutData[] }>(LIST, {}, token());
    expect(list.errors ? codeOf(list) : 'OK').toBe(reads ? 'OK' : 'FORBIDDEN');
    const made = await create({ name: `By ${_what}`, regions: [THREE[0]] }, token());
    expect(made.errors ? codeOf(made) : 'OK').toBe(writes ? 'OK' : 'FORBIDDEN');
  });

  it('keeps names unique per tenant (CONFLICT) and hides layouts from other tenants (NOT_FOUND)', async () => {
    const first = await create({ name: 'Entrance wall', regions: [THREE[0]] });
    expect(first.errors).toBeUndefined();
    const again = await create({ name: ' Entrance   wall ', regions: [THREE[0]] });
    expect(codeOf(again)).toBe('CONFLICT');
    expect(reasonOf(again)).toBe('LAYOUT_NAME_TAKEN');
    const id = first.data!.createLayout.id;
    expect(codeOf(await h.gql(GET, { id }, stranger))).toBe('NOT_FOUND');
    expect((await h.gql<{ layouts: LayoutData[] }>(LIST, {}, stranger)).data?.layouts).toEqual([]);
    expect(codeOf(await h.gql(ASSIGN, { d: display, l: id }, stranger))).toBe('NOT_FOUND');
  });

  it('plays each region’s own campaigns on a display with the layout, and only there', async () => {
    const before = await playlist(display);
    expect(before.layout).toBeNull();
    expect(before.items.length).toBeGreaterThan(0);
    // A side-panel campaign for this store, at a priority that would outrank everything in a single loop.
    const side = await liveCampaign(h, admin, {
      name: 'Side panel offer',
      priority: 900,
      creativeIds: [demoCreatives[1]],
      targeting: { include: [{ kind: 'STORE', value: demoStoreId(3) }], layoutRegion: 'side' },
    });
    await h.service.idle();
    // Without a layout a region campaign plays nowhere: the display plays what it did.
    expect((await playlist(display)).version).toBe(before.version);
    // Nor does it outrank the main region's campaigns in reach (priorities compete within a region).
    const REACH = `query($id: ID!) { campaign(id: $id) { reach { playingCount outrankedDisplays { byCampaignIds } } } }`;
    type Reach = { campaign: { reach: { playingCount: number; outrankedDisplays: { byCampaignIds: string[] }[] } } };
    const mainCampaign = before.items.find((i) => i.campaignId)!.campaignId!;
    const reach = (await h.gql<Reach>(REACH, { id: mainCampaign }, admin)).data!.campaign.reach;
    expect(reach.playingCount).toBeGreaterThan(0);
    expect(reach.outrankedDisplays.flatMap((o) => o.byCampaignIds)).not.toContain(side);

    const made = await create({ name: 'Three regions', regions: THREE });
    expect(made.errors).toBeUndefined();
    const layout = made.data!.createLayout;
    expect(layout.regions.map((r) => [r.name, r.kind, r.main, r.text])).toEqual([
      ['main', 'CONTENT', true, null],
      ['side', 'CONTENT', false, null],
      ['ticker', 'TICKER', false, 'Open until 8pm'],
    ]);

    const changes = h.subscribe<{ playlistChanged: { version: string; playlist: Playlist } }>(
      CHANGES,
      { d: display },
      device,
    );
    await changes.next(); // listening: the current playlist came
    const assigned = await h.gql<{ setDisplayLayout: { id: string } }>(ASSIGN, { d: display, l: layout.id }, editor);
    expect(assigned.data?.setDisplayLayout.id).toBe(layout.id);

    const event = (await changes.next()).data!.playlistChanged;
    expect(event.playlist.layout?.regions.map((r) => r.name)).toEqual(['main', 'side', 'ticker']);

    const now = await playlist(display, device);
    expect(now.version).toBe(event.version);
    expect(now.version).not.toBe(before.version);
    const [main, sidePanel, ticker] = now.layout!.regions;
    // The main region keeps what the display played; the side panel plays its own campaign only.
    expect(main!.items).toEqual(before.items);
    expect(now.items).toEqual(before.items);
    expect(sidePanel!.items.map((i) => i.campaignId)).toEqual([side]);
    expect(sidePanel!.items[0]!.creativeId).toBe(demoCreatives[1]);
    expect(ticker).toMatchObject({ kind: 'TICKER', text: 'Open until 8pm', items: [], x: 0, y: 88, height: 12 });

    // Another display of the store, without the layout, is untouched.
    expect((await playlist(other)).items.some((i) => i.campaignId === side)).toBe(false);
    const listed = (await h.gql<{ layouts: LayoutData[] }>(LIST, {}, viewer)).data!.layouts;
    expect(listed.find((l) => l.id === layout.id)?.displayIds).toEqual([display]);

    // Editing the layout reaches the display at once; taking it away restores full screen.
    const edited = await h.gql(
      UPDATE,
      { id: layout.id, i: { name: 'Three regions', regions: THREE.slice(0, 2) } },
      editor,
    );
    expect(edited.errors).toBeUndefined();
    expect((await changes.next()).data!.playlistChanged.playlist.layout?.regions).toHaveLength(2);
    await h.gql(ASSIGN, { d: display, l: null }, editor);
    expect((await changes.next()).data!.playlistChanged.playlist.layout).toBeNull();
    const after = await playlist(display);
    expect(after.layout).toBeNull();
    expect(after.version).toBe(before.version);
    await changes.close();
  });

  it('deleting a layout puts its displays back on full screen', async () => {
    const made = await create({ name: 'Short-lived', regions: THREE });
    const id = made.data!.createLayout.id;
    expect((await h.gql(ASSIGN, { d: other, l: id }, editor)).errors).toBeUndefined();
    expect((await playlist(other)).layout?.id).toBe(id);
    const deleted = await h.gql<{ deleteLayout: boolean }>(
      `mutation($id: ID!) { deleteLayout(id: $id) }`,
      { id },
      editor,
    );
    expect(deleted.data?.deleteLayout).toBe(true);
    expect((await playlist(other)).layout).toBeNull();
    expect(codeOf(await h.gql(GET, { id }, viewer))).toBe('NOT_FOUND');
    expect(codeOf(await h.gql(ASSIGN, { d: other, l: id }, editor))).toBe('NOT_FOUND');
  });

  it('refuses a campaign layoutRegion that is not a region name', async () => {
    const res = await h.gql(
      `mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }`,
      { i: { name: 'Bad region', creativeIds: [demoCreatives[3]], targeting: { layoutRegion: 'Side Panel!' } } },
      admin,
    );
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });
});
