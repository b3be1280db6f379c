import { DEMO_TENANT_ID, openDatabase } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS, demoUserId } from '../../demo/demo-data.js';
import { AUTH_SCHEMA, authEntities, authMigrations, createAuthService } from '../../index.js';
import { outcome, startAuth, type AuthHarness } from '../../testing/harness.js';
import { AuditService } from '../audit/audit.service.js';
import { TenantService } from './tenant.service.js';

let h: AuthHarness;
let ds: DataSource;

beforeAll(async () => {
  h = await startAuth();
  ds = await openDatabase({
    url: h.infra.databaseUrl,
    schema: AUTH_SCHEMA,
    entities: authEntities,
    migrations: authMigrations,
    logger: h.infra.logger,
  });
});
afterAll(async () => {
  await ds?.destroy();
  await h?.stop();
});

describe(TenantService.name, () => {
  it('shows every caller its own tenant', async () => {
    const device = await h.pairDevice(
      (await h.login('hq@demo.test')).accessToken,
      await h.publishDisplay({ tenantId: DEMO_TENANT_ID, storeId: DEMO_USERS[2]!.storeIds[0]! }),
    );
    for (const token of [(await h.login('staff@demo.test')).accessToken, device.accessToken]) {
      expect(await h.ok('{ tenant { id slug name } }', {}, token)).toEqual({
        tenant: { id: DEMO_TENANT_ID, slug: 'demo', name: 'Demo Retail' },
      });
    }
  });

  it('lets an HQ admin rename the tenant, and audits it', async () => {
    const admin = (await h.login('hq@demo.test')).accessToken;
    const res = await h.ok<{ updateTenant: { name: string } }>(
      'mutation { updateTenant(input: { name: "Demo Retail Ltd" }) { name } }',
      {},
      admin,
    );
    expect(res.updateTenant.name).toBe('Demo Retail Ltd');
    expect(outcome(await h.gql('mutation { updateTenant(input: { name: "" }) { name } }', {}, admin))).toBe(
      'BAD_USER_INPUT',
    );
    const { rows } = await h.db.query(`SELECT details FROM auth.audit_event WHERE type = 'TENANT_UPDATED'`);
    expect(rows[0].details).toMatchObject({ before: { name: 'Demo Retail' }, after: { name: 'Demo Retail Ltd' } });
  });

  it('creates tenants for operators, with a unique slug', async () => {
    const tenants = new TenantService(ds, new AuditService(ds, Date.now));
    const created = await tenants.create({ slug: 'Umbrella', name: 'Umbrella Corp' });
    expect(created).toMatchObject({ slug: 'umbrella', name: 'Umbrella Corp' });
    await expect(tenants.create({ slug: 'umbrella', name: 'Again' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(tenants.create({ slug: 'not a slug!', name: 'Bad' })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });
});

describe('demo data', () => {
  it('seeds the demo tenant and its four people, with the documented ids and password', async () => {
    const { rows } = await h.db.query(
      `SELECT id, email, roles, store_ids FROM auth."user" WHERE tenant_id = $1 AND email LIKE '%@demo.test' ORDER BY email`,
      [DEMO_TENANT_ID],
    );
    expect(rows.map((r) => r.email)).toEqual([
      'editor@demo.test',
      'hq@demo.test',
      'manager@demo.test',
      'staff@demo.test',
    ]);
    for (const user of DEMO_USERS) {
      expect(rows.find((r) => r.email === user.email)).toMatchObject({ id: demoUserId(user.n), roles: user.roles });
      await h.login(user.email, DEMO_PASSWORD);
    }
  });

  it('never overwrites what exists, and adds back only what is missing', async () => {
    await h.db.query(
      `UPDATE auth."user" SET display_name = 'Renamed', roles = '{HQ_VIEWER}' WHERE email = 'editor@demo.test'`,
    );
    await h.db.query(`DELETE FROM auth.audit_event WHERE subject_id = $1 OR actor_id = $1`, [demoUserId(4)]);
    await h.db.query(
      `DELETE FROM auth.refresh_token WHERE session_id IN (SELECT id FROM auth.session WHERE user_id = $1)`,
      [demoUserId(4)],
    );
    await h.db.query(`DELETE FROM auth.session WHERE user_id = $1`, [demoUserId(4)]);
    await h.db.query(`DELETE FROM auth."user" WHERE email = 'staff@demo.test'`);
    const replica = createAuthService(h.infra, {
      port: 0,
      host: '127.0.0.1',
      demoData: true,
      env: h.env,
      clock: h.clock,
    });
    await replica.start();
    await replica.stop();
    const { rows } = await h.db.query(
      `SELECT email, display_name, roles FROM auth."user" WHERE email IN ('editor@demo.test', 'staff@demo.test') ORDER BY email`,
    );
    expect(rows).toEqual([
      { email: 'editor@demo.test', display_name: 'Renamed', roles: ['HQ_VIEWER'] },
      { email: 'staff@demo.test', display_name: expect.any(String), roles: ['STORE_STAFF'] },
    ]);
    const tenant = await h.db.query(`SELECT name FROM auth.tenant WHERE id = $1`, [DEMO_TENANT_ID]);
    expect(tenant.rows[0].name).toBe('Demo Retail Ltd');
  });
});
