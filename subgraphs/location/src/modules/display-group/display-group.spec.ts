import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDisplayId, demoStoreId } from '../../demo/demo-data.js';
import { startLocation, type LocationHarness } from '../../testing/harness.js';
import { DisplayGroupResolver } from './display-group.resolver.js';

const OTHER_TENANT = '11111111-1111-4111-8111-111111111111';
const GROUP = `id name description tags archivedAt displayCount displays { id name store { id } }`;

interface GroupData {
  id: string;
  name: string;
  description: string | null;
  tags: string[];
  archivedAt: string | null;
  displayCount: number;
  displays: { id: string; name: string; store: { id: string } }[];
}

describe(DisplayGroupResolver.name, () => {
  let h: LocationHarness;
  let admin: string;
  let editor: string;
  let manager: string;
  let stranger: string;

  beforeAll(async () => {
    h = await startLocation();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
    editor = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_EDITOR] });
    manager = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.STORE_MANAGER], stores: [demoStoreId(1)] });
    stranger = await h.issuer.token({ tid: OTHER_TENANT, roles: [Role.HQ_ADMIN] });
  });
  afterAll(() => h?.stop());

  const create = (input: Record<string, unknown>, token = admin) =>
    h.gql<{ createDisplayGroup: GroupData }>(
      `mutation($i: CreateDisplayGroupInput!) { createDisplayGroup(input: $i) { ${GROUP} } }`,
      { i: input },
      token,
    );
  const add = (groupId: string, displayIds: string[], token = admin) =>
    h.gql<{ addDisplaysToGroup: GroupData }>(
      `mutation($g: ID!, $d: [ID!]!) { addDisplaysToGroup(groupId: $g, displayIds: $d) { ${GROUP} } }`,
      { g: groupId, d: displayIds },
      token,
    );
  const read = (id: string, token = admin) =>
    h.gql<{ displayGroup: GroupData | null }>(`query($id: ID!) { displayGroup(id: $id) { ${GROUP} } }`, { id }, token);

  it('creates a group across stores with canonical tags and its displays', async () => {
    const res = await create({
      name: '  Window screens ',
      tags: ['Window', 'window', 'promo'],
      displayIds: [demoDisplayId(1, 1), demoDisplayId(2, 1)],
    });
    expect(res.errors).toBeUndefined();
    const group = res.data!.createDisplayGroup;
    expect(group).toMatchObject({ name: 'Window screens', tags: ['promo', 'window'], displayCount: 2 });
    expect(group.displays.map((d) => d.store.id).sort()).toEqual([demoStoreId(1), demoStoreId(2)].sort());
  });

  it('refuses a second active group of the same name, in any case, with CONFLICT', async () => {
    await create({ name: 'Entrance walls' });
    const res = await create({ name: 'ENTRANCE WALLS' });
    expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(res.errors?.[0]?.extensions).toMatchObject({ field: 'name' });
  });

  it('adds displays idempotently and all or none', async () => {
    const group = (await create({ name: 'Tills', displayIds: [demoDisplayId(1, 2)] })).data!.createDisplayGroup;
    const again = await add(group.id, [demoDisplayId(1, 2), demoDisplayId(3, 2), demoDisplayId(3, 2)]);
    expect(again.errors).toBeUndefined();
    expect(again.data!.addDisplaysToGroup.displays.map((d) => d.id).sort()).toEqual(
      [demoDisplayId(1, 2), demoDisplayId(3, 2)].sort(),
    );

    const unknown = '7b0a8f7e-1111-4111-8111-111111111111';
    const refused = await add(group.id, [demoDisplayId(4, 2), unknown]);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', displayIds: [unknown] });
    expect((await read(group.id)).data!.displayGroup!.displayCount).toBe(2);

    const malformed = await add(group.id, ['display-1']);
    expect(malformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await add(
      group.id,
      Array.from({ length: 501 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
    );
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', max: 500 });
  });

  it('removes displays, hides archived ones and filters the display list by group', async () => {
    const created = await h.gql<{ createDisplay: { id: string } }>(
      `mutation { createDisplay(input: { storeId: "${demoStoreId(2)}", name: "Short-lived" }) { id } }`,
      {},
      admin,
    );
    const temp = created.data!.createDisplay.id;
    const group = (await create({ name: 'Queue boards', displayIds: [demoDisplayId(2, 3), demoDisplayId(5, 3), temp] }))
      .data!.createDisplayGroup;
    expect(group.displayCount).toBe(3);

    await h.gql(`mutation { archiveDisplay(id: "${temp}") { id } }`, {}, admin);
    expect((await read(group.id)).data!.displayGroup!.displayCount).toBe(2);

    const removed = await h.gql<{ removeDisplaysFromGroup: GroupData }>(
      `mutation($g: ID!, $d: [ID!]!) { removeDisplaysFromGroup(groupId: $g, displayIds: $d) { ${GROUP} } }`,
      { g: group.id, d: [demoDisplayId(5, 3), demoDisplayId(6, 3)] },
      admin,
    );
    expect(removed.errors).toBeUndefined();
    expect(removed.data!.removeDisplaysFromGroup.displays.map((d) => d.id)).toEqual([demoDisplayId(2, 3)]);

    const listed = await h.gql<{ displays: { totalCount: number; edges: { node: { id: string } }[] } }>(
      `query($g: ID!) { displays(first: 50, filter: { groupId: $g }) { totalCount edges { node { id } } } }`,
      { g: group.id },
      admin,
    );
    expect(listed.data!.displays.edges.map((e) => e.node.id)).toEqual([demoDisplayId(2, 3)]);
  });

  it('renames, archives (freeing the name) and restores a group', async () => {
    const group = (await create({ name: 'Pillars', displayIds: [demoDisplayId(6, 1)] })).data!.createDisplayGroup;
    const renamed = await h.gql<{ updateDisplayGroup: GroupData }>(
      `mutation($i: UpdateDisplayGroupInput!) { updateDisplayGroup(input: $i) { ${GROUP} } }`,
      { i: { id: group.id, name: 'Pillar screens', description: 'Free-standing', tags: ['Tall'] } },
      admin,
    );
    expect(renamed.data!.updateDisplayGroup).toMatchObject({
      name: 'Pillar screens',
      description: 'Free-standing',
      tags: ['tall'],
    });

    const archived = await h.gql<{ archiveDisplayGroup: GroupData }>(
      `mutation { archiveDisplayGroup(id: "${group.id}") { ${GROUP} } }`,
      {},
      admin,
    );
    expect(archived.data!.archiveDisplayGroup.archivedAt).not.toBeNull();
    // Its displays stay in it for a restore, but nothing can be added while archived.
    expect(archived.data!.archiveDisplayGroup.displayCount).toBe(1);
    expect((await add(group.id, [demoDisplayId(6, 2)])).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const names = await h.gql<{ displayGroups: { edges: { node: { name: string } }[] } }>(
      `{ displayGroups(first: 100) { edges { node { name } } } }`,
      {},
      admin,
    );
    expect(names.data!.displayGroups.edges.map((e) => e.node.name)).not.toContain('Pillar screens');

    // The name is free again; restoring the old one now conflicts.
    const taken = await create({ name: 'Pillar screens' });
    expect(taken.errors).toBeUndefined();
    const restored = await h.gql(`mutation { restoreDisplayGroup(id: "${group.id}") { id } }`, {}, admin);
    expect(restored.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await h.gql(`mutation { archiveDisplayGroup(id: "${taken.data!.createDisplayGroup.id}") { id } }`, {}, admin);
    const back = await h.gql<{ restoreDisplayGroup: GroupData }>(
      `mutation { restoreDisplayGroup(id: "${group.id}") { ${GROUP} } }`,
      {},
      admin,
    );
    expect(back.data!.restoreDisplayGroup).toMatchObject({ archivedAt: null, displayCount: 1 });
  });

  it('searches groups by name and tag, and lists a display’s groups', async () => {
    await create({ name: 'Menu boards', tags: ['food'], displayIds: [demoDisplayId(4, 4)] });
    const found = await h.gql<{ displayGroups: { edges: { node: { name: string } }[] } }>(
      `{ displayGroups(filter: { search: "menu" }) { edges { node { name } } } }`,
      {},
      admin,
    );
    expect(found.data!.displayGroups.edges.map((e) => e.node.name)).toEqual(['Menu boards']);
    const byTag = await h.gql<{ displayGroups: { edges: { node: { name: string } }[] } }>(
      `{ displayGroups(filter: { tag: "FOOD" }) { edges { node { name } } } }`,
      {},
      admin,
    );
    expect(byTag.data!.displayGroups.edges.map((e) => e.node.name)).toEqual(['Menu boards']);
    const display = await h.gql<{ display: { groups: { name: string }[] } }>(
      `{ display(id: "${demoDisplayId(4, 4)}") { groups { name } } }`,
      {},
      editor,
    );
    expect(display.data!.display.groups.map((g) => g.name)).toEqual(['Menu boards']);
  });

  it.each([
    ['an HQ editor creating', () => editor, 'create', 'FORBIDDEN'],
    ['a store manager creating', () => manager, 'create', 'FORBIDDEN'],
    ['a store manager reading', () => manager, 'read', 'FORBIDDEN'],
    ['an HQ editor reading', () => editor, 'read', 'ok'],
    ['another tenant reading', () => stranger, 'read', 'none'],
    ['another tenant adding displays', () => stranger, 'add', 'NOT_FOUND'],
  ] as const)('answers %s with %s', async (_name, token, op, outcome) => {
    const group = (await create({ name: `Authz ${Math.random()}` })).data!.createDisplayGroup;
    const res =
      op === 'create'
        ? await create({ name: `Authz new ${Math.random()}` }, token())
        : op === 'add'
          ? await add(group.id, [demoDisplayId(1, 1)], token())
          : await read(group.id, token());
    if (outcome === 'ok') {
      expect(res.errors).toBeUndefined();
      expect((res.data as { displayGroup: GroupData }).displayGroup.id).toBe(group.id);
    } else if (outcome === 'none') {
      expect(res.errors).toBeUndefined();
      expect((res.data as { displayGroup: GroupData | null }).displayGroup).toBeNull();
    } else {
      expect(res.errors?.[0]?.extensions?.code).toBe(outcome);
    }
  });
});
