import { randomUUID } from 'node:crypto';
import { auditActionEventV1, auditedAction, type AuditActionEventV1 } from '@phub/contracts';
import { createLogger, defineJob, DEMO_FIRST_STORE_ID, DEMO_TENANT_ID, JobRunner, Role } from '@phub/kit';
import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoUserId } from '../../demo/demo-data.js';
import { outcome, startAuth, type AuthHarness } from '../../testing/harness.js';
import { AuditEventType } from './audit.entity.js';
import { AuditService } from './audit.service.js';

let h: AuthHarness;
let admin: string;
const secrets: string[] = [];

const LOG = `query($first: Int, $after: String, $filter: AuditLogFilter) {
  auditLog(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id type actorType actorId subjectType subjectId clientIp details occurredAt } }
  }
}`;
interface Node {
  id: string;
  type: string;
  actorType: string | null;
  actorId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  clientIp: string | null;
  details: Record<string, unknown>;
  occurredAt: string;
}
interface Log {
  auditLog: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: Node }[] };
}
const all = async (filter: Record<string, unknown> = {}) =>
  (await h.ok<Log>(LOG, { first: 100, filter }, admin)).auditLog;

/** Walks through every security event the platform records. */
async function everything() {
  const login = await h.login('editor@demo.test');
  secrets.push(login.accessToken, login.refreshToken);
  const REFRESH = 'mutation($t: String!) { refreshToken(refreshToken: $t) { refreshToken } }';
  const refreshed = await h.ok<{ refreshToken: { refreshToken: string } }>(REFRESH, { t: login.refreshToken });
  secrets.push(refreshed.refreshToken.refreshToken);
  await h.gql(REFRESH, { t: login.refreshToken }); // reuse
  for (let i = 0; i < 6; i++) {
    await h.gql('mutation { login(email: "staff@demo.test", password: "wrong password!") { accessToken } }');
  }
  const p = await h.person(admin, [Role.HQ_VIEWER]);
  await h.ok(
    'mutation($input: ChangePasswordInput!) { changePassword(input: $input) }',
    { input: { currentPassword: p.password, newPassword: 'another long password' } },
    p.accessToken,
  );
  await h.ok('mutation { logout }', {}, p.accessToken);
  await h.ok(
    'mutation($input: SetUserRolesInput!) { setUserRoles(input: $input) { id } }',
    { input: { userId: p.id, roles: ['HQ_EDITOR'] } },
    admin,
  );
  await h.ok('mutation($id: ID!) { deactivateUser(id: $id) { id } }', { id: p.id }, admin);
  await h.ok('mutation($id: ID!) { reactivateUser(id: $id) { id } }', { id: p.id }, admin);
  const invited = await h.ok<{ createUser: { invitationToken: string } }>(
    'mutation($input: CreateUserInput!) { createUser(input: $input) { invitationToken } }',
    { input: { email: `inv-${randomUUID()}@example.test`, displayName: 'Inv', roles: ['HQ_VIEWER'] } },
    admin,
  );
  secrets.push(invited.createUser.invitationToken);
  await h.ok('mutation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { accessToken } }', {
    input: { token: invited.createUser.invitationToken, password: 'invited long password' },
  });
  await h.ok('mutation { updateTenant(input: { name: "Demo Retail Group" }) { id } }', {}, admin);
  const client = await h.partner(admin);
  secrets.push(client.clientSecret, client.accessToken);
  await h.ok('mutation { logout }', {}, client.accessToken);
  await h.gql('mutation($input: IssueClientTokenInput!) { issueClientToken(input: $input) { accessToken } }', {
    input: { clientId: client.clientId, clientSecret: 'pcs_wrong' },
  });
  await h.ok(
    'mutation($input: SetApiClientScopesInput!) { setApiClientScopes(input: $input) { id } }',
    { input: { id: client.clientId, scopes: ['queue:read'] } },
    admin,
  );
  const registered = await h.ok<{ registerTrustedDocuments: { id: string }[] }>(
    'mutation($input: RegisterTrustedDocumentsInput!) { registerTrustedDocuments(input: $input) { id } }',
    { input: { clientId: client.clientId, documents: ['{ stores(first: 1) { totalCount } }'] } },
    admin,
  );
  await h.ok(
    'mutation($c: ID!, $id: ID!) { removeTrustedDocument(clientId: $c, id: $id) }',
    { c: client.clientId, id: registered.registerTrustedDocuments[0]!.id },
    admin,
  );
  await h.ok('mutation($id: ID!) { revokeApiClient(id: $id) { id } }', { id: client.clientId }, admin);
  const display = await h.publishDisplay({ tenantId: DEMO_TENANT_ID, storeId: DEMO_FIRST_STORE_ID });
  const device = await h.pairDevice(admin, display);
  secrets.push(device.accessToken, device.refreshToken);
  await h.ok('mutation($d: ID!) { revokeDevice(displayId: $d) }', { d: display }, admin);
  await h.ok('mutation { rotateSigningKey { kid } }', {}, admin);
  // A failed background job run, run again by the admin.
  const runner = new JobRunner({
    url: h.infra.databaseUrl,
    logger: createLogger('audit-jobs', 'silent'),
    pollIntervalSeconds: 0.5,
    drainSeconds: 1,
    jobs: [defineJob({ name: 'test.fails', run: () => Promise.reject(new Error('always fails')) })],
  });
  await runner.start();
  try {
    const id = (await runner.send('test.fails'))!;
    await waitFor(
      async () =>
        (await h.db.query(`SELECT "state" FROM "jobs"."job" WHERE "id" = $1`, [id])).rows[0]?.state === 'failed',
      { message: 'a failed run', timeoutMs: 20_000 },
    );
    await h.ok('mutation($id: ID!) { retryBackgroundJobRun(job: "test.fails", id: $id) { id } }', { id }, admin);
  } finally {
    await runner.stop();
  }
  // Approvals, pauses, overrides and takeovers, as campaign hands them over on audit.action.v1.
  const handedOver = auditedAction.options.map((action, i): AuditActionEventV1 => ({
    id: randomUUID(),
    action,
    tenantId: DEMO_TENANT_ID,
    occurredAt: new Date(h.clock.now() - 60_000 + i).toISOString(),
    actor: { type: 'USER', id: demoUserId(1) },
    target: { type: action.startsWith('CAMPAIGN') ? 'CAMPAIGN' : 'STORE', id: randomUUID() },
    details: { campaign: 'Autumn Sale', reason: i % 2 ? null : 'checked' },
  }));
  await h.infra.bus.publish(auditActionEventV1.topic, [
    { key: 'malformed', value: { action: 'CAMPAIGN_APPROVED', tenantId: 'not a tenant' } },
    ...handedOver.map((value) => ({ key: value.target.id, value })),
    // Delivered twice: recorded once.
    { key: handedOver[0]!.target.id, value: handedOver[0] },
  ]);
  await waitFor(
    async () =>
      (await h.db.query(`SELECT count(*)::int AS n FROM auth.audit_event WHERE source_event_id IS NOT NULL`)).rows[0]
        ?.n === handedOver.length,
    { message: 'the handed-over entries recorded', timeoutMs: 20_000 },
  );
  return { p, client, display, handedOver };
}

let story: Awaited<ReturnType<typeof everything>>;
let other: Awaited<ReturnType<AuthHarness['tenant']>>;

beforeAll(async () => {
  h = await startAuth();
  admin = (await h.login('hq@demo.test')).accessToken;
  other = await h.tenant('initech');
  await h.person(other.admin.accessToken, [Role.HQ_EDITOR]);
  story = await everything();
});
afterAll(() => h?.stop());

describe(AuditService.name, () => {
  it('records every kind of security event, tenant events in the tenant’s log', async () => {
    const types = new Set((await all()).edges.map((e) => e.node.type));
    const tenantless = [AuditEventType.PAIRING_REQUESTED];
    for (const type of Object.values(AuditEventType)) {
      if (!tenantless.includes(type)) expect(types, type).toContain(type);
    }
    const { rows } = await h.db.query(`SELECT tenant_id FROM auth.audit_event WHERE type = 'PAIRING_REQUESTED'`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.tenant_id === null)).toBe(true);
  });

  it('names who did what to whom, from where', async () => {
    const [changed] = (await all({ types: ['USER_ROLES_CHANGED'], subjectId: story.p.id })).edges;
    expect(changed!.node).toMatchObject({
      actorType: 'USER',
      actorId: demoUserId(1),
      subjectType: 'USER',
      subjectId: story.p.id,
      clientIp: '127.0.0.1',
      details: { before: { roles: ['HQ_VIEWER'] }, after: { roles: ['HQ_EDITOR'] } },
    });
    const [revoked] = (await all({ types: ['DEVICE_REVOKED'] })).edges;
    expect(revoked!.node).toMatchObject({ subjectType: 'DISPLAY', subjectId: story.display });
    const [failed] = (await all({ types: ['LOGIN_FAILED'] })).edges;
    expect(failed!.node.details).toMatchObject({ email: 'staff@demo.test', reason: 'wrong_password' });
  });

  it('records what other domains hand over on audit.action.v1: actor, tenant, target and time, once each', async () => {
    const handed = await all({ types: [...auditedAction.options] });
    expect(handed.totalCount).toBe(story.handedOver.length);
    for (const sent of story.handedOver) {
      const got = handed.edges.find((e) => e.node.subjectId === sent.target.id)?.node;
      expect(got, sent.action).toMatchObject({
        type: sent.action,
        actorType: 'USER',
        actorId: demoUserId(1),
        subjectType: sent.target.type,
        subjectId: sent.target.id,
        clientIp: null,
        details: sent.details,
        occurredAt: sent.occurredAt,
      });
    }
    // Another tenant's admin sees none of them.
    const theirs = (
      await h.ok<Log>(LOG, { first: 100, filter: { types: ['CAMPAIGN_APPROVED'] } }, other.admin.accessToken)
    ).auditLog;
    expect(theirs.totalCount).toBe(0);
  });

  it('never writes a secret into the log', async () => {
    const { rows } = await h.db.query(`SELECT details::text AS d FROM auth.audit_event`);
    const text = rows.map((r) => r.d as string).join('\n');
    for (const secret of [...secrets, DEMO_PASSWORD, 'wrong password!', 'another long password']) {
      expect(text).not.toContain(secret);
    }
  });

  it('pages newest first with stable cursors', async () => {
    const everythingAtOnce = (await all()).edges.map((e) => e.node.id);
    expect(everythingAtOnce.map(Number)).toEqual([...everythingAtOnce.map(Number)].sort((a, b) => b - a));
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Log = await h.ok<Log>(LOG, { first: 7, after }, admin);
      seen.push(...page.auditLog.edges.map((e) => e.node.id));
      if (!page.auditLog.pageInfo.hasNextPage) break;
      after = page.auditLog.pageInfo.endCursor;
    }
    expect(seen).toEqual(everythingAtOnce);
    expect(outcome(await h.gql(LOG, { after: 'not-a-cursor' }, admin))).toBe('BAD_USER_INPUT');
  });

  it('filters by type, actor and time', async () => {
    const logins = await all({ types: ['LOGIN_SUCCEEDED', 'LOGIN_FAILED'] });
    expect(new Set(logins.edges.map((e) => e.node.type))).toEqual(new Set(['LOGIN_SUCCEEDED', 'LOGIN_FAILED']));
    const byAdmin = await all({ actorId: demoUserId(1) });
    expect(byAdmin.edges.every((e) => e.node.actorId === demoUserId(1))).toBe(true);
    const future = await all({ since: new Date(h.clock.now() + 60_000).toISOString() });
    expect(future.totalCount).toBe(0);
    const past = await all({ until: new Date(h.clock.now() - 3_600_000).toISOString() });
    expect(past.totalCount).toBe(0);
    // Every kind ticked at once (HQ's filter allows it) is a filter like any other.
    const everything = await all({ types: Object.values(AuditEventType) });
    expect(everything.totalCount).toBe((await all({})).totalCount);
  });

  it('shows each tenant only its own events', async () => {
    const theirs = (await h.ok<Log>(LOG, { first: 100 }, other.admin.accessToken)).auditLog;
    const ours = await all();
    const theirIds = new Set(theirs.edges.map((e) => e.node.id));
    expect(ours.edges.some((e) => theirIds.has(e.node.id))).toBe(false);
    expect(theirs.edges.map((e) => e.node.type)).toContain('USER_CREATED');
    expect(theirs.edges.some((e) => e.node.actorId === demoUserId(1))).toBe(false);
  });
});
