import { storeEventV1 } from '@phub/contracts';
import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStoreId } from '../../demo/demo-data.js';
import { LocationTopic, type StoreEvent } from '../../events.js';
import { startLocation, type LocationHarness } from '../../testing/harness.js';
import { StoreResolver } from './store.resolver.js';

const STORES = /* GraphQL */ `
  query Stores($first: Int, $after: String, $filter: StoreFilter) {
    stores(first: $first, after: $after, filter: $filter) {
      totalCount
      edges {
        cursor
        node {
          id
          name
          code
          timezone
          tags
          region {
            code
          }
          displays {
            id
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
const CREATE = /* GraphQL */ `
  mutation Create($input: CreateStoreInput!) {
    createStore(input: $input) {
      id
      name
      code
      timezone
      tags
      openingHours {
        day
        opens
        closes
      }
      geo {
        lat
        lng
      }
    }
  }
`;

interface StoresData {
  stores: {
    totalCount: number;
    edges: {
      cursor: string;
      node: { id: string; name: string; code: string; timezone: string; tags: string[]; displays: { id: string }[] };
    }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

describe(StoreResolver.name, () => {
  let h: LocationHarness;
  let admin: string;

  beforeAll(async () => {
    h = await startLocation();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
  });
  afterAll(() => h?.stop());

  it('lists the demo stores with their displays, by name', async () => {
    const res = await h.gql<StoresData>(STORES, { first: 10 }, admin);
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.stores.edges.map((e) => e.node);
    expect(nodes).toHaveLength(6);
    expect(nodes.map((n) => n.name)).toEqual([...nodes.map((n) => n.name)].sort());
    expect(new Set(nodes.map((n) => n.timezone)).size).toBeGreaterThanOrEqual(2);
    for (const n of nodes) expect(n.displays).toHaveLength(4);
    expect(res.data!.stores.pageInfo.hasNextPage).toBe(false);
  });

  it('pages with stable cursors until the end', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: Awaited<ReturnType<typeof h.gql<StoresData>>> = await h.gql<StoresData>(
        STORES,
        { first: 4, after },
        admin,
      );
      expect(res.errors).toBeUndefined();
      seen.push(...res.data!.stores.edges.map((e) => e.node.id));
      if (!res.data!.stores.pageInfo.hasNextPage) break;
      after = res.data!.stores.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
  });

  it.each([
    ['tag', { tag: 'flagship' }, 2],
    ['tag, any case', { tag: 'FLAGSHIP' }, 2],
    ['search on name', { search: 'oxford' }, 1],
    ['search on code', { search: 'nyc' }, 1],
    ['search with LIKE wildcards is literal', { search: '%' }, 0],
  ])('filters by %s', async (_name, filter, expected) => {
    const res = await h.gql<StoresData>(STORES, { filter }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data!.stores.totalCount).toBe(expected);
  });

  it.each([
    ['an invalid time zone', { name: 'X', code: 'X1', timezone: 'Mars/Olympus' }, 'timezone'],
    ['an empty name', { name: '', code: 'X2', timezone: 'Europe/Paris' }, 'name'],
    ['a malformed code', { name: 'X', code: 'has space', timezone: 'Europe/Paris' }, 'code'],
    ['an out-of-range latitude', { name: 'X', code: 'X3', timezone: 'UTC', geo: { lat: 95, lng: 0 } }, 'geo.lat'],
    ['a bad tag', { name: 'X', code: 'X4', timezone: 'UTC', tags: ['Not OK!'] }, 'tags'],
    [
      'hours that close before they open',
      { name: 'X', code: 'X5', timezone: 'UTC', openingHours: [{ day: 'MON', opens: '18:00', closes: '09:00' }] },
      'openingHours',
    ],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_name, input, field) => {
    const before = await h.gql<StoresData>(STORES, { filter: { includeArchived: true } }, admin);
    const res = await h.gql(CREATE, { input }, admin);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain(field.split('.')[0]);
    const after = await h.gql<StoresData>(STORES, { filter: { includeArchived: true } }, admin);
    expect(after.data!.stores.totalCount).toBe(before.data!.stores.totalCount);
  });

  it('creates, updates and archives a store, publishing each change through the outbox', async () => {
    const events: StoreEvent[] = [];
    const sub = await h.infra.bus.subscribe({
      groupId: 'store-spec',
      topics: [LocationTopic.store],
      handler: async (m) => void events.push(m.value as StoreEvent),
    });
    const created = await h.gql<{ createStore: { id: string; tags: string[] } }>(
      CREATE,
      {
        input: {
          name: '  Paris Rivoli ',
          code: 'PAR-RIV',
          timezone: 'Europe/Paris',
          tags: ['Flagship', 'flagship', 'new'],
          geo: { lat: 48.86, lng: 2.34 },
          openingHours: [{ day: 'MON', opens: '10:00', closes: '19:00' }],
        },
      },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createStore.id;
    expect(created.data!.createStore.tags).toEqual(['flagship', 'new']);

    const dup = await h.gql(CREATE, { input: { name: 'Again', code: 'PAR-RIV', timezone: 'Europe/Paris' } }, admin);
    expect(dup.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const updated = await h.gql<{ updateStore: { timezone: string } }>(
      `mutation($input: UpdateStoreInput!) { updateStore(input: $input) { timezone name } }`,
      { input: { id, timezone: 'Europe/Berlin' } },
      admin,
    );
    expect(updated.data?.updateStore.timezone).toBe('Europe/Berlin');

    const archived = await h.gql<{ archiveStore: { archivedAt: string | null } }>(
      `mutation($id: ID!) { archiveStore(id: $id) { archivedAt } }`,
      { id },
      admin,
    );
    expect(archived.data?.archiveStore.archivedAt).not.toBeNull();
    const listed = await h.gql<StoresData>(STORES, { filter: { search: 'Rivoli' } }, admin);
    expect(listed.data!.stores.totalCount).toBe(0);

    await expect
      .poll(() => events.filter((e) => e.store.id === id).map((e) => e.type))
      .toEqual(['StoreUpserted', 'StoreUpserted', 'StoreArchived']);
    // Consumers parse with the shared contract; the hours travel with the store.
    for (const e of events) storeEventV1.schema.parse(e);
    expect(events.find((e) => e.store.id === id)!.store.openingHours).toEqual([
      { day: 'MON', opens: '10:00', closes: '19:00' },
    ]);
    await sub.close();
  });

  it.each([
    ['unknown id', '7b0a8f7e-1111-4111-8111-111111111111'],
    ['malformed id', 'not-a-uuid'],
  ])('answers null for an %s and NOT_FOUND when updating it', async (_name, id) => {
    const read = await h.gql<{ store: unknown }>(`query($id: ID!) { store(id: $id) { id } }`, { id }, admin);
    expect(read.errors).toBeUndefined();
    expect(read.data?.store).toBeNull();
    const write = await h.gql(
      `mutation($input: UpdateStoreInput!) { updateStore(input: $input) { id } }`,
      { input: { id, name: 'x' } },
      admin,
    );
    expect(write.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  describe('opening hours exceptions and contact', () => {
    const UPDATE = /* GraphQL */ `
      mutation ($input: UpdateStoreInput!) {
        updateStore(input: $input) {
          openingHoursExceptions {
            date
            closed
            opens
            closes
            note
          }
          contact {
            phone
            email
          }
          openingHours {
            day
          }
        }
      }
    `;
    const create = async (): Promise<string> => {
      const code = `X${Math.random().toString(36).slice(2, 10)}`;
      const res = await h.gql<{ createStore: { id: string } }>(
        CREATE,
        {
          input: {
            name: 'Exceptions',
            code,
            timezone: 'Europe/Berlin',
            openingHours: [{ day: 'MON', opens: '09:00', closes: '18:00' }],
          },
        },
        admin,
      );
      return res.data!.createStore.id;
    };

    it('keeps them by date, replaces them as a whole, and leaves the weekly hours alone', async () => {
      const id = await create();
      const first = await h.gql<{ updateStore: Record<string, unknown> }>(
        UPDATE,
        {
          input: {
            id,
            openingHoursExceptions: [
              { date: '2026-12-26', closed: true, note: ' Boxing Day ' },
              { date: '2026-12-24', closed: false, opens: '09:00', closes: '14:00' },
            ],
            contact: { phone: '+49 30 1234567', email: 'Store@Example.com' },
          },
        },
        admin,
      );
      expect(first.errors).toBeUndefined();
      expect(first.data!.updateStore).toEqual({
        openingHoursExceptions: [
          { date: '2026-12-24', closed: false, opens: '09:00', closes: '14:00', note: null },
          { date: '2026-12-26', closed: true, opens: null, closes: null, note: 'Boxing Day' },
        ],
        contact: { phone: '+49 30 1234567', email: 'store@example.com' },
        openingHours: [{ day: 'MON' }],
      });
      const second = await h.gql<{ updateStore: Record<string, unknown> }>(
        UPDATE,
        { input: { id, openingHoursExceptions: [], contact: null } },
        admin,
      );
      expect(second.data!.updateStore).toMatchObject({ openingHoursExceptions: [], contact: null });
    });

    it.each([
      [
        'a date twice',
        [
          { date: '2026-05-01', closed: true },
          { date: '2026-05-01', closed: true },
        ],
        /given twice/,
      ],
      ['a date that does not exist', [{ date: '2026-02-30', closed: true }], /not a calendar date/],
      ['an open day without hours', [{ date: '2026-05-01', closed: false, opens: '09:00' }], /needs opens and closes/],
      [
        'a window that closes first',
        [{ date: '2026-05-01', closed: false, opens: '18:00', closes: '09:00' }],
        /close after/,
      ],
      [
        'a closed day with hours',
        [{ date: '2026-05-01', closed: true, opens: '09:00', closes: '12:00' }],
        /leave opens/,
      ],
      ['a malformed date', [{ date: '1.5.2026', closed: true }], /YYYY-MM-DD/],
    ])('refuses %s with BAD_USER_INPUT and changes nothing', async (_name, exceptions, message) => {
      const id = await create();
      const res = await h.gql(UPDATE, { input: { id, name: 'Changed', openingHoursExceptions: exceptions } }, admin);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(res.errors)).toMatch(message);
      const after = await h.gql<{ store: { name: string; openingHoursExceptions: unknown[] } }>(
        `query($id: ID!) { store(id: $id) { name openingHoursExceptions { date } } }`,
        { id },
        admin,
      );
      expect(after.data!.store).toEqual({ name: 'Exceptions', openingHoursExceptions: [] });
    });

    it.each([
      ['a phone without country code', { phone: '030 1234567' }],
      ['an email that is not one', { email: 'not-an-email' }],
    ])('refuses %s as contact', async (_name, contact) => {
      const id = await create();
      const res = await h.gql(UPDATE, { input: { id, contact } }, admin);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  it('resolves store references in one batch for the gateway', async () => {
    const ids = [demoStoreId(1), demoStoreId(2), '7b0a8f7e-1111-4111-8111-111111111111'];
    const res = await h.gql<{ _entities: ({ name: string } | null)[] }>(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Store { name } } }`,
      { reps: ids.map((id) => ({ __typename: 'Store', id })) },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((e) => e?.name ?? null)).toEqual([
      'London Oxford Street',
      'Manchester Arndale',
      null,
    ]);
  });

  it('is UNAUTHENTICATED without a token', async () => {
    const res = await h.gql(STORES, {});
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
