import { randomUUID } from 'node:crypto';
import { createLogger, DomainError, openDatabase, Role, type Viewer } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome, startAuth, type AuthHarness } from '../../testing/harness.js';
import { ApiClient } from './api-client.entity.js';
import { ApiClientUsageRow, UsageGranularity } from './api-client-usage.entity.js';
import { USAGE_REPORT_PATH } from './api-client-usage.routes.js';
import { ApiClientUsageService } from './api-client-usage.service.js';

let h: AuthHarness;
let admin: string;
let tenantId: string;
let client: string;

const report = (usage: unknown) =>
  fetch(`${h.baseUrl}${USAGE_REPORT_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ usage }),
  });

const USAGE = `query($from: DateTimeISO!, $to: DateTimeISO!, $granularity: UsageGranularity) {
  apiClients(first: 100) { edges { node { id usage(from: $from, to: $to, granularity: $granularity) {
    requests errors rateLimited cost granularity buckets { start requests errors rateLimited cost }
  } } } }
}`;
type UsageAnswer = {
  apiClients: {
    edges: {
      node: {
        id: string;
        usage: {
          requests: number;
          errors: number;
          rateLimited: number;
          cost: number;
          buckets: { start: string; requests: number; errors: number; rateLimited: number; cost: number }[];
        };
      };
    }[];
  };
};

const DAY = { from: '2026-03-01T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' };
const usageOf = async (token: string, id: string, variables: Record<string, unknown> = DAY) => {
  const answer = await h.ok<UsageAnswer>(USAGE, variables, token);
  return answer.apiClients.edges.find((e) => e.node.id === id)?.node.usage;
};

beforeAll(async () => {
  h = await startAuth();
  const login = await h.login('hq@demo.test');
  admin = login.accessToken;
  const { rows } = await h.db.query('SELECT tenant_id FROM auth."user" WHERE id = $1', [login.user.id]);
  tenantId = rows[0].tenant_id;
  client = (await h.partner(admin)).clientId;
});
afterAll(() => h?.stop());

describe(ApiClientUsageService.name, () => {
  it('adds what the gateway reports per client and hour, and answers it by day and by hour (UTC)', async () => {
    const at = (hour: string) => ({ clientId: client, hour, requests: 0, errors: 0, rateLimited: 0, cost: 0 });
    let res = await report([
      { ...at('2026-03-01T09:00:00.000Z'), requests: 10, errors: 2, cost: 150 },
      // The same hour twice in one flush (two gateway buckets): added up, not a conflict.
      { ...at('2026-03-01T09:00:00.000Z'), requests: 5, rateLimited: 5 },
      { ...at('2026-03-01T23:00:00.000Z'), requests: 1, cost: 7 },
      { ...at('2026-03-02T00:00:00.000Z'), requests: 4, errors: 1, cost: 40 },
      // Outside [from, to): counted, not shown.
      { ...at('2026-03-03T00:00:00.000Z'), requests: 100 },
      // A client that does not exist (deleted since): skipped.
      { ...at('2026-03-01T09:00:00.000Z'), clientId: randomUUID(), requests: 9 },
    ]);
    expect(res.status).toBe(200);
    // A later flush from another gateway replica adds to the same hour.
    res = await report([{ ...at('2026-03-01T09:00:00.000Z'), requests: 1, cost: 3 }]);
    expect(res.status).toBe(200);

    const byDay = await usageOf(admin, client, { ...DAY, granularity: 'DAY' });
    expect(byDay).toMatchObject({ requests: 21, errors: 3, rateLimited: 5, cost: 200, granularity: 'DAY' });
    expect(byDay!.buckets).toEqual([
      { start: '2026-03-01T00:00:00.000Z', requests: 17, errors: 2, rateLimited: 5, cost: 160 },
      { start: '2026-03-02T00:00:00.000Z', requests: 4, errors: 1, rateLimited: 0, cost: 40 },
    ]);
    const byHour = await usageOf(admin, client, { ...DAY, granularity: 'HOUR' });
    expect(byHour!.buckets.map((b) => [b.start, b.requests])).toEqual([
      ['2026-03-01T09:00:00.000Z', 16],
      ['2026-03-01T23:00:00.000Z', 1],
      ['2026-03-02T00:00:00.000Z', 4],
    ]);
    const { rows } = await h.db.query('SELECT DISTINCT tenant_id FROM auth.api_client_usage');
    expect(rows).toEqual([{ tenant_id: tenantId }]);
  });

  it.each([
    ['an hour that is not the start of one', { hour: '2026-03-01T09:30:00.000Z' }],
    ['a negative count', { requests: -1 }],
    ['a fraction', { cost: 1.5 }],
    ['a client id that is no id', { clientId: 'acme' }],
  ])('refuses a flush with %s, storing none of it', async (_case, bad) => {
    const good = {
      clientId: client,
      hour: '2026-04-01T00:00:00.000Z',
      requests: 1,
      errors: 0,
      rateLimited: 0,
      cost: 0,
    };
    const res = await report([good, { ...good, ...bad }]);
    expect(res.status).toBe(400);
    const { rows } = await h.db.query(
      `SELECT count(*)::int AS n FROM auth.api_client_usage WHERE hour >= '2026-04-01'`,
    );
    expect(rows[0].n).toBe(0);
  });

  it.each([
    ['from after to', { from: DAY.to, to: DAY.from }],
    ['more than 31 days by hour', { from: '2026-01-01T00:00:00Z', to: '2026-02-02T00:00:00Z', granularity: 'HOUR' }],
    ['more than 366 days by day', { from: '2025-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z', granularity: 'DAY' }],
  ])('refuses a range with %s', async (_case, variables) => {
    const res = await h.gql(USAGE, variables, admin);
    expect(outcome(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.extensions).toMatchObject({ reason: 'USAGE_RANGE' });
  });
});

describe('usage authorisation', () => {
  it.each([
    [Role.HQ_EDITOR, 'FORBIDDEN'],
    [Role.HQ_VIEWER, 'FORBIDDEN'],
    [Role.STORE_MANAGER, 'FORBIDDEN'],
  ])('%s may not read it', async (role, want) => {
    const person = await h.person(admin, [role], role === Role.STORE_MANAGER ? [randomUUID()] : []);
    const res = await h.gql(USAGE, DAY, person.accessToken);
    expect(outcome(res)).toBe(want);
    expect(JSON.stringify(res.data ?? null)).not.toContain(client);
  });

  it('a partner may not read it, not even its own', async () => {
    const partner = await h.partner(admin);
    const res = await h.gql(USAGE, DAY, partner.accessToken);
    expect(outcome(res)).toBe('FORBIDDEN');
  });

  describe('a second tenant', () => {
    let other: Awaited<ReturnType<AuthHarness['tenant']>>;
    let ds: DataSource;

    beforeAll(async () => {
      other = await h.tenant('usage-globex');
      ds = await openDatabase({
        url: h.infra.databaseUrl,
        schema: 'auth',
        entities: [ApiClient, ApiClientUsageRow],
        migrations: [],
        logger: createLogger('usage-test', 'silent'),
      });
    });
    afterAll(() => ds?.destroy());

    it("sees neither the client nor its usage; its own client's usage is its own", async () => {
      const own = (await h.partner(other.admin.accessToken)).clientId;
      const answer = await h.ok<UsageAnswer>(USAGE, DAY, other.admin.accessToken);
      expect(answer.apiClients.edges.map((e) => e.node.id)).toEqual([own]);
      expect(answer.apiClients.edges[0]!.node.usage).toMatchObject({ requests: 0, buckets: [] });
    });

    it('is told NOT_FOUND when it names the client directly', async () => {
      const viewer: Viewer = {
        kind: 'user',
        subject: other.admin.user.id,
        tenantId: other.tenantId,
        roles: [Role.HQ_ADMIN],
        storeIds: [],
        scopes: [],
        tokenId: randomUUID(),
        expiresAt: Math.floor(Date.now() / 1000) + 600,
      };
      const usage = new ApiClientUsageService(ds);
      const refused = await usage
        .usage(viewer, client, new Date(DAY.from), new Date(DAY.to), UsageGranularity.DAY)
        .catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(DomainError);
      expect((refused as DomainError).code).toBe('NOT_FOUND');
      // The same call for the client's own tenant answers: the refusal is the tenant's, not the call's.
      const mine = await usage.usage(
        { ...viewer, tenantId },
        client,
        new Date(DAY.from),
        new Date(DAY.to),
        UsageGranularity.DAY,
      );
      expect(mine.requests).toBeGreaterThan(0);
    });
  });
});
