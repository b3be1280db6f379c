import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDisplayId, demoStoreId } from '../../demo/demo-data.js';
import { LocationTopic, type DisplayEvent } from '../../events.js';
import { startLocation, type LocationHarness } from '../../testing/harness.js';
import { DisplayResolver } from './display.resolver.js';

describe(DisplayResolver.name, () => {
  let h: LocationHarness;
  let admin: string;
  const events: DisplayEvent[] = [];

  beforeAll(async () => {
    h = await startLocation();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
    await h.infra.bus.subscribe({
      groupId: 'display-spec',
      topics: [LocationTopic.display],
      fromBeginning: true,
      handler: async (m) => void events.push(m.value as DisplayEvent),
    });
  });
  afterAll(() => h?.stop());

  it('publishes the demo displays through the outbox on first start', async () => {
    await expect.poll(() => events.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(24);
    expect(events.find((e) => e.display.id === demoDisplayId(1, 1))).toMatchObject({
      type: 'DisplayUpserted',
      display: { tenantId: DEMO_TENANT_ID, storeId: demoStoreId(1) },
    });
  });

  it('defaults the resolution from the orientation and keeps tags canonical', async () => {
    const res = await h.gql<{ createDisplay: { resolution: { width: number; height: number }; tags: string[] } }>(
      `mutation($i: CreateDisplayInput!) { createDisplay(input: $i) { resolution { width height } tags } }`,
      { i: { storeId: demoStoreId(1), name: 'Pillar', orientation: 'PORTRAIT', tags: ['Promo', 'promo', 'a'] } },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.createDisplay).toEqual({ resolution: { width: 1080, height: 1920 }, tags: ['a', 'promo'] });
  });

  it.each([
    ['a zone of another store', { zoneId: '00000000-0000-4000-8000-00000000a021' }, 'BAD_USER_INPUT'],
    ['a malformed zone id', { zoneId: 'zone-1' }, 'BAD_USER_INPUT'],
    ['an unknown store', { storeId: '7b0a8f7e-1111-4111-8111-111111111111' }, 'NOT_FOUND'],
    ['a zero width', { resolution: { width: 0, height: 100 } }, 'BAD_USER_INPUT'],
    ['an empty name', { name: '' }, 'BAD_USER_INPUT'],
  ])('refuses %s', async (_name, override, code) => {
    const res = await h.gql(
      `mutation($i: CreateDisplayInput!) { createDisplay(input: $i) { id } }`,
      { i: { storeId: demoStoreId(1), name: 'X', ...override } },
      admin,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe(code);
  });

  it('moves a display to another store and tells consumers its new store', async () => {
    const created = await h.gql<{ createDisplay: { id: string } }>(
      `mutation($i: CreateDisplayInput!) { createDisplay(input: $i) { id } }`,
      { i: { storeId: demoStoreId(1), name: 'Mover', zoneId: '00000000-0000-4000-8000-00000000a011' } },
      admin,
    );
    const id = created.data!.createDisplay.id;
    const moved = await h.gql<{ updateDisplay: { store: { id: string }; zone: unknown } }>(
      `mutation($i: UpdateDisplayInput!) { updateDisplay(input: $i) { store { id } zone { id } } }`,
      { i: { id, storeId: demoStoreId(3) } },
      admin,
    );
    expect(moved.errors).toBeUndefined();
    // The old store's zone cannot follow it.
    expect(moved.data!.updateDisplay).toEqual({ store: { id: demoStoreId(3) }, zone: null });
    await expect
      .poll(() => events.filter((e) => e.display.id === id).map((e) => e.display.storeId))
      .toEqual([demoStoreId(1), demoStoreId(3)]);
  });

  it('archives the displays of an archived store', async () => {
    const store = await h.gql<{ createStore: { id: string } }>(
      `mutation { createStore(input: { name: "Pop-up", code: "POP-1", timezone: "Europe/Madrid" }) { id } }`,
      {},
      admin,
    );
    const storeId = store.data!.createStore.id;
    const display = await h.gql<{ createDisplay: { id: string } }>(
      `mutation($s: ID!) { createDisplay(input: { storeId: $s, name: "Only screen" }) { id } }`,
      { s: storeId },
      admin,
    );
    const displayId = display.data!.createDisplay.id;
    await h.gql(`mutation($s: ID!) { archiveStore(id: $s) { id } }`, { s: storeId }, admin);
    const after = await h.gql<{ display: { archivedAt: string | null } }>(
      `query($d: ID!) { display(id: $d) { archivedAt } }`,
      { d: displayId },
      admin,
    );
    expect(after.data!.display.archivedAt).not.toBeNull();
    await expect.poll(() => events.filter((e) => e.display.id === displayId).at(-1)?.type).toBe('DisplayArchived');
  });

  it('shows a device only its own display, with its store', async () => {
    const device = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.DEVICE], did: demoDisplayId(2, 3) });
    const res = await h.gql<{
      displays: { edges: { node: { id: string; store: { name: string; timezone: string } } }[] };
    }>(`{ displays(first: 50) { edges { node { id store { name timezone } } } } }`, {}, device);
    expect(res.errors).toBeUndefined();
    expect(res.data!.displays.edges).toEqual([
      { node: { id: demoDisplayId(2, 3), store: { name: 'Manchester Arndale', timezone: 'Europe/London' } } },
    ]);
  });
  it('sets the zone of many displays at once, all or none', async () => {
    const zone = (store: number, n: number) => `00000000-0000-4000-8000-00000000a0${store}${n}`;
    const set = (ids: string[], zoneId: string | null, token = admin) =>
      h.gql<{ setDisplaysZone: { id: string; zone: { id: string } | null }[] }>(
        `mutation($d: [ID!]!, $z: ID) { setDisplaysZone(displayIds: $d, zoneId: $z) { id zone { id } } }`,
        { d: ids, z: zoneId },
        token,
      );
    const zoneOf = async (id: string) =>
      (await h.gql<{ display: { zone: { id: string } | null } }>(`{ display(id: "${id}") { zone { id } } }`, {}, admin))
        .data!.display.zone?.id ?? null;

    const moved = await set([demoDisplayId(5, 1), demoDisplayId(5, 2)], zone(5, 3));
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.setDisplaysZone.map((d) => d.zone?.id)).toEqual([zone(5, 3), zone(5, 3)]);

    // A display of another store cannot join that zone: nothing changes, not even the first display.
    const mixed = await set([demoDisplayId(5, 4), demoDisplayId(6, 4)], zone(5, 1));
    expect(mixed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'zoneId' });
    expect(await zoneOf(demoDisplayId(5, 4))).not.toBe(zone(5, 1));
    // An empty or malformed zone id is refused, not written (the fuzz found "" answered INTERNAL_SERVER_ERROR).
    for (const bad of ['', 'not-a-zone']) {
      const res = await set([demoDisplayId(5, 2)], bad);
      expect(res.errors?.[0]?.extensions, bad).toMatchObject({ code: 'BAD_USER_INPUT', field: 'zoneId' });
      expect(await zoneOf(demoDisplayId(5, 2))).toBe(zone(5, 3));
    }

    const manager = await h.issuer.token({
      tid: DEMO_TENANT_ID,
      roles: [Role.STORE_MANAGER],
      stores: [demoStoreId(5)],
    });
    const foreign = await set([demoDisplayId(5, 1), demoDisplayId(6, 1)], null, manager);
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await zoneOf(demoDisplayId(5, 1))).toBe(zone(5, 3));

    const cleared = await set([demoDisplayId(5, 1)], null, manager);
    expect(cleared.data!.setDisplaysZone).toEqual([{ id: demoDisplayId(5, 1), zone: null }]);
    expect((await set([], null)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('archives many displays at once and tells consumers', async () => {
    const ids: string[] = [];
    for (const name of ['Bulk A', 'Bulk B']) {
      const res = await h.gql<{ createDisplay: { id: string } }>(
        `mutation { createDisplay(input: { storeId: "${demoStoreId(4)}", name: "${name}" }) { id } }`,
        {},
        admin,
      );
      ids.push(res.data!.createDisplay.id);
    }
    const res = await h.gql<{ archiveDisplays: { id: string; archivedAt: string | null }[] }>(
      `mutation($d: [ID!]!) { archiveDisplays(displayIds: $d) { id archivedAt } }`,
      { d: ids },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.archiveDisplays.every((d) => d.archivedAt !== null)).toBe(true);
    await expect.poll(() => events.filter((e) => ids.includes(e.display.id) && e.display.archivedAt).length).toBe(2);
  });
});
