import { randomUUID } from 'node:crypto';
import { createLogger, defineJob, DEMO_FIRST_STORE_ID, DEMO_TENANT_ID, JobRunner, Role } from '@phub/kit';
import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuth, outcome, type AuthHarness, type GraphQLResponse } from './testing/harness.js';

/**
 * Every query and mutation of the auth subgraph against every kind of caller, over HTTP.
 * Each case gets a fresh caller (a new session or token), so cases cannot disturb each other.
 */

type Caller = 'ANONYMOUS' | Role;
const CALLERS: Caller[] = [
  'ANONYMOUS',
  Role.HQ_ADMIN,
  Role.HQ_EDITOR,
  Role.HQ_VIEWER,
  Role.STORE_MANAGER,
  Role.STORE_STAFF,
  Role.PARTNER,
  Role.DEVICE,
];
const AUTHENTICATED = CALLERS.filter((c) => c !== 'ANONYMOUS');
const PEOPLE: Caller[] = [Role.HQ_ADMIN, Role.HQ_EDITOR, Role.HQ_VIEWER, Role.STORE_MANAGER, Role.STORE_STAFF];
const HQ_ADMIN_ONLY: Caller[] = [Role.HQ_ADMIN];
const CLAIMERS: Caller[] = [Role.HQ_ADMIN, Role.HQ_EDITOR, Role.STORE_MANAGER, Role.STORE_STAFF];
const DEVICE_REVOKERS: Caller[] = [Role.HQ_ADMIN, Role.HQ_EDITOR, Role.STORE_MANAGER];

let h: AuthHarness;
let admin: string;
const people = new Map<Role, { email: string; password: string }>();
let loginTarget: { email: string; password: string };
let client: { clientId: string; clientSecret: string };
let demoDisplay: string;

interface Fresh {
  token: string | undefined;
  password?: string;
}

/** A new token for the caller: a fresh login, client-credentials grant, or device pairing. */
async function callerToken(caller: Caller): Promise<Fresh> {
  if (caller === 'ANONYMOUS') return { token: undefined };
  if (caller === Role.PARTNER) {
    const { data } = await h.gql<{ issueClientToken: { accessToken: string } }>(
      `mutation($input: IssueClientTokenInput!) { issueClientToken(input: $input) { accessToken } }`,
      { input: { clientId: client.clientId, clientSecret: client.clientSecret } },
    );
    return { token: data!.issueClientToken.accessToken };
  }
  if (caller === Role.DEVICE) {
    const display = await h.publishDisplay({ tenantId: DEMO_TENANT_ID, storeId: DEMO_FIRST_STORE_ID });
    return { token: (await h.pairDevice(admin, display)).accessToken };
  }
  const person = people.get(caller)!;
  return { token: (await h.login(person.email, person.password)).accessToken, password: person.password };
}

interface Operation {
  name: string;
  allowed: Caller[];
  /** The code other signed-in callers get, when not FORBIDDEN (a reference they may not see is NOT_FOUND). */
  refusedWith?: string;
  query: string;
  variables?: (fresh: Fresh) => Promise<Record<string, unknown>> | Record<string, unknown>;
}

async function freshUser(): Promise<string> {
  return (await h.person(admin, [Role.HQ_VIEWER])).id;
}

async function freshClient(): Promise<string> {
  return (await h.partner(admin)).clientId;
}

async function freshCode(): Promise<{ code: string; secret: string }> {
  const data = await h.ok<{ requestPairingCode: { code: string; secret: string } }>(
    `mutation { requestPairingCode { code secret } }`,
  );
  return data.requestPairingCode;
}

const OPERATIONS: Operation[] = [
  { name: '_service', allowed: CALLERS, query: '{ _service { sdl } }' },
  { name: 'me', allowed: PEOPLE, query: '{ me { id email roles } }' },
  { name: 'viewer', allowed: AUTHENTICATED, query: '{ viewer { kind subject roles } }' },
  { name: 'tenant', allowed: AUTHENTICATED, query: '{ tenant { id slug } }' },
  {
    name: 'user',
    allowed: HQ_ADMIN_ONLY,
    query: 'query($id: ID!) { user(id: $id) { id email } }',
    variables: async () => ({ id: (await h.login('hq@demo.test')).user.id }),
  },
  { name: 'users', allowed: HQ_ADMIN_ONLY, query: '{ users(first: 5) { totalCount edges { node { id } } } }' },
  { name: 'apiClients', allowed: HQ_ADMIN_ONLY, query: '{ apiClients { totalCount } }' },
  { name: 'signingKeys', allowed: HQ_ADMIN_ONLY, query: '{ signingKeys { kid status } }' },
  { name: 'backgroundJobs', allowed: HQ_ADMIN_ONLY, query: '{ backgroundJobs { name queued failed } }' },
  {
    name: 'backgroundJobRuns',
    allowed: HQ_ADMIN_ONLY,
    query: '{ backgroundJobRuns(job: "auth.maintenance") { id state error } }',
  },
  { name: 'auditLog', allowed: HQ_ADMIN_ONLY, query: '{ auditLog(first: 5) { totalCount edges { node { type } } } }' },
  {
    name: '_entities',
    // Display players have no business with people.
    allowed: AUTHENTICATED.filter((c) => c !== Role.DEVICE),
    refusedWith: 'NOT_FOUND',
    query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } } }',
    variables: async () => ({ r: [{ __typename: 'User', id: (await h.login('hq@demo.test')).user.id }] }),
  },
  {
    name: 'login',
    allowed: CALLERS,
    query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
    variables: () => ({ e: loginTarget.email, p: loginTarget.password }),
  },
  {
    name: 'refreshToken',
    allowed: CALLERS,
    query: 'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }',
    variables: async () => ({ t: (await h.login(loginTarget.email, loginTarget.password)).refreshToken }),
  },
  { name: 'logout', allowed: AUTHENTICATED, query: 'mutation { logout }' },
  {
    name: 'acceptInvitation',
    allowed: CALLERS,
    query: 'mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken } }',
    variables: async () => {
      const data = await h.ok<{ createUser: { invitationToken: string } }>(
        'mutation($input: CreateUserInput!) { createUser(input: $input) { invitationToken } }',
        { input: { email: `invited-${randomUUID()}@example.test`, displayName: 'Invited', roles: ['HQ_VIEWER'] } },
        admin,
      );
      return { input: { token: data.createUser.invitationToken, password: 'a new long password' } };
    },
  },
  {
    name: 'changePassword',
    allowed: PEOPLE,
    query: 'mutation($input: ChangePasswordInput!) { changePassword(input: $input) }',
    // The same password again: the call succeeds and later logins keep working.
    variables: (fresh) => ({
      input: { currentPassword: fresh.password ?? 'irrelevant', newPassword: fresh.password ?? 'irrelevant pw' },
    }),
  },
  {
    name: 'updateTenant',
    allowed: HQ_ADMIN_ONLY,
    query: 'mutation { updateTenant(input: { name: "Demo Retail" }) { id } }',
  },
  {
    name: 'createUser',
    allowed: HQ_ADMIN_ONLY,
    query: 'mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } } }',
    variables: () => ({
      input: { email: `new-${randomUUID()}@example.test`, displayName: 'New', roles: ['HQ_VIEWER'] },
    }),
  },
  {
    name: 'setUserRoles',
    allowed: HQ_ADMIN_ONLY,
    query: 'mutation($input: SetUserRolesInput!) { setUserRoles(input: $input) { id roles } }',
    variables: async () => ({ input: { userId: await freshUser(), roles: ['HQ_EDITOR'] } }),
  },
  {
    name: 'deactivateUser',
    allowed: HQ_ADMIN_ONLY,
    query: 'mutation($id: ID!) { deactivateUser(id: $id) { status } }',
    variables: async () => ({ id: await freshUser() }),
  },
  {
    name: 'reactivateUser',
    allowed: HQ_ADMIN_ONLY,
    query: 'mutation($id: ID!) { reactivateUser(id: $id) { status } }',
    variables: async () => ({ id: await freshUser() }),
  },
  {
    name: 'createApiClient',
    allowed: HQ_ADMIN_ONLY,
    query: 'mutation { createApiClient(input: { name: "Partner", scopes: ["location:read"] }) { clientSecret } }',
  },
  {
    name: 'setApiClientScopes',
    allowed: HQ_ADMIN_ONLY,
    query: 'mutation($input: SetApiClientScopesInput!) { setApiClientScopes(input: $input) { scopes } }',
    variables: async () => ({ input: { id: await freshClient(), scopes: ['queue:read'] } }),
  },
  {
    name: 'revokeApiClient',
    allowed: HQ_ADMIN_ONLY,
    query: 'mutation($id: ID!) { revokeApiClient(id: $id) { revokedAt } }',
    variables: async () => ({ id: await freshClient() }),
  },
  {
    name: 'issueClientToken',
    allowed: CALLERS,
    query: 'mutation($input: IssueClientTokenInput!) { issueClientToken(input: $input) { accessToken } }',
    variables: () => ({ input: { clientId: client.clientId, clientSecret: client.clientSecret } }),
  },
  { name: 'requestPairingCode', allowed: CALLERS, query: 'mutation { requestPairingCode { code } }' },
  {
    name: 'claimPairingCode',
    allowed: CLAIMERS,
    query: 'mutation($c: String!, $d: ID!) { claimPairingCode(code: $c, displayId: $d) { status } }',
    variables: async () => ({ c: (await freshCode()).code, d: demoDisplay }),
  },
  {
    name: 'pollPairing',
    allowed: CALLERS,
    query: 'mutation($c: String!, $s: String!) { pollPairing(code: $c, secret: $s) { status } }',
    variables: async () => {
      const { code, secret } = await freshCode();
      return { c: code, s: secret };
    },
  },
  {
    name: 'revokeDevice',
    allowed: DEVICE_REVOKERS,
    query: 'mutation($d: ID!) { revokeDevice(displayId: $d) }',
    variables: async () => ({
      d: await h.publishDisplay({ tenantId: DEMO_TENANT_ID, storeId: DEMO_FIRST_STORE_ID }),
    }),
  },
  { name: 'rotateSigningKey', allowed: HQ_ADMIN_ONLY, query: 'mutation { rotateSigningKey { kid status } }' },
  {
    name: 'retryBackgroundJobRun',
    allowed: HQ_ADMIN_ONLY,
    query: 'mutation($job: String!, $id: ID!) { retryBackgroundJobRun(job: $job, id: $id) { id state } }',
    variables: () => failedRun(),
  },
];

let runner: JobRunner | undefined;
/** A run of a job that always fails, failed for good (a real runner on the harness's database). */
async function failedRun(): Promise<{ job: string; id: string }> {
  if (!runner) {
    runner = new JobRunner({
      url: h.infra.databaseUrl,
      logger: createLogger('authorization-jobs', 'silent'),
      pollIntervalSeconds: 0.5,
      drainSeconds: 1,
      jobs: [defineJob({ name: 'test.fails', run: () => Promise.reject(new Error('always fails')) })],
    });
    await runner.start();
  }
  const id = (await runner.send('test.fails'))!;
  await waitFor(
    async () =>
      (await h.db.query(`SELECT "state" FROM "jobs"."job" WHERE "id" = $1`, [id])).rows[0]?.state === 'failed',
    { message: 'a failed run', timeoutMs: 20_000 },
  );
  return { job: 'test.fails', id };
}

const expected = (op: Operation, caller: Caller) =>
  op.allowed.includes(caller) ? 'OK' : caller === 'ANONYMOUS' ? 'UNAUTHENTICATED' : (op.refusedWith ?? 'FORBIDDEN');

const CASES = OPERATIONS.flatMap((op) => CALLERS.map((caller) => [op.name, caller, expected(op, caller)] as const));

beforeAll(async () => {
  h = await startAuth();
  admin = (await h.login('hq@demo.test')).accessToken;
  for (const role of PEOPLE as Role[]) {
    const stores = role === Role.STORE_MANAGER || role === Role.STORE_STAFF ? [DEMO_FIRST_STORE_ID] : [];
    const p = await h.person(admin, [role], stores);
    people.set(role, { email: p.email, password: p.password });
  }
  const target = await h.person(admin, [Role.HQ_VIEWER]);
  loginTarget = { email: target.email, password: target.password };
  client = await h.partner(admin);
  demoDisplay = await h.publishDisplay({ tenantId: DEMO_TENANT_ID, storeId: DEMO_FIRST_STORE_ID });
});

afterAll(async () => {
  await runner?.stop();
  await h?.stop();
});

describe('authorization matrix of the auth subgraph', () => {
  it('covers every root field of the schema', async () => {
    const data = await h.ok<{
      __schema: { queryType: { fields: { name: string }[] }; mutationType: { fields: { name: string }[] } };
    }>('{ __schema { queryType { fields { name } } mutationType { fields { name } } } }');
    const fields = [...data.__schema.queryType.fields, ...data.__schema.mutationType.fields].map((f) => f.name);
    expect(OPERATIONS.map((o) => o.name).sort()).toEqual(fields.sort());
  });

  it.each(CASES)('%s as %s → %s', async (name, caller, want) => {
    const op = OPERATIONS.find((o) => o.name === name)!;
    const fresh = await callerToken(caller);
    const variables = (await op.variables?.(fresh)) ?? {};
    const res = await h.gql(op.query, variables, fresh.token);
    if (want === 'OK') expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(outcome(res)).toBe(want);
  });
});

describe('a second tenant', () => {
  let other: Awaited<ReturnType<AuthHarness['tenant']>>;
  let otherUser: string;
  let otherClient: string;
  let otherDisplay: string;
  let otherDevice: string;
  const OTHER_STORE = randomUUID();

  beforeAll(async () => {
    other = await h.tenant('globex');
    otherUser = (await h.person(other.admin.accessToken, [Role.STORE_MANAGER], [OTHER_STORE])).id;
    otherClient = (await h.partner(other.admin.accessToken)).clientId;
    otherDisplay = await h.publishDisplay({ tenantId: other.tenantId, storeId: OTHER_STORE });
    otherDevice = (await h.pairDevice(other.admin.accessToken, otherDisplay)).accessToken;
  });

  type Attack = (token: string | undefined) => Promise<void>;
  const refused = (res: GraphQLResponse<unknown>, codes: string[]) => expect(codes).toContain(outcome(res));

  const ATTACKS: [string, Attack][] = [
    [
      'reads its user by id',
      async (token) => {
        const res = await h.gql<{ user: unknown }>(
          'query($id: ID!) { user(id: $id) { id } }',
          { id: otherUser },
          token,
        );
        if (res.errors) refused(res, ['FORBIDDEN', 'UNAUTHENTICATED']);
        else expect(res.data?.user).toBeNull();
      },
    ],
    [
      'resolves its user as an entity',
      async (token) => {
        const res = await h.gql<{ _entities: unknown[] }>(
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email } } }',
          { r: [{ __typename: 'User', id: otherUser }] },
          token,
        );
        refused(res, ['UNAUTHENTICATED', 'NOT_FOUND']);
        expect(res.data?._entities ?? [null]).toEqual([null]);
      },
    ],
    [
      'lists its users, API clients or audit events',
      async (token) => {
        const res = await h.gql<{ users: { edges: { node: { id: string } }[] } }>(
          '{ users(first: 100) { edges { node { id } } } }',
          {},
          token,
        );
        if (res.errors) refused(res, ['FORBIDDEN', 'UNAUTHENTICATED']);
        else expect(res.data!.users.edges.map((e) => e.node.id)).not.toContain(otherUser);
        const clients = await h.gql<{ apiClients: { edges: { node: { id: string } }[] } }>(
          '{ apiClients(first: 100, includeRevoked: true) { edges { node { id } } } }',
          {},
          token,
        );
        if (clients.errors) refused(clients, ['FORBIDDEN', 'UNAUTHENTICATED']);
        else expect(clients.data!.apiClients.edges.map((e) => e.node.id)).not.toContain(otherClient);
        const audit = await h.gql<{ auditLog: { edges: { node: { subjectId: string; actorId: string } }[] } }>(
          '{ auditLog(first: 100) { edges { node { subjectId actorId } } } }',
          {},
          token,
        );
        if (audit.errors) refused(audit, ['FORBIDDEN', 'UNAUTHENTICATED']);
        else {
          const ids = audit.data!.auditLog.edges.flatMap((e) => [e.node.subjectId, e.node.actorId]);
          for (const id of [otherUser, otherClient, otherDisplay, other.admin.user.id]) expect(ids).not.toContain(id);
        }
      },
    ],
    [
      'changes its user',
      async (token) => {
        for (const [query, variables] of [
          [
            'mutation($input: SetUserRolesInput!) { setUserRoles(input: $input) { id } }',
            { input: { userId: otherUser, roles: ['HQ_ADMIN'] } },
          ],
          ['mutation($id: ID!) { deactivateUser(id: $id) { id } }', { id: otherUser }],
          ['mutation($id: ID!) { reactivateUser(id: $id) { id } }', { id: otherUser }],
        ] as const) {
          refused(await h.gql(query, variables, token), ['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED']);
        }
      },
    ],
    [
      'changes its API client',
      async (token) => {
        refused(
          await h.gql(
            'mutation($input: SetApiClientScopesInput!) { setApiClientScopes(input: $input) { id } }',
            { input: { id: otherClient, scopes: ['location:write'] } },
            token,
          ),
          ['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED'],
        );
        refused(await h.gql('mutation($id: ID!) { revokeApiClient(id: $id) { id } }', { id: otherClient }, token), [
          'NOT_FOUND',
          'FORBIDDEN',
          'UNAUTHENTICATED',
        ]);
      },
    ],
    [
      'pairs a player to its display, or revokes its display player',
      async (token) => {
        const { code } = await freshCode();
        refused(
          await h.gql(
            'mutation($c: String!, $d: ID!) { claimPairingCode(code: $c, displayId: $d) { status } }',
            { c: code, d: otherDisplay },
            token,
          ),
          ['FORBIDDEN', 'UNAUTHENTICATED'],
        );
        refused(await h.gql('mutation($d: ID!) { revokeDevice(displayId: $d) }', { d: otherDisplay }, token), [
          'FORBIDDEN',
          'UNAUTHENTICATED',
        ]);
      },
    ],
    [
      'sees its tenant',
      async (token) => {
        const res = await h.gql<{ tenant: { id: string } }>('{ tenant { id } }', {}, token);
        if (res.errors) refused(res, ['UNAUTHENTICATED']);
        else expect(res.data!.tenant.id).toBe(DEMO_TENANT_ID);
      },
    ],
  ];

  const ISOLATION = ATTACKS.flatMap(([name, attack]) => CALLERS.map((caller) => [caller, name, attack] as const));

  it.each(ISOLATION)('%s of the first tenant cannot: %s', async (caller, _name, attack) => {
    const { token } = await callerToken(caller);
    await attack(token);
  });

  it('is left exactly as it was', async () => {
    const otherAdmin = other.admin.accessToken;
    const user = await h.ok<{ user: { roles: string[]; status: string } }>(
      'query($id: ID!) { user(id: $id) { roles status } }',
      { id: otherUser },
      otherAdmin,
    );
    expect(user.user).toEqual({ roles: ['STORE_MANAGER'], status: 'ACTIVE' });
    const clients = await h.ok<{
      apiClients: { edges: { node: { id: string; scopes: string[]; revokedAt: null } }[] };
    }>('{ apiClients { edges { node { id scopes revokedAt } } } }', {}, otherAdmin);
    expect(clients.apiClients.edges.map((e) => e.node)).toEqual([
      { id: otherClient, scopes: ['location:read'], revokedAt: null },
    ]);
    const device = await h.ok<{ viewer: { displayId: string } }>('{ viewer { displayId } }', {}, otherDevice);
    expect(device.viewer.displayId).toBe(otherDisplay);
  });
});
