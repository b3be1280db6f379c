import { randomUUID } from 'node:crypto';
import { auditActionEventV1, type AuditActionEventV1 } from '@phub/contracts';
import { DEMO_TENANT_ID, Role, type BusSubscription } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDisplayId, demoStoreId } from './demo/demo-data.js';
import { CampaignTopic, emitAudit } from './events.js';
import { act, createCampaign, demoCreatives, liveCampaign } from './testing/campaigns.js';
import { startCampaign, type CampaignHarness } from './testing/harness.js';

/**
 * Approvals, pauses (of the campaign and for one store), overrides and takeovers each leave one audit.action.v1
 * entry through the outbox — who, which tenant, what, when — for auth's audit log; refused calls leave none.
 */
describe(emitAudit.name, () => {
  let h: CampaignHarness;
  let admin: string;
  let manager: string;
  const adminId = randomUUID();
  const managerId = randomUUID();
  const heard: AuditActionEventV1[] = [];
  let subscription: BusSubscription;

  const ok = async <T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> => {
    const res = await h.gql<T>(query, variables, token);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!;
  };
  /** The entries about one target, in order, once they stop arriving. */
  const about = async (targetId: string, count: number) => {
    await expect.poll(() => heard.filter((e) => e.target.id === targetId).length, { timeout: 10_000 }).toBe(count);
    return heard.filter((e) => e.target.id === targetId);
  };

  beforeAll(async () => {
    h = await startCampaign();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, sub: adminId, roles: [Role.HQ_ADMIN] });
    manager = await h.issuer.token({
      tid: DEMO_TENANT_ID,
      sub: managerId,
      roles: [Role.STORE_MANAGER],
      stores: [demoStoreId(1), demoStoreId(2)],
    });
    subscription = await h.infra.bus.subscribe({
      groupId: 'audit-spec',
      topics: [CampaignTopic.audit],
      fromBeginning: true,
      handler: async (m) => void heard.push(auditActionEventV1.schema.parse(m.value)),
    });
  });
  afterAll(async () => {
    await subscription?.close();
    await h?.stop();
  });

  it('records an approval, a rejection and the campaign’s pause and resume, by whom and when', async () => {
    const before = Date.now();
    const id = await liveCampaign(h, admin);
    await act(h, admin, 'pauseCampaign', id, ', reason: "Wrong price"');
    await act(h, admin, 'resumeCampaign', id);
    const entries = await about(id, 3);
    expect(entries.map((e) => e.action)).toEqual(['CAMPAIGN_APPROVED', 'CAMPAIGN_PAUSED', 'CAMPAIGN_RESUMED']);
    for (const e of entries) {
      expect(e).toMatchObject({ tenantId: DEMO_TENANT_ID, actor: { type: 'USER', id: adminId } });
      expect(e.target).toEqual({ type: 'CAMPAIGN', id });
      expect(Date.parse(e.occurredAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(e.occurredAt)).toBeLessThanOrEqual(Date.now() + 1000);
    }
    expect(entries[1]!.details).toMatchObject({ reason: 'Wrong price' });

    const rejected = (await createCampaign(h, admin)).data!.createCampaign.id;
    await act(h, admin, 'submitCampaign', rejected);
    await act(h, admin, 'rejectCampaign', rejected, ', reason: "Off brand"');
    expect((await about(rejected, 1)).map((e) => [e.action, e.details?.reason])).toEqual([
      ['CAMPAIGN_REJECTED', 'Off brand'],
    ]);
  });

  it('records a revision’s approval, and a store manager’s pause for their store', async () => {
    const id = await liveCampaign(h, admin);
    await ok('mutation($id: ID!) { updateCampaign(input: { id: $id, weight: 3 }) { id } }', { id }, admin);
    await ok('mutation($id: ID!) { approveCampaignRevision(campaignId: $id) { id } }', { id }, admin);
    const pause =
      'mutation($c: ID!, $s: ID!) { pauseCampaignForStore(campaignId: $c, storeId: $s, reason: "Refit") { id } }';
    const resume = 'mutation($c: ID!, $s: ID!) { resumeCampaignForStore(campaignId: $c, storeId: $s) { id } }';
    await ok(pause, { c: id, s: demoStoreId(1) }, manager);
    await ok(resume, { c: id, s: demoStoreId(1) }, manager);
    const entries = await about(id, 4);
    expect(entries.map((e) => [e.action, e.actor.id])).toEqual([
      ['CAMPAIGN_APPROVED', adminId],
      ['CAMPAIGN_REVISION_APPROVED', adminId],
      ['CAMPAIGN_STORE_PAUSED', managerId],
      ['CAMPAIGN_STORE_RESUMED', managerId],
    ]);
    expect(entries[2]!.details).toMatchObject({ storeId: demoStoreId(1), reason: 'Refit' });
  });

  it('records a display override set and cleared, and a store takeover started and lifted', async () => {
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const set = await ok<{ setDisplayOverride: { id: string } }>(
      'mutation($i: SetDisplayOverrideInput!) { setDisplayOverride(input: $i) { id } }',
      { i: { displayId: demoDisplayId(1, 1), creativeId: demoCreatives[3], until, reason: 'Spill' } },
      manager,
    );
    const overrideId = set.setDisplayOverride.id;
    await ok('mutation($id: ID!) { clearDisplayOverride(id: $id) { id } }', { id: overrideId }, manager);
    const overrides = await about(overrideId, 2);
    expect(overrides.map((e) => e.action)).toEqual(['DISPLAY_OVERRIDE_SET', 'DISPLAY_OVERRIDE_CLEARED']);
    expect(overrides[0]).toMatchObject({
      tenantId: DEMO_TENANT_ID,
      actor: { type: 'USER', id: managerId },
      target: { type: 'OVERRIDE', id: overrideId },
      details: { displayId: demoDisplayId(1, 1), storeId: demoStoreId(1), until, reason: 'Spill' },
    });

    const started = await ok<{ startStoreTakeover: { id: string } }>(
      'mutation($i: StartStoreTakeoverInput!) { startStoreTakeover(input: $i) { id } }',
      { i: { storeId: demoStoreId(2), message: 'Closing early today' } },
      manager,
    );
    const takeoverId = started.startStoreTakeover.id;
    await ok('mutation($id: ID!) { liftStoreTakeover(id: $id) { id } }', { id: takeoverId }, admin);
    // Lifting again changes nothing, and records nothing.
    await ok('mutation($id: ID!) { liftStoreTakeover(id: $id) { id } }', { id: takeoverId }, admin);
    const takeovers = await about(takeoverId, 2);
    expect(takeovers.map((e) => [e.action, e.actor.id, e.details?.storeId])).toEqual([
      ['STORE_TAKEOVER_STARTED', managerId, demoStoreId(2)],
      ['STORE_TAKEOVER_LIFTED', adminId, demoStoreId(2)],
    ]);
    expect(takeovers[0]!.details).toMatchObject({ message: 'Closing early today' });
  });

  it('records nothing for a refused action', async () => {
    const id = (await createCampaign(h, admin)).data!.createCampaign.id;
    await act(h, admin, 'submitCampaign', id);
    const refused = await act(h, manager, 'approveCampaign', id);
    expect(refused.errors?.[0]?.extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
    const outsider = await h.gql(
      'mutation($i: StartStoreTakeoverInput!) { startStoreTakeover(input: $i) { id } }',
      { i: { storeId: demoStoreId(3), message: 'Not mine' } },
      manager,
    );
    expect(outsider.errors?.[0]?.extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
    // A later action's entry has arrived, so the refused ones would have too.
    await act(h, admin, 'approveCampaign', id);
    expect((await about(id, 1)).map((e) => [e.action, e.actor.id])).toEqual([['CAMPAIGN_APPROVED', adminId]]);
    expect(heard.some((e) => e.details?.message === 'Not mine')).toBe(false);
  });
});
