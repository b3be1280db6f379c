import { DEMO_FIRST_STORE_ID, DEMO_TENANT_ID, type Logger, Role, type Viewer } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { CheckInSource } from '../modules/checkin/checkin.entity.js';
import type { CheckInService } from '../modules/checkin/checkin.service.js';
import { ConsentPurpose, IdentifierKind } from '../modules/profile/profile.entity.js';
import { Segment, SegmentConditionKind, SegmentKind } from '../modules/segment/segment.entity.js';
import type { SegmentImport } from '../modules/segment/segment.import.js';
import type { SegmentService } from '../modules/segment/segment.service.js';
import { VisitorScope } from '../scope.js';

// Auth's demo users: the HQ admin and the staff member of London Oxford Street (its demoUserId(1) and (4)).
const viewer = (roles: Viewer['roles'], subject: string, storeIds: string[] = []): Viewer => ({
  kind: 'user',
  subject,
  tenantId: DEMO_TENANT_ID,
  roles,
  storeIds,
  scopes: [],
  tokenId: 'demo-data',
  expiresAt: Number.MAX_SAFE_INTEGER,
});

/**
 * The demo tenant's segments (a rule segment of regulars, an imported one of gold members) and three visitors
 * checked in at London Oxford Street, two of them consenting to personalised screens. Once per database: nothing
 * is written when the demo segments exist.
 */
export async function seedDemoData(
  dataSource: DataSource,
  services: { segments: SegmentService; imports: SegmentImport; checkIns: CheckInService },
  logger: Logger,
): Promise<void> {
  if (await dataSource.manager.countBy(Segment, { tenantId: DEMO_TENANT_ID })) return;
  const hq = new VisitorScope(viewer([Role.HQ_ADMIN], '00000000-0000-4000-8000-00000000a0d1'));
  const staff = new VisitorScope(
    viewer([Role.STORE_STAFF], '00000000-0000-4000-8000-00000000a0d4', [DEMO_FIRST_STORE_ID]),
  );
  await services.segments.create(hq, {
    key: 'regulars',
    name: 'Regulars',
    description: 'Three visits or more (with analytics consent)',
    kind: SegmentKind.RULE,
    rule: { conditions: [{ kind: SegmentConditionKind.VISIT_COUNT_AT_LEAST, count: 3 }] },
    showAtCheckIn: true,
  });
  await services.segments.create(hq, {
    key: 'gold-members',
    name: 'Gold members',
    description: 'Imported from the loyalty CRM',
    kind: SegmentKind.IMPORTED,
    rule: null,
    showAtCheckIn: true,
  });
  await services.imports.importMembers(hq, 'gold-members', [
    { kind: IdentifierKind.LOYALTY_ID, value: 'GOLD-1001' },
    { kind: IdentifierKind.LOYALTY_ID, value: 'GOLD-1002' },
  ]);
  const visitors = [
    { name: 'Ada Lovelace', phone: '+447700900001', loyalty: 'GOLD-1001', consent: true, visits: 3 },
    { name: 'Grace Hopper', phone: '+447700900002', loyalty: null, consent: true, visits: 1 },
    { name: 'Alan Turing', phone: '+447700900003', loyalty: 'GOLD-1002', consent: false, visits: 1 },
  ];
  for (const v of visitors) {
    for (let i = 0; i < v.visits; i++) {
      await services.checkIns.checkIn(staff, {
        storeId: DEMO_FIRST_STORE_ID,
        source: CheckInSource.DESK,
        identifiers: [
          { kind: IdentifierKind.PHONE, value: v.phone },
          ...(v.loyalty ? [{ kind: IdentifierKind.LOYALTY_ID, value: v.loyalty }] : []),
        ],
        name: v.name,
        consents: [
          { purpose: ConsentPurpose.PERSONALISED_SCREENS, granted: v.consent },
          { purpose: ConsentPurpose.ANALYTICS, granted: v.consent },
        ],
      });
    }
  }
  logger.info({ visitors: visitors.length }, 'demo visitors and segments created');
}
