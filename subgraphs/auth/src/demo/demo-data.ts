import { DEMO_FIRST_STORE_ID, DEMO_TENANT_ID, Role, type Logger } from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { PasswordHasher } from '../security/password.js';
import { Tenant } from '../modules/tenant/tenant.entity.js';
import { User, UserStatus } from '../modules/user/user.entity.js';

export const DEMO_PASSWORD = 'demo-password';

/** Deterministic ids, so other subgraphs' demo data can refer to the demo people. */
export const demoUserId = (n: number) => `00000000-0000-4000-8000-${`a5e${n.toString(16)}`.padStart(12, '0')}`;

export const DEMO_USERS = [
  { n: 1, email: 'hq@demo.test', displayName: 'Harper Quinn (HQ admin)', roles: [Role.HQ_ADMIN], storeIds: [] },
  { n: 2, email: 'editor@demo.test', displayName: 'Eddie Torres (HQ editor)', roles: [Role.HQ_EDITOR], storeIds: [] },
  {
    n: 3,
    email: 'manager@demo.test',
    displayName: 'Morgan Reyes (store manager)',
    roles: [Role.STORE_MANAGER],
    storeIds: [DEMO_FIRST_STORE_ID],
  },
  {
    n: 4,
    email: 'staff@demo.test',
    displayName: 'Sam Taylor (store staff)',
    roles: [Role.STORE_STAFF],
    storeIds: [DEMO_FIRST_STORE_ID],
  },
];

/** The demo tenant and its people; rows that exist already are left exactly as they are. */
export async function seedDemoData(dataSource: DataSource, hasher: PasswordHasher, logger: Logger): Promise<void> {
  await dataSource.transaction(async (manager) => {
    await manager
      .createQueryBuilder()
      .insert()
      .into(Tenant)
      .values({ id: DEMO_TENANT_ID, slug: 'demo', name: 'Demo Retail' })
      .orIgnore()
      .execute();
    const existing = new Set(
      (
        await manager.findBy(
          User,
          DEMO_USERS.map((u) => ({ email: u.email })),
        )
      ).map((u) => u.email),
    );
    const missing = DEMO_USERS.filter((u) => !existing.has(u.email));
    if (!missing.length) return;
    const passwordHash = await hasher.hash(DEMO_PASSWORD);
    await manager
      .createQueryBuilder()
      .insert()
      .into(User)
      .values(
        missing.map((u) => ({
          id: demoUserId(u.n),
          tenantId: DEMO_TENANT_ID,
          email: u.email,
          displayName: u.displayName,
          passwordHash,
          status: UserStatus.ACTIVE,
          roles: u.roles,
          storeIds: u.storeIds,
        })),
      )
      .orIgnore()
      .execute();
    logger.info({ users: missing.map((u) => u.email) }, 'demo people added');
  });
}
