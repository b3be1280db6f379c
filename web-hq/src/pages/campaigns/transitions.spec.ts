import { describe, expect, it } from 'vitest';
import type { Role } from '@phub/web-kit';
import {
  availableActions,
  canCreateCampaign,
  canEditContent,
  type CampaignStatus,
  type WorkflowAction,
} from './transitions';

const as = (role: Role, storeIds: string[] = []) => ({ roles: [role], storeIds });

describe(availableActions.name, () => {
  it.each<[Role, CampaignStatus, WorkflowAction[]]>([
    ['HQ_EDITOR', 'DRAFT', ['SUBMIT', 'ARCHIVE']],
    ['HQ_EDITOR', 'IN_REVIEW', []],
    ['HQ_ADMIN', 'IN_REVIEW', ['APPROVE', 'REJECT']],
    ['HQ_EDITOR', 'APPROVED', ['PUBLISH', 'END']],
    ['HQ_EDITOR', 'LIVE', ['PAUSE', 'END']],
    ['HQ_ADMIN', 'PAUSED', ['RESUME', 'END']],
    ['HQ_EDITOR', 'ENDED', ['ARCHIVE']],
    ['HQ_ADMIN', 'ARCHIVED', []],
    ['HQ_VIEWER', 'DRAFT', []],
    ['STORE_STAFF', 'LIVE', []],
    ['STORE_MANAGER', 'LIVE', []], // a tenant-wide campaign: store managers only pause it for their store
  ])('%s on a tenant-wide %s campaign: %j', (role, status, expected) => {
    expect(availableActions(as(role), { status, storeId: null })).toEqual(expected);
  });

  it('lets a store manager run their own store-local campaign, not another store’s', () => {
    expect(availableActions(as('STORE_MANAGER', ['s1']), { status: 'DRAFT', storeId: 's1' })).toEqual([
      'SUBMIT',
      'ARCHIVE',
    ]);
    expect(availableActions(as('STORE_MANAGER', ['s1']), { status: 'DRAFT', storeId: 's2' })).toEqual([]);
    expect(availableActions(as('STORE_MANAGER', ['s1']), { status: 'IN_REVIEW', storeId: 's1' })).toEqual([]);
  });
});

describe(canEditContent.name, () => {
  it.each<[Role, CampaignStatus, boolean]>([
    ['HQ_EDITOR', 'LIVE', true],
    ['HQ_EDITOR', 'ENDED', false],
    ['HQ_VIEWER', 'DRAFT', false],
    ['STORE_STAFF', 'DRAFT', false],
  ])('%s on %s: %s', (role, status, expected) => {
    expect(canEditContent(as(role), { status })).toBe(expected);
  });

  it('only editors create campaigns', () => {
    expect(canCreateCampaign(as('HQ_EDITOR'))).toBe(true);
    expect(canCreateCampaign(as('STORE_MANAGER', ['s1']))).toBe(true);
    expect(canCreateCampaign(as('HQ_VIEWER'))).toBe(false);
    expect(canCreateCampaign(as('STORE_STAFF', ['s1']))).toBe(false);
  });
});
