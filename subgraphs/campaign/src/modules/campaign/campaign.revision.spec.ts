import { campaignEventV1 } from '@phub/contracts';
import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDisplayId, demoStoreId } from '../../demo/demo-data.js';
import { CampaignTopic, type CampaignEvent } from '../../events.js';
import { act, demoCreatives, liveCampaign, playlistOf } from '../../testing/campaigns.js';
import { startCampaign, type CampaignHarness, type GraphQLResponse } from '../../testing/harness.js';
import { campaignWebhookEvent } from '../webhook/webhook.events.js';
import { CampaignService } from './campaign.service.js';

const DISPLAY = demoDisplayId(4, 2);
const REVISION = `pendingRevision { id status priority weight changes creativeIds schedule { dayparts { days from to } } }`;
const FIELDS = `id status reviewNote priority creativeIds ${REVISION}
  history { action fromStatus toStatus actorId reason }`;

interface Revised {
  id: string;
  status: string;
  reviewNote: string | null;
  priority: number;
  creativeIds: string[];
  pendingRevision: { id: string; status: string; priority: number; changes: string[]; creativeIds: string[] } | null;
  history: { action: string; fromStatus: string; toStatus: string; actorId: string; reason: string | null }[];
}

const SUBSCRIPTION = `subscription($d: ID!) { playlistChanged(displayId: $d, current: true) {
  version playlist { items { campaignId creativeId } } } }`;
interface Change {
  playlistChanged: { version: string; playlist: { items: { campaignId: string | null; creativeId: string }[] } };
}

describe(`${CampaignService.name} revisions`, () => {
  let h: CampaignHarness;
  let admin: string;
  let editor: string;
  let device: string;
  const editorId = '0b0b0b0b-0000-4000-8000-000000000002';

  beforeAll(async () => {
    h = await startCampaign();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
    editor = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_EDITOR], sub: editorId });
    device = await h.issuer.token({
      tid: DEMO_TENANT_ID,
      roles: [Role.DEVICE],
      did: DISPLAY,
      stores: [demoStoreId(4)],
    });
  });
  afterAll(() => h?.stop());

  const onDisplay = (priority: number, creative = demoCreatives[3]) =>
    liveCampaign(h, admin, {
      priority,
      creativeIds: [creative],
      targeting: { include: [{ kind: 'DISPLAY', value: DISPLAY }] },
    });

  async function edit(id: string, input: Record<string, unknown>, token = editor) {
    return h.gql<{ updateCampaign: Revised }>(
      `mutation($i: UpdateCampaignInput!) { updateCampaign(input: $i) { ${FIELDS} } }`,
      { i: { id, ...input } },
      token,
    );
  }

  async function decide(mutation: string, id: string, extra = '', token = admin) {
    return h.gql<Record<string, Revised>>(
      `mutation($id: ID!) { ${mutation}(campaignId: $id${extra}) { ${FIELDS} } }`,
      { id },
      token,
    );
  }

  it('keeps the live version on screen while its edit is in review, and switches when the edit is approved', async () => {
    const id = await onDisplay(900);
    const sub = h.subscribe<Change>(SUBSCRIPTION, { d: DISPLAY }, device);
    try {
      const first = await sub.next();
      expect(first.data!.playlistChanged.playlist.items.map((i) => i.creativeId)).toEqual([demoCreatives[3]]);

      const edited = await edit(id, { creativeIds: [demoCreatives[4]], priority: 901 });
      expect(edited.errors).toBeUndefined();
      const c = edited.data!.updateCampaign;
      expect(c).toMatchObject({ status: 'LIVE', priority: 900, creativeIds: [demoCreatives[3]] });
      expect(c.pendingRevision).toMatchObject({
        status: 'PENDING',
        priority: 901,
        creativeIds: [demoCreatives[4]],
        changes: ['PRIORITY', 'CREATIVES'],
      });
      // Still the approved version on the display.
      expect((await playlistOf(h, admin, DISPLAY)).items.map((i) => i.creativeId)).toEqual([demoCreatives[3]]);

      // A second edit updates the same revision (one per campaign) on top of the first.
      const again = await edit(id, { weight: 2 });
      expect(again.data!.updateCampaign.pendingRevision).toMatchObject({
        id: c.pendingRevision!.id,
        priority: 901,
        changes: ['PRIORITY', 'WEIGHT', 'CREATIVES'],
      });

      const inbox = await h.gql<{ campaigns: { edges: { node: { id: string } }[] } }>(
        `{ campaigns(first: 100, filter: { needsReview: true }) { edges { node { id } } } }`,
        {},
        admin,
      );
      expect(inbox.data!.campaigns.edges.map((e) => e.node.id)).toContain(id);

      const approved = await decide('approveCampaignRevision', id);
      expect(approved.errors).toBeUndefined();
      expect(approved.data!.approveCampaignRevision).toMatchObject({
        status: 'LIVE',
        priority: 901,
        creativeIds: [demoCreatives[4]],
        pendingRevision: null,
      });
      expect(approved.data!.approveCampaignRevision!.history.slice(-3).map((t) => [t.action, t.toStatus])).toEqual([
        ['REVISE', 'LIVE'],
        ['REVISE', 'LIVE'],
        ['APPROVE_REVISION', 'LIVE'],
      ]);
      const change = await sub.next();
      expect(change.data!.playlistChanged.playlist.items.map((i) => i.creativeId)).toEqual([demoCreatives[4]]);
    } finally {
      sub.close();
      await act(h, admin, 'endCampaign', id);
    }
  });

  it('leaves the live version when the revision is rejected, with the reason as reviewNote', async () => {
    const id = await onDisplay(800);
    await edit(id, { priority: 801 });
    const empty = await decide('rejectCampaignRevision', id, ', reason: "  "');
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const rejected = await decide('rejectCampaignRevision', id, ', reason: "Not this week"');
    expect(rejected.errors).toBeUndefined();
    expect(rejected.data!.rejectCampaignRevision).toMatchObject({
      status: 'LIVE',
      priority: 800,
      reviewNote: 'Not this week',
      pendingRevision: null,
    });
    expect(rejected.data!.rejectCampaignRevision!.history.at(-1)).toMatchObject({
      action: 'REJECT_REVISION',
      reason: 'Not this week',
    });
    const again = await decide('rejectCampaignRevision', id, ', reason: "twice"');
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'NO_PENDING_REVISION' });
    await act(h, admin, 'endCampaign', id);
  });

  it('lets only HQ admins decide, lets editors withdraw, and withdraws an edit back to the live version', async () => {
    const id = await onDisplay(700);
    await edit(id, { priority: 701 });
    expect((await decide('approveCampaignRevision', id, '', editor)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const back = await edit(id, { priority: 700 });
    expect(back.data!.updateCampaign.pendingRevision).toBeNull();
    expect(back.data!.updateCampaign.history.at(-1)).toMatchObject({ action: 'WITHDRAW_REVISION' });

    await edit(id, { priority: 702 });
    const withdrawn = await decide('withdrawCampaignRevision', id, '', editor);
    expect(withdrawn.data!.withdrawCampaignRevision).toMatchObject({ priority: 700, pendingRevision: null });

    await edit(id, { priority: 703 });
    const ended = await act(h, admin, 'endCampaign', id);
    expect(ended.data!.endCampaign!.history.slice(-2).map((t) => [t.action, t.actorId])).toEqual([
      ['END', expect.any(String)],
      ['WITHDRAW_REVISION', 'system'],
    ]);
  });

  it('refuses a revision that could not play, and leaves drafts edited in place', async () => {
    const id = await onDisplay(600);
    const bad = await edit(id, { creativeIds: [] });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const draft = await h.gql<{ createCampaign: { id: string } }>(
      `mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }`,
      { i: { name: 'Draft', creativeIds: [demoCreatives[3]] } },
      editor,
    );
    const drafted = await edit(draft.data!.createCampaign.id, { priority: 5 });
    expect(drafted.data!.updateCampaign).toMatchObject({ status: 'DRAFT', priority: 5, pendingRevision: null });
    await act(h, admin, 'endCampaign', id);
  });

  it('tells the bus and partners about revision steps while the status stays LIVE', async () => {
    const events: { value: CampaignEvent; id: string }[] = [];
    const subscription = await h.infra.bus.subscribe({
      groupId: 'campaign-revision-spec',
      topics: [CampaignTopic.campaign],
      fromBeginning: true,
      handler: async (m) => void events.push({ value: m.value as CampaignEvent, id: `${m.offset}` }),
    });
    try {
      const id = await onDisplay(500);
      await edit(id, { priority: 501 });
      await decide('approveCampaignRevision', id);
      await expect
        .poll(() =>
          events
            .filter((e) => e.value.campaign.id === id && e.value.revision)
            .map((e) => [e.value.type, e.value.campaign.status, e.value.campaign.priority, e.value.revision!.status]),
        )
        .toEqual([
          ['CampaignUpdated', 'LIVE', 500, 'PENDING'],
          ['CampaignUpdated', 'LIVE', 501, 'APPROVED'],
        ]);
      const steps = events.filter((e) => e.value.campaign.id === id);
      for (const e of steps) expect(() => campaignEventV1.schema.parse(e.value)).not.toThrow();
      expect(steps.some((e) => e.value.campaign.status !== 'LIVE' && e.value.type === 'CampaignUpdated')).toBe(false);
      expect(steps.filter((e) => e.value.revision).map((e) => campaignWebhookEvent(e.value, e.id).event)).toEqual([
        'REVISION_IN_REVIEW',
        'REVISION_APPROVED',
      ]);
      await act(h, admin, 'endCampaign', id);
    } finally {
      await subscription.close();
    }
  });
});

describe(`${CampaignService.name} reach now`, () => {
  let h: CampaignHarness;
  let admin: string;
  beforeAll(async () => {
    h = await startCampaign();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
  });
  afterAll(() => h?.stop());

  const REACH = `reach { asIfLive matchingCount playingCount outrankedCount notNowCount
    playingDisplays { id } outrankedDisplays { display { id } byCampaignIds byOverride byTakeover } }`;
  type Reach = {
    asIfLive: boolean;
    matchingCount: number;
    playingCount: number;
    outrankedCount: number;
    notNowCount: number;
    playingDisplays: { id: string }[];
    outrankedDisplays: { display: { id: string }; byCampaignIds: string[] }[];
  };

  it('counts matching, playing and outranked displays the same on the campaign and for an unsaved edit', async () => {
    const store = demoStoreId(2);
    const high = await liveCampaign(h, admin, {
      priority: 950,
      targeting: { include: [{ kind: 'DISPLAY', value: demoDisplayId(2, 1) }] },
    });
    const low = await liveCampaign(h, admin, {
      priority: 940,
      targeting: { include: [{ kind: 'STORE', value: store }] },
    });
    const res: GraphQLResponse<{ campaign: { matchingDisplayCount: number; reach: Reach } }> = await h.gql(
      `query($id: ID!) { campaign(id: $id) { matchingDisplayCount ${REACH} } }`,
      { id: low },
      admin,
    );
    expect(res.errors).toBeUndefined();
    const reach = res.data!.campaign.reach;
    expect(reach.asIfLive).toBe(false);
    expect(reach.matchingCount).toBe(res.data!.campaign.matchingDisplayCount);
    expect(reach.outrankedDisplays).toEqual([
      { display: { id: demoDisplayId(2, 1) }, byCampaignIds: [high], byOverride: false, byTakeover: false },
    ]);
    expect(reach.playingCount + reach.outrankedCount + reach.notNowCount).toBe(reach.matchingCount);
    expect(reach.playingDisplays.map((d) => d.id)).not.toContain(demoDisplayId(2, 1));

    // The editor's question: the same campaign raised above the other is outranked nowhere.
    const edited = await h.gql<{ campaignReachNow: Reach }>(
      `query($i: CampaignReachInput!) { campaignReachNow(input: $i) { asIfLive matchingCount playingCount outrankedCount } }`,
      { i: { campaignId: low, priority: 960, targeting: { include: [{ kind: 'STORE', value: store }] } } },
      admin,
    );
    expect(edited.errors).toBeUndefined();
    expect(edited.data!.campaignReachNow).toEqual({
      asIfLive: true,
      matchingCount: reach.matchingCount,
      playingCount: reach.playingCount + 1,
      outrankedCount: 0,
    });
    const bad = await h.gql(
      `query($i: CampaignReachInput!) { campaignReachNow(input: $i) { matchingCount } }`,
      { i: { priority: 1, targeting: { include: [{ kind: 'STORE', value: 'nope' }] } } },
      admin,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await act(h, admin, 'endCampaign', high);
    await act(h, admin, 'endCampaign', low);
  });

  it('puts a LIVE campaign whose creatives were all archived on no screen', async () => {
    const id = await liveCampaign(h, admin, {
      priority: 930,
      creativeIds: [demoCreatives[5]],
      targeting: { include: [{ kind: 'DISPLAY', value: demoDisplayId(3, 1) }] },
    });
    const before = await h.gql<{ campaign: { reach: Reach } }>(
      `query($id: ID!) { campaign(id: $id) { ${REACH} } }`,
      { id },
      admin,
    );
    expect(before.data!.campaign.reach).toMatchObject({ matchingCount: 1, playingCount: 1 });
    const archived = await h.gql(
      `mutation($id: ID!) { archiveCreative(id: $id) { id } }`,
      { id: demoCreatives[5] },
      admin,
    );
    expect(archived.errors).toBeUndefined();
    const after = await h.gql<{ campaign: { reach: Reach } }>(
      `query($id: ID!) { campaign(id: $id) { ${REACH} } }`,
      { id },
      admin,
    );
    expect(after.data!.campaign.reach).toMatchObject({
      matchingCount: 1,
      playingCount: 0,
      outrankedCount: 0,
      notNowCount: 1,
    });
    await act(h, admin, 'endCampaign', id);
  });
});
