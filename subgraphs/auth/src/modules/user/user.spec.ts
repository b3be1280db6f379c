import { randomUUID } from 'node:crypto';
import { DEMO_FIRST_STORE_ID, DEMO_TENANT_ID, RedisCache, Role, TokenVerifier, type DeliveredMessage } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoUserId } from '../../demo/demo-data.js';
import { AuthTopic } from '../../events.js';
import { outcome, startAuth, type AuthHarness } from '../../testing/harness.js';
import { UserService } from './user.service.js';

let h: AuthHarness;
let admin: string;
let subgraph: TokenVerifier;
const userEvents: DeliveredMessage[] = [];

const CREATE = `mutation($input: CreateUserInput!) {
  createUser(input: $input) { invitationToken invitationExpiresAt user { id email displayName status roles storeIds } }
}`;
const SET_ROLES = 'mutation($input: SetUserRolesInput!) { setUserRoles(input: $input) { id roles storeIds } }';
const ACCEPT = `mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken user { email status } } }`;

const email = () => `person-${randomUUID().slice(0, 8)}@example.test`;

beforeAll(async () => {
  h = await startAuth();
  admin = (await h.login('hq@demo.test')).accessToken;
  subgraph = new TokenVerifier({
    issuer: h.env.AUTH_ISSUER,
    audience: h.env.AUTH_AUDIENCE,
    keys: h.service.jwksUrl,
    cache: new RedisCache(h.redis, h.cachePrefix),
  });
  await h.infra.bus.subscribe({
    groupId: 'user-spec',
    topics: [AuthTopic.user],
    fromBeginning: true,
    handler: async (m) => {
      userEvents.push(m);
    },
  });
});
afterAll(() => h?.stop());

describe(UserService.name, () => {
  it('invites a person, who sets a password with the invitation and is signed in', async () => {
    const address = email();
    const { createUser } = await h.ok<{
      createUser: { invitationToken: string; user: { id: string; email: string; status: string } };
    }>(CREATE, { input: { email: address.toUpperCase(), displayName: 'Ina Vite', roles: ['HQ_VIEWER'] } }, admin);
    expect(createUser.user).toMatchObject({ email: address, status: 'INVITED' });
    expect(createUser.invitationToken).toMatch(/^inv_/);
    // Invited people cannot sign in before accepting.
    expect(
      outcome(
        await h.gql('mutation($e: String!) { login(email: $e, password: "whatever-long") { accessToken } }', {
          e: address,
        }),
      ),
    ).toBe('UNAUTHENTICATED');
    const accepted = await h.ok<{ acceptInvitation: { accessToken: string; user: { status: string } } }>(ACCEPT, {
      input: { token: createUser.invitationToken, password: 'my own long password' },
    });
    expect(accepted.acceptInvitation.user.status).toBe('ACTIVE');
    expect((await subgraph.verify(accepted.acceptInvitation.accessToken)).subject).toBe(createUser.user.id);
    // The invitation works once.
    expect(
      outcome(await h.gql(ACCEPT, { input: { token: createUser.invitationToken, password: 'another long one' } })),
    ).toBe('UNAUTHENTICATED');
    await h.login(address, 'my own long password');
  });

  it('refuses an invitation past its expiry', async () => {
    const { createUser } = await h.ok<{ createUser: { invitationToken: string } }>(
      CREATE,
      { input: { email: email(), displayName: 'Late', roles: ['HQ_VIEWER'] } },
      admin,
    );
    h.clock.advance(h.env.AUTH_INVITATION_TTL + 1);
    const res = await h.gql(ACCEPT, { input: { token: createUser.invitationToken, password: 'a long enough one' } });
    expect(outcome(res)).toBe('UNAUTHENTICATED');
    expect(res.errors![0]!.message).toMatch(/expired/);
    admin = (await h.login('hq@demo.test')).accessToken;
  });

  it.each([
    ['a role meant for partners', { roles: ['PARTNER'] }, /PARTNER cannot be given to a person/],
    ['a store role without stores', { roles: ['STORE_STAFF'] }, /a store role needs at least one store/],
    [
      'stores with HQ roles only',
      { roles: ['HQ_EDITOR'], storeIds: [DEMO_FIRST_STORE_ID] },
      /stores apply only to store roles/,
    ],
    ['no roles', { roles: [] }, /at least one role/],
    ['a bad email', { email: 'not-an-email' }, /email must be an email address/],
    ['a short password', { password: 'short' }, /at least 12 characters/],
    [
      'a store id that is not an id',
      { roles: ['STORE_STAFF'], storeIds: ['store-1'] },
      /each storeId must be a store id/,
    ],
  ])('refuses %s with BAD_USER_INPUT', async (_name, patch, message) => {
    const res = await h.gql(
      CREATE,
      { input: { email: email(), displayName: 'X', roles: ['HQ_VIEWER'], ...patch } },
      admin,
    );
    expect(outcome(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.message).toMatch(message);
  });

  it('refuses a second account with the same email', async () => {
    const res = await h.gql(
      CREATE,
      { input: { email: 'Editor@Demo.test', displayName: 'Dup', roles: ['HQ_VIEWER'] } },
      admin,
    );
    expect(outcome(res)).toBe('CONFLICT');
  });

  it('changes roles and store scopes, ending the sessions so the change applies at once', async () => {
    const p = await h.person(admin, [Role.STORE_STAFF], [DEMO_FIRST_STORE_ID]);
    const otherStore = randomUUID();
    const { setUserRoles } = await h.ok<{ setUserRoles: { roles: string[]; storeIds: string[] } }>(
      SET_ROLES,
      { input: { userId: p.id, roles: ['STORE_MANAGER', 'STORE_STAFF'], storeIds: [otherStore, DEMO_FIRST_STORE_ID] } },
      admin,
    );
    expect(setUserRoles.roles).toEqual(['STORE_MANAGER', 'STORE_STAFF']);
    expect(setUserRoles.storeIds).toEqual([DEMO_FIRST_STORE_ID, otherStore].sort());
    await expect(subgraph.verify(p.accessToken)).rejects.toThrow('revoked');
    const again = await h.login(p.email, p.password);
    expect(await subgraph.verify(again.accessToken)).toMatchObject({
      roles: ['STORE_MANAGER', 'STORE_STAFF'],
      storeIds: [DEMO_FIRST_STORE_ID, otherStore].sort(),
    });
    const audit = await h.db.query(
      `SELECT details FROM auth.audit_event WHERE type = 'USER_ROLES_CHANGED' AND subject_id = $1`,
      [p.id],
    );
    expect(audit.rows[0].details).toMatchObject({
      before: { roles: ['STORE_STAFF'], storeIds: [DEMO_FIRST_STORE_ID] },
      after: { roles: ['STORE_MANAGER', 'STORE_STAFF'] },
      sessionsRevoked: 1,
    });
    await vi.waitFor(() => expect(userEvents.filter((e) => e.key === p.id).length).toBeGreaterThanOrEqual(2));
    const last = userEvents.filter((e) => e.key === p.id).at(-1)!.value as { type: string; user: { roles: string[] } };
    expect(last).toMatchObject({ type: 'UserUpserted', user: { roles: ['STORE_MANAGER', 'STORE_STAFF'] } });
  });

  it('deactivates and reactivates a person', async () => {
    const p = await h.person(admin, [Role.HQ_EDITOR]);
    expect(await h.ok('mutation($id: ID!) { deactivateUser(id: $id) { status } }', { id: p.id }, admin)).toEqual({
      deactivateUser: { status: 'DEACTIVATED' },
    });
    expect(outcome(await h.gql('{ me { id } }', {}, p.accessToken))).toBe('UNAUTHENTICATED');
    expect(await h.ok('mutation($id: ID!) { reactivateUser(id: $id) { status } }', { id: p.id }, admin)).toEqual({
      reactivateUser: { status: 'ACTIVE' },
    });
    await h.login(p.email, p.password);
  });

  it('will not let an admin change or deactivate themselves', async () => {
    for (const [query, variables] of [
      [SET_ROLES, { input: { userId: demoUserId(1), roles: ['HQ_VIEWER'] } }],
      ['mutation($id: ID!) { deactivateUser(id: $id) { id } }', { id: demoUserId(1) }],
    ] as const) {
      const res = await h.gql(query, variables, admin);
      expect(outcome(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.message).toMatch(/yourself/);
    }
  });

  it('changes a password, keeping the current session and ending the others', async () => {
    const p = await h.person(admin, [Role.HQ_VIEWER]);
    const other = await h.login(p.email, p.password);
    const CHANGE = 'mutation($input: ChangePasswordInput!) { changePassword(input: $input) }';
    const wrong = await h.gql(
      CHANGE,
      { input: { currentPassword: 'not it at all', newPassword: 'the new password' } },
      p.accessToken,
    );
    expect(outcome(wrong)).toBe('BAD_USER_INPUT');
    await h.ok(CHANGE, { input: { currentPassword: p.password, newPassword: 'the new password' } }, p.accessToken);
    await expect(subgraph.verify(p.accessToken)).resolves.toMatchObject({ subject: p.id });
    await expect(subgraph.verify(other.accessToken)).rejects.toThrow('revoked');
    await h.login(p.email, 'the new password');
  });

  it('lists the tenant’s people by email with filters and cursors', async () => {
    const storeId = randomUUID();
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await h.person(admin, [Role.STORE_STAFF], [storeId]));
    const LIST = `query($first: Int, $after: String, $filter: UserFilter) {
      users(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { email } } }
    }`;
    type Page = {
      users: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: { node: { email: string } }[];
      };
    };
    const page1 = await h.ok<Page>(LIST, { first: 2, filter: { storeId } }, admin);
    expect(page1.users.totalCount).toBe(3);
    expect(page1.users.pageInfo.hasNextPage).toBe(true);
    const page2 = await h.ok<Page>(
      LIST,
      { first: 2, after: page1.users.pageInfo.endCursor, filter: { storeId } },
      admin,
    );
    const emails = [...page1.users.edges, ...page2.users.edges].map((e) => e.node.email);
    expect(emails).toEqual(made.map((m) => m.email).sort());
    const admins = await h.ok<Page>(LIST, { filter: { role: 'HQ_ADMIN' } }, admin);
    expect(admins.users.edges.map((e) => e.node.email)).toEqual(['hq@demo.test']);
    const search = await h.ok<Page>(LIST, { filter: { search: 'EDITOR@' } }, admin);
    expect(search.users.edges.map((e) => e.node.email)).toEqual(['editor@demo.test']);
    expect(outcome(await h.gql(LIST, { first: 101 }, admin))).toBe('BAD_USER_INPUT');
  });

  it('resolves User entity references for other subgraphs, within the caller’s tenant', async () => {
    const manager = (await h.login('manager@demo.test')).accessToken;
    const res = await h.gql<{ _entities: unknown[] }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email displayName } } }',
      {
        r: [
          { __typename: 'User', id: demoUserId(2) },
          { __typename: 'User', id: randomUUID() },
          { __typename: 'User', id: 'nonsense' },
          { __typename: 'User', id: demoUserId(1) },
        ],
      },
      manager,
    );
    // Colleagues are shown by name only (user.visibility.spec.ts has the whole rule); nobody is NOT_FOUND.
    expect(res.data!._entities).toEqual([
      { id: demoUserId(2), email: null, displayName: expect.any(String) },
      null,
      null,
      { id: demoUserId(1), email: null, displayName: expect.any(String) },
    ]);
    expect(res.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['_entities', 1], 'NOT_FOUND'],
      [['_entities', 2], 'NOT_FOUND'],
    ]);
  });

  it('answers `me` for the signed-in person and nobody else', async () => {
    const { me } = await h.ok<{ me: { id: string; roles: string[]; storeIds: string[] } }>(
      '{ me { id roles storeIds } }',
      {},
      (await h.login('staff@demo.test')).accessToken,
    );
    expect(me).toEqual({ id: demoUserId(4), roles: ['STORE_STAFF'], storeIds: [DEMO_FIRST_STORE_ID] });
    const tenantOfMe = await h.db.query(`SELECT tenant_id FROM auth."user" WHERE id = $1`, [me.id]);
    expect(tenantOfMe.rows[0].tenant_id).toBe(DEMO_TENANT_ID);
  });
});
