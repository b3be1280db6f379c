import type { Role } from '@phub/web-kit';
import { describe, expect, it } from 'vitest';
import { can, type Capability } from './capabilities';

const OWN = 'store-1';
const OTHER = 'store-2';
const person = (role: Role) => ({ roles: [role], storeIds: role.startsWith('STORE_') ? [OWN] : [] });

describe(can.name, () => {
  it.each<[Role, Capability, boolean]>([
    ['STORE_MANAGER', 'pauseForStore', true],
    ['STORE_STAFF', 'pauseForStore', false],
    ['STORE_MANAGER', 'overrideDisplay', true],
    ['STORE_STAFF', 'overrideDisplay', false],
    ['STORE_STAFF', 'acknowledgeAlerts', true],
    ['STORE_STAFF', 'pairDisplay', true],
    ['STORE_STAFF', 'serveQueue', true],
    ['STORE_STAFF', 'configureQueue', false],
    ['STORE_MANAGER', 'configureQueue', true],
    ['HQ_VIEWER', 'acknowledgeAlerts', false],
    ['HQ_VIEWER', 'serveQueue', false],
    ['HQ_EDITOR', 'serveQueue', false],
    ['HQ_EDITOR', 'pauseForStore', true],
    ['HQ_ADMIN', 'configureQueue', true],
    ['STORE_MANAGER', 'editStore', true],
    ['STORE_MANAGER', 'runStoreCampaigns', true],
    ['STORE_STAFF', 'runStoreCampaigns', false],
    ['HQ_EDITOR', 'runStoreCampaigns', true],
    ['HQ_VIEWER', 'runStoreCampaigns', false],
    ['STORE_STAFF', 'editStore', false],
    ['HQ_EDITOR', 'editStore', false],
    ['STORE_MANAGER', 'takeoverStore', true],
    ['STORE_STAFF', 'takeoverStore', false],
    ['HQ_EDITOR', 'takeoverStore', true],
    ['HQ_VIEWER', 'takeoverStore', false],
  ])('%s may %s in their store: %s', (role, capability, allowed) => {
    expect(can(person(role), capability, OWN)).toBe(allowed);
  });

  it('gives store roles nothing in a store that is not theirs', () => {
    for (const c of ['acknowledgeAlerts', 'pauseForStore', 'pairDisplay', 'serveQueue', 'takeoverStore'] as const) {
      expect(can(person('STORE_MANAGER'), c, OTHER)).toBe(false);
    }
    expect(can(person('HQ_ADMIN'), 'pauseForStore', OTHER)).toBe(true);
  });

  it('gives nobody signed out anything', () => {
    expect(can(null, 'acknowledgeAlerts', OWN)).toBe(false);
  });
});
