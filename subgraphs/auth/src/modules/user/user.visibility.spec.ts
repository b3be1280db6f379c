import { DEMO_FIRST_STORE_ID, DEMO_TENANT_ID } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUserId } from '../../demo/demo-data.js';
import { startAuth, type AuthHarness, type GraphQLResponse } from '../../testing/harness.js';
import { canSeePrivateFields } from './user.visibility.js';

const ENTITIES = `query($r: [_Any!]!) {
  _entities(representations: $r) { ... on User { id displayName email roles storeIds status lastLoginAt createdAt updatedAt } }
}`;
const PRIVATE = ['email', 'roles', 'storeIds', 'status', 'lastLoginAt', 'createdAt', 'updatedAt'] as const;

type Entity = Record<string, unknown> | null;

let h: AuthHarness;
const tokens: Record<string, string> = {};
const MANAGER = demoUserId(3);

beforeAll(async () => {
  h = await startAuth();
  for (const [who, email] of [
    ['admin', 'hq@demo.test'],
    ['editor', 'editor@demo.test'],
    ['manager', 'manager@demo.test'],
    ['staff', 'staff@demo.test'],
  ] as const) {
    tokens[who] = (await h.login(email)).accessToken;
  }
  tokens.partner = (await h.partner(tokens.admin!, ['campaign:read'])).accessToken;
  const displayId = await h.publishDisplay({ tenantId: DEMO_TENANT_ID, storeId: DEMO_FIRST_STORE_ID });
  tokens.device = (await h.pairDevice(tokens.admin!, displayId)).accessToken;
  tokens.otherTenant = (await h.tenant('elsewhere')).admin.accessToken;
});
afterAll(() => h?.stop());

const entity = (who: string, id = MANAGER) =>
  h.gql<{ _entities: Entity[] }>(ENTITIES, { r: [{ __typename: 'User', id }] }, tokens[who]);

describe(canSeePrivateFields.name, () => {
  // The rule: HQ admins and the person themself see everything; others of the tenant id and name only.
  it.each([
    ['an HQ admin', 'admin', 'all'],
    ['the person themself', 'manager', 'all'],
    ['an HQ editor', 'editor', 'name'],
    ['a colleague of the same store', 'staff', 'name'],
    ['a partner with campaign:read', 'partner', 'name'],
  ])('%s reads a person (federation reference) and sees %s', async (_label, who, sees) => {
    const res = await entity(who);
    expect(res.errors).toBeUndefined();
    const user = res.data!._entities[0]!;
    expect(user).toMatchObject({ id: MANAGER, displayName: 'Morgan Reyes (store manager)' });
    for (const field of PRIVATE.filter((f) => f !== 'lastLoginAt')) {
      if (sees === 'all') expect(user[field], field).not.toBeNull();
      else expect(user[field], field).toBeNull();
    }
    if (sees === 'all') expect(user).toMatchObject({ email: 'manager@demo.test', roles: ['STORE_MANAGER'] });
  });

  // Devices have no business with people, and nobody crosses tenants: no entity, and an error that says so.
  it.each([
    ['a display player', 'device'],
    ['another tenant’s admin', 'otherTenant'],
  ])('%s gets NOT_FOUND for a person', async (_label, who) => {
    const res: GraphQLResponse<{ _entities: Entity[] }> = await entity(who);
    expect(res.data?._entities).toEqual([null]);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ extensions: { code: 'NOT_FOUND' }, path: ['_entities', 0] });
  });

  // A reference that resolves to nobody used to come back as a bare null; the gateway then reported
  // `{"data":null}` with the only error hidden in extensions.valueCompletion.
  it('answers a reference to nobody with NOT_FOUND, beside the people it does resolve', async () => {
    const res = await h.gql<{ _entities: Entity[] }>(
      ENTITIES,
      {
        r: [
          { __typename: 'User', id: 'demo' },
          { __typename: 'User', id: MANAGER },
        ],
      },
      tokens.admin,
    );
    expect(res.data!._entities[0]).toBeNull();
    expect(res.data!._entities[1]).toMatchObject({ id: MANAGER, email: 'manager@demo.test' });
    expect(res.errors).toEqual([
      expect.objectContaining({ path: ['_entities', 0], extensions: expect.objectContaining({ code: 'NOT_FOUND' }) }),
    ]);
  });

  it('shows the signed-in person their own fields in the sign-in answer', async () => {
    const signedIn = await h.login('staff@demo.test');
    expect(signedIn.user).toMatchObject({
      email: 'staff@demo.test',
      roles: ['STORE_STAFF'],
      storeIds: [DEMO_FIRST_STORE_ID],
    });
  });

  it('shows people their own fields through `me`', async () => {
    const res = await h.ok<{ me: { email: string; roles: string[] } }>('{ me { email roles } }', {}, tokens.staff);
    expect(res.me).toEqual({ email: 'staff@demo.test', roles: ['STORE_STAFF'] });
  });
});
