import { campaignEventV1 } from '@phub/contracts';
import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStoreId } from '../../demo/demo-data.js';
import { CampaignTopic, type CampaignEvent } from '../../events.js';
import { act, createCampaign, demoCreatives, type CampaignData } from '../../testing/campaigns.js';
import { startCampaign, type CampaignHarness } from '../../testing/harness.js';
import { CampaignService } from './campaign.service.js';

const STORE_1 = demoStoreId(1);

describe(CampaignService.name, () => {
  let h: CampaignHarness;
  let admin: string;
  let editor: string;
  let manager: string;
  const adminId = '0a0a0a0a-0000-4000-8000-000000000001';

  beforeAll(async () => {
    h = await startCampaign();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN], sub: adminId });
    editor = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_EDITOR] });
    manager = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.STORE_MANAGER], stores: [STORE_1] });
  });
  afterAll(() => h?.stop());

  /** A campaign walked to `status` through the workflow. */
  async function campaignIn(status: string): Promise<string> {
    const id = (await createCampaign(h, admin)).data!.createCampaign.id;
    const path: Record<string, [string, string?][]> = {
      DRAFT: [],
      IN_REVIEW: [['submitCampaign']],
      APPROVED: [['submitCampaign'], ['approveCampaign', ', goLive: false']],
      LIVE: [['submitCampaign'], ['approveCampaign']],
      PAUSED: [['submitCampaign'], ['approveCampaign'], ['pauseCampaign']],
      ENDED: [['submitCampaign'], ['approveCampaign'], ['endCampaign']],
      ARCHIVED: [['archiveCampaign']],
    };
    for (const [mutation, extra] of path[status]!) {
      const res = await act(h, admin, mutation, id, extra);
      expect(res.errors, `${mutation} on the way to ${status}`).toBeUndefined();
    }
    return id;
  }

  const ACTIONS: [string, string?][] = [
    ['submitCampaign'],
    ['approveCampaign'],
    ['rejectCampaign', ', reason: "no"'],
    ['publishCampaign'],
    ['pauseCampaign'],
    ['resumeCampaign'],
    ['endCampaign'],
    ['archiveCampaign'],
  ];
  // Where each action leads from each status; absent = CONFLICT.
  const ALLOWED: Record<string, Record<string, string>> = {
    DRAFT: { submitCampaign: 'IN_REVIEW', archiveCampaign: 'ARCHIVED' },
    IN_REVIEW: { approveCampaign: 'LIVE', rejectCampaign: 'DRAFT' },
    APPROVED: { publishCampaign: 'LIVE', endCampaign: 'ENDED' },
    LIVE: { pauseCampaign: 'PAUSED', endCampaign: 'ENDED' },
    PAUSED: { resumeCampaign: 'LIVE', endCampaign: 'ENDED' },
    ENDED: { archiveCampaign: 'ARCHIVED' },
    ARCHIVED: {},
  };
  const cases = Object.entries(ALLOWED).flatMap(([status, allowed]) =>
    ACTIONS.map(([mutation, extra]) => [status, mutation, allowed[mutation] ?? 'CONFLICT', extra] as const),
  );

  it.each(cases)('%s → %s → %s', async (status, mutation, expected, extra) => {
    const id = await campaignIn(status);
    const res = await act(h, admin, mutation, id, extra);
    if (expected === 'CONFLICT') {
      expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      const after = await h.gql<{ campaign: { status: string } }>(
        `query($id: ID!) { campaign(id: $id) { status } }`,
        { id },
        admin,
      );
      expect(after.data!.campaign.status).toBe(status);
    } else {
      expect(res.errors).toBeUndefined();
      expect(res.data![mutation]!.status).toBe(expected);
    }
  });

  it('records every step with who, when and why', async () => {
    const id = (await createCampaign(h, editor)).data!.createCampaign.id;
    await act(h, editor, 'submitCampaign', id);
    const rejected = await act(h, admin, 'rejectCampaign', id, ', reason: "Logo too small"');
    expect(rejected.data!.rejectCampaign).toMatchObject({ status: 'DRAFT', reviewNote: 'Logo too small' });
    await act(h, editor, 'submitCampaign', id);
    const live = (await act(h, admin, 'approveCampaign', id)).data!.approveCampaign as CampaignData;
    expect(live.reviewNote).toBeNull();
    expect(live.history.map((t) => [t.action, t.fromStatus, t.toStatus])).toEqual([
      ['CREATE', null, 'DRAFT'],
      ['SUBMIT', 'DRAFT', 'IN_REVIEW'],
      ['REJECT', 'IN_REVIEW', 'DRAFT'],
      ['SUBMIT', 'DRAFT', 'IN_REVIEW'],
      ['APPROVE', 'IN_REVIEW', 'APPROVED'],
      ['PUBLISH', 'APPROVED', 'LIVE'],
    ]);
    expect(live.history[2]).toMatchObject({ actorId: adminId, reason: 'Logo too small' });
    expect(live.history[4]!.actorId).toBe(adminId);
    // The actor as a reference to auth's User (the gateway adds the name); automatic steps have none.
    const actors = await h.gql<{ campaign: { history: { actorId: string; actor: { id: string } | null }[] } }>(
      `query($id: ID!) { campaign(id: $id) { history { actorId actor { id } } } }`,
      { id },
      admin,
    );
    for (const t of actors.data!.campaign.history) {
      expect(t.actor).toEqual(t.actorId === 'system' ? null : { id: t.actorId });
    }
    expect(actors.data!.campaign.history[4]!.actor).toEqual({ id: adminId });
  });

  it('keeps an edited LIVE campaign LIVE, the edit waiting as its revision, and renames at once', async () => {
    const id = await campaignIn('LIVE');
    const renamed = await h.gql<{ updateCampaign: CampaignData }>(
      `mutation($id: ID!) { updateCampaign(input: { id: $id, name: "Renamed" }) { status name } }`,
      { id },
      editor,
    );
    expect(renamed.data!.updateCampaign).toEqual({ status: 'LIVE', name: 'Renamed' });
    const edited = await h.gql<{
      updateCampaign: CampaignData & { weight: number; pendingRevision: { weight: number; changes: string[] } };
    }>(
      `mutation($id: ID!) { updateCampaign(input: { id: $id, weight: 3 }) {
        status weight pendingRevision { weight changes } history { action fromStatus toStatus } } }`,
      { id },
      editor,
    );
    expect(edited.errors).toBeUndefined();
    expect(edited.data!.updateCampaign).toMatchObject({
      status: 'LIVE',
      weight: 1,
      pendingRevision: { weight: 3, changes: ['WEIGHT'] },
    });
    expect(edited.data!.updateCampaign.history.at(-1)).toEqual({
      action: 'REVISE',
      fromStatus: 'LIVE',
      toStatus: 'LIVE',
    });
  });

  it('refuses to edit an ENDED campaign', async () => {
    const id = await campaignIn('ENDED');
    const res = await h.gql(
      `mutation($id: ID!) { updateCampaign(input: { id: $id, weight: 2 }) { id } }`,
      { id },
      admin,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('auto-approves when the tenant says so, and store-local campaigns by default', async () => {
    const local = (await createCampaign(h, manager, { storeId: STORE_1 })).data!.createCampaign.id;
    const submitted = await act(h, manager, 'submitCampaign', local);
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data!.submitCampaign!.status).toBe('LIVE');
    expect(submitted.data!.submitCampaign!.history.slice(-3).map((t) => [t.action, t.actorId])).toEqual([
      ['SUBMIT', expect.any(String)],
      ['APPROVE', 'system'],
      ['PUBLISH', 'system'],
    ]);

    const hq = (await createCampaign(h, editor)).data!.createCampaign.id;
    expect((await act(h, editor, 'submitCampaign', hq)).data!.submitCampaign!.status).toBe('IN_REVIEW');
    const on = await h.gql(`mutation { setCampaignSettings(input: { autoApprove: true }) { autoApprove } }`, {}, admin);
    expect(on.errors).toBeUndefined();
    try {
      const next = (await createCampaign(h, editor)).data!.createCampaign.id;
      expect((await act(h, editor, 'submitCampaign', next)).data!.submitCampaign!.status).toBe('LIVE');
      // With auto-approval an edit keeps it LIVE.
      const edited = await h.gql<{ updateCampaign: { status: string } }>(
        `mutation($id: ID!) { updateCampaign(input: { id: $id, priority: -5 }) { status } }`,
        { id: next },
        editor,
      );
      expect(edited.data!.updateCampaign.status).toBe('LIVE');
    } finally {
      await h.gql(`mutation { setCampaignSettings(input: { autoApprove: false }) { autoApprove } }`, {}, admin);
    }
  });

  it('keeps a store manager to store-local campaigns of their own store', async () => {
    const tenantWide = await createCampaign(h, manager);
    expect(tenantWide.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const otherStore = await createCampaign(h, manager, { storeId: demoStoreId(2) });
    expect(otherStore.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it.each([
    [
      'an invalid daypart time',
      { schedule: { dayparts: [{ days: ['MON'], from: '25:00', to: '26:00' }] } },
      'schedule',
    ],
    ['an unknown weekday', { schedule: { dayparts: [{ days: ['FUNDAY'], from: '09:00', to: '10:00' }] } }, null],
    [
      'an end date before the start date',
      { schedule: { startDate: '2026-05-02', endDate: '2026-05-01' } },
      'schedule.endDate',
    ],
    [
      'an end before the start',
      { schedule: { startsAt: '2026-05-02T00:00:00Z', endsAt: '2026-05-01T00:00:00Z' } },
      'schedule.endsAt',
    ],
    [
      'an unknown orientation',
      { targeting: { include: [{ kind: 'ORIENTATION', value: 'SIDEWAYS' }] } },
      'targeting.include[0]',
    ],
    [
      'a store rule that is not an id',
      { targeting: { include: [{ kind: 'STORE', value: 'oxford' }] } },
      'targeting.include[0].value',
    ],
    ['an unknown creative', { creativeIds: ['7b0a8f7e-1111-4111-8111-111111111111'] }, 'creativeIds[0]'],
    ['a zero weight', { weight: 0 }, 'weight'],
  ])('refuses %s with BAD_USER_INPUT and creates nothing', async (_name, input, field) => {
    const before = await h.gql<{ campaigns: { totalCount: number } }>(
      `{ campaigns(filter: { includeArchived: true }) { totalCount } }`,
      {},
      admin,
    );
    const res = await createCampaign(h, admin, input);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    if (field) {
      const fields = (res.errors![0]!.extensions!.fields as { field: string }[]).map((f) => f.field);
      expect(fields.some((f) => f.startsWith(field))).toBe(true);
    }
    const after = await h.gql<{ campaigns: { totalCount: number } }>(
      `{ campaigns(filter: { includeArchived: true }) { totalCount } }`,
      {},
      admin,
    );
    expect(after.data!.campaigns.totalCount).toBe(before.data!.campaigns.totalCount);
  });

  it('refuses an invalid edit and leaves the campaign as it was', async () => {
    const id = await campaignIn('LIVE');
    const res = await h.gql(
      `mutation($id: ID!) { updateCampaign(input: { id: $id, schedule: { startDate: "2026-05-02", endDate: "2026-01-01" } }) { id } }`,
      { id },
      admin,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const after = await h.gql<{
      campaign: { status: string; schedule: { endDate: string | null }; history: unknown[] };
    }>(`query($id: ID!) { campaign(id: $id) { status schedule { endDate } history { action } } }`, { id }, admin);
    expect(after.data!.campaign).toMatchObject({ status: 'LIVE', schedule: { endDate: null } });
    expect(after.data!.campaign.history).toHaveLength(4);
  });

  it('needs a creative before review', async () => {
    const id = (await createCampaign(h, admin, { creativeIds: [] })).data!.createCampaign.id;
    const res = await act(h, admin, 'submitCampaign', id);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/creativeIds/);
  });

  it('is NOT_FOUND for an unknown campaign', async () => {
    const res = await act(h, admin, 'submitCampaign', '7b0a8f7e-1111-4111-8111-111111111111');
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('publishes its changes on campaign.campaign.v1 through the outbox', async () => {
    const events: CampaignEvent[] = [];
    const subscription = await h.infra.bus.subscribe({
      groupId: 'campaign-spec',
      topics: [CampaignTopic.campaign],
      fromBeginning: true,
      handler: async (m) => void events.push(m.value as CampaignEvent),
    });
    try {
      const id = (await createCampaign(h, admin)).data!.createCampaign.id;
      await act(h, admin, 'submitCampaign', id);
      await act(h, admin, 'approveCampaign', id);
      await expect
        .poll(() => events.filter((e) => e.campaign.id === id).map((e) => [e.type, e.campaign.status]))
        .toEqual([
          ['CampaignCreated', 'DRAFT'],
          ['CampaignStatusChanged', 'IN_REVIEW'],
          ['CampaignStatusChanged', 'LIVE'],
        ]);
      expect(events.find((e) => e.campaign.id === id)!.campaign).toMatchObject({
        tenantId: DEMO_TENANT_ID,
        creativeIds: [demoCreatives[3]],
        pausedStoreIds: [],
      });
      for (const e of events) expect(() => campaignEventV1.schema.parse(e)).not.toThrow();
    } finally {
      await subscription.close();
    }
  });

  it('stores creatives in play order', async () => {
    const ids = [demoCreatives[2]!, demoCreatives[0]!, demoCreatives[4]!];
    const res = await createCampaign(h, admin, { creativeIds: ids });
    expect(res.data!.createCampaign.creativeIds).toEqual(ids);
  });
});
