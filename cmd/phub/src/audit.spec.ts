import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { graphql, login, PlatformProcess } from '@phub/e2e';
import { DEMO_FIRST_STORE_ID, DEMO_TENANT_ID } from '@phub/kit';
import { createTestDatabase } from '@phub/kit/testing';

const DISPLAY = '00000000-0000-4000-8000-00000000d111'; // "Window left", London Oxford Street (the manager's store)

const AUDIT_LOG = `query ($filter: AuditLogFilter) {
  auditLog(first: 100, filter: $filter) {
    edges { node { type actorType actorId subjectType subjectId details occurredAt } }
  }
}`;
interface Entry {
  type: string;
  actorType: string;
  actorId: string;
  subjectType: string;
  subjectId: string;
  details: Record<string, unknown>;
  occurredAt: string;
}

/**
 * The audit log through the whole platform on the real Postgres: each approval, pause (of a campaign and for one
 * store), override and takeover made through the gateway lands in auth's audit log — through campaign's outbox, the
 * bus and auth's consumer — with who did it, the tenant, what it was done to and when.
 */
describe('the audit log records campaign operations', () => {
  let platform: PlatformProcess;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: pg.Client;
  let gateway: string;
  let hq: string;
  let manager: string;
  const ids = { hq: '', manager: '' };

  const ok = async <T>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const res = await graphql<T>(gateway, query, variables, token);
    if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
    return res.data!;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    platform = await PlatformProcess.start('all', { DATABASE_URL: database.url });
    gateway = platform.urls.gateway!;
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    [hq, manager] = await Promise.all([login(gateway, 'hq@demo.test'), login(gateway, 'manager@demo.test')]);
    ids.hq = (await ok<{ me: { id: string } }>(hq, '{ me { id } }')).me.id;
    ids.manager = (await ok<{ me: { id: string } }>(manager, '{ me { id } }')).me.id;
  }, 300_000);

  afterAll(async () => {
    await db?.end();
    await platform?.stop();
    await database?.drop();
  }, 60_000);

  it('lands every approval, pause, override and takeover in the audit log with actor, tenant, target and time', async () => {
    const started = Date.now();
    const demo = await ok<{ campaigns: { edges: { node: { creativeIds: string[] } }[] } }>(
      hq,
      '{ campaigns(first: 20) { edges { node { creativeIds } } } }',
    );
    const creativeId = demo.campaigns.edges.flatMap((e) => e.node.creativeIds)[0]!;
    const create = async (name: string) =>
      (
        await ok<{ createCampaign: { id: string } }>(
          hq,
          'mutation ($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }',
          { i: { name, creativeIds: [creativeId] } },
        )
      ).createCampaign.id;
    const step = (token: string, mutation: string, id: string, extra = '') =>
      ok(token, `mutation ($id: ID!) { ${mutation}(id: $id${extra}) { id } }`, { id });

    const approved = await create('Audited approval');
    await step(hq, 'submitCampaign', approved);
    await step(hq, 'approveCampaign', approved);
    await step(hq, 'pauseCampaign', approved, ', reason: "Wrong price"');
    await step(hq, 'resumeCampaign', approved);
    const storePause = { c: approved, s: DEMO_FIRST_STORE_ID };
    await ok(
      manager,
      'mutation ($c: ID!, $s: ID!) { pauseCampaignForStore(campaignId: $c, storeId: $s) { id } }',
      storePause,
    );
    await ok(
      manager,
      'mutation ($c: ID!, $s: ID!) { resumeCampaignForStore(campaignId: $c, storeId: $s) { id } }',
      storePause,
    );
    const rejected = await create('Audited rejection');
    await step(hq, 'submitCampaign', rejected);
    await step(hq, 'rejectCampaign', rejected, ', reason: "Off brand"');

    const override = (
      await ok<{ setDisplayOverride: { id: string } }>(
        manager,
        'mutation ($i: SetDisplayOverrideInput!) { setDisplayOverride(input: $i) { id } }',
        { i: { displayId: DISPLAY, creativeId, until: new Date(Date.now() + 3_600_000).toISOString() } },
      )
    ).setDisplayOverride.id;
    await ok(manager, 'mutation ($id: ID!) { clearDisplayOverride(id: $id) { id } }', { id: override });
    const takeover = (
      await ok<{ startStoreTakeover: { id: string } }>(
        manager,
        'mutation ($i: StartStoreTakeoverInput!) { startStoreTakeover(input: $i) { id } }',
        { i: { storeId: DEMO_FIRST_STORE_ID, message: 'Closing at 4 pm today' } },
      )
    ).startStoreTakeover.id;
    await ok(hq, 'mutation ($id: ID!) { liftStoreTakeover(id: $id) { id } }', { id: takeover });

    const expected: [string, string, string, string][] = [
      ['CAMPAIGN_APPROVED', ids.hq, 'CAMPAIGN', approved],
      ['CAMPAIGN_PAUSED', ids.hq, 'CAMPAIGN', approved],
      ['CAMPAIGN_RESUMED', ids.hq, 'CAMPAIGN', approved],
      ['CAMPAIGN_STORE_PAUSED', ids.manager, 'CAMPAIGN', approved],
      ['CAMPAIGN_STORE_RESUMED', ids.manager, 'CAMPAIGN', approved],
      ['CAMPAIGN_REJECTED', ids.hq, 'CAMPAIGN', rejected],
      ['DISPLAY_OVERRIDE_SET', ids.manager, 'OVERRIDE', override],
      ['DISPLAY_OVERRIDE_CLEARED', ids.manager, 'OVERRIDE', override],
      ['STORE_TAKEOVER_STARTED', ids.manager, 'TAKEOVER', takeover],
      ['STORE_TAKEOVER_LIFTED', ids.hq, 'TAKEOVER', takeover],
    ];
    const types = [...new Set(expected.map(([type]) => type))];
    let entries: Entry[] = [];
    await expect
      .poll(
        async () => {
          const log = await ok<{ auditLog: { edges: { node: Entry }[] } }>(hq, AUDIT_LOG, { filter: { types } });
          entries = log.auditLog.edges.map((e) => e.node).reverse(); // oldest first
          return entries.map((e) => [e.type, e.actorId, e.subjectType, e.subjectId]);
        },
        { timeout: 30_000, interval: 500 },
      )
      .toEqual(expected);
    for (const e of entries) {
      expect(e.actorType).toBe('USER');
      expect(Date.parse(e.occurredAt)).toBeGreaterThanOrEqual(started - 1000);
      expect(Date.parse(e.occurredAt)).toBeLessThanOrEqual(Date.now());
    }
    expect(entries[1]!.details).toMatchObject({ campaign: 'Audited approval', reason: 'Wrong price' });
    expect(entries[3]!.details).toMatchObject({ storeId: DEMO_FIRST_STORE_ID });
    expect(entries[8]!.details).toMatchObject({ storeId: DEMO_FIRST_STORE_ID, message: 'Closing at 4 pm today' });

    // Stored in the tenant's rows of auth's table, each once.
    const { rows } = await db.query(
      `SELECT tenant_id, count(*)::int AS n FROM auth.audit_event WHERE type = ANY($1) GROUP BY tenant_id`,
      [types],
    );
    expect(rows).toEqual([{ tenant_id: DEMO_TENANT_ID, n: expected.length }]);

    // A store manager is no HQ admin: the log is not theirs to read.
    const refused = await graphql(gateway, AUDIT_LOG, {}, manager);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  }, 120_000);
});
