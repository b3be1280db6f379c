import { DEMO_TENANT_ID, Role, type AccessTokenClaims } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCampaignId, demoDisplayId, demoStoreId } from './demo/demo-data.js';
import { CampaignScope } from './scope.js';
import { act, createCampaign, demoCreatives } from './testing/campaigns.js';
import { startCampaign, type CampaignHarness, type GraphQLResponse } from './testing/harness.js';

const STORE_1 = demoStoreId(1);
const STORE_2 = demoStoreId(2);
const OWN_DISPLAY = demoDisplayId(1, 1);
const OTHER_DISPLAY = demoDisplayId(2, 1);
const OTHER_TENANT = '11111111-1111-4111-8111-111111111111';

type Who =
  'anonymous' | 'hqAdmin' | 'hqEditor' | 'hqViewer' | 'manager' | 'staff' | 'partner' | 'partnerNoScope' | 'device';
const WHO: Who[] = [
  'anonymous',
  'hqAdmin',
  'hqEditor',
  'hqViewer',
  'manager',
  'staff',
  'partner',
  'partnerNoScope',
  'device',
];

const CLAIMS: Record<Exclude<Who, 'anonymous'>, Partial<AccessTokenClaims> & { tid: string; roles: Role[] }> = {
  hqAdmin: { tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] },
  hqEditor: { tid: DEMO_TENANT_ID, roles: [Role.HQ_EDITOR] },
  hqViewer: { tid: DEMO_TENANT_ID, roles: [Role.HQ_VIEWER] },
  manager: { tid: DEMO_TENANT_ID, roles: [Role.STORE_MANAGER], stores: [STORE_1] },
  staff: { tid: DEMO_TENANT_ID, roles: [Role.STORE_STAFF], stores: [STORE_1] },
  partner: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'campaign:read' },
  partnerNoScope: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'location:read' },
  device: { tid: DEMO_TENANT_ID, roles: [Role.DEVICE], did: OWN_DISPLAY, stores: [STORE_1] },
};

/** What a caller gets: data, an empty/null answer (out of its scope), or an error code. */
type Outcome = 'ok' | 'none' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'NOT_FOUND';

interface Operation {
  name: string;
  query: string;
  /** Creates what the operation acts on (as HQ admin) and returns its variables. */
  vars?: (h: CampaignHarness, admin: string) => Promise<Record<string, unknown>>;
  /** The answer's payload: null, [] and 0 mean "none". */
  pick: (data: Record<string, unknown>) => unknown;
  expect: Record<Who, Outcome>;
}

const outcomes = (fallback: Outcome, overrides: Partial<Record<Who, Outcome>> = {}): Record<Who, Outcome> =>
  ({
    ...Object.fromEntries(WHO.map((w) => [w, fallback])),
    anonymous: 'UNAUTHENTICATED',
    ...overrides,
  }) as Record<Who, Outcome>;
/** Only the named roles succeed; everyone else authenticated is FORBIDDEN. */
const only = (...who: Who[]) => outcomes('FORBIDDEN', Object.fromEntries(who.map((w) => [w, 'ok'])));
const READERS = outcomes('ok', { partnerNoScope: 'FORBIDDEN', device: 'FORBIDDEN' });
const pick = (field: string) => (d: Record<string, unknown>) => d[field];
const pickList = (field: string) => (d: Record<string, unknown>) => (d[field] as unknown[]).length;

async function draft(h: CampaignHarness, admin: string, input: Record<string, unknown> = {}): Promise<string> {
  const res = await createCampaign(h, admin, {
    targeting: { include: [{ kind: 'DISPLAY', value: demoDisplayId(5, 4) }] },
    ...input,
  });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.createCampaign.id;
}
async function inStatus(h: CampaignHarness, admin: string, status: string, input: Record<string, unknown> = {}) {
  const id = await draft(h, admin, input);
  const steps: Record<string, [string, string?][]> = {
    DRAFT: [],
    IN_REVIEW: [['submitCampaign']],
    APPROVED: [['submitCampaign'], ['approveCampaign', ', goLive: false']],
    LIVE: [['submitCampaign'], ['approveCampaign']],
    PAUSED: [['submitCampaign'], ['approveCampaign'], ['pauseCampaign']],
  };
  for (const [mutation, extra] of steps[status]!) {
    const res = await act(h, admin, mutation, id, extra);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
  }
  return id;
}
async function override(h: CampaignHarness, admin: string, displayId: string): Promise<string> {
  const res = await h.gql<{ setDisplayOverride: { id: string } }>(
    `mutation($i: SetDisplayOverrideInput!) { setDisplayOverride(input: $i) { id } }`,
    { i: { displayId, creativeId: demoCreatives[5], until: new Date(Date.now() + 600_000).toISOString() } },
    admin,
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.setDisplayOverride.id;
}
const overrideInput = (displayId: string) => ({
  i: { displayId, creativeId: demoCreatives[5], until: new Date(Date.now() + 600_000).toISOString() },
});

/** The id of the store's active takeover (started by the HQ admin when there is none). */
async function activeTakeover(h: CampaignHarness, admin: string, storeId: string): Promise<string> {
  const listed = await h.gql<{ storeTakeovers: { id: string }[] }>(
    `query($s: ID!) { storeTakeovers(storeId: $s) { id } }`,
    { s: storeId },
    admin,
  );
  if (listed.data?.storeTakeovers[0]) return listed.data.storeTakeovers[0].id;
  const res = await h.gql<{ startStoreTakeover: { id: string } }>(
    `mutation($s: ID!) { startStoreTakeover(input: { storeId: $s, message: "Test" }) { id } }`,
    { s: storeId },
    admin,
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.startStoreTakeover.id;
}
/** Lifts the store's active takeover, if any, so a start can succeed. */
async function noTakeover(h: CampaignHarness, admin: string, storeId: string): Promise<{ s: string }> {
  const id = await activeTakeover(h, admin, storeId);
  await h.gql(`mutation($id: ID!) { liftStoreTakeover(id: $id) { id } }`, { id }, admin);
  return { s: storeId };
}
const START_TAKEOVER = `mutation($s: ID!) { startStoreTakeover(input: { storeId: $s, message: "Please wait" }) { id } }`;

const workflow = (mutation: string, from: string, extra = '', input: Record<string, unknown> = {}) => ({
  query: `mutation($id: ID!) { ${mutation}(id: $id${extra}) { id } }`,
  vars: async (h: CampaignHarness, a: string) => ({ id: await inStatus(h, a, from, input) }),
  pick: pick(mutation),
});

/** A revision step on a LIVE campaign whose edit (by the HQ admin) waits for review. */
const revisionStep = (mutation: string, extra = '') => ({
  query: `mutation($id: ID!) { ${mutation}(campaignId: $id${extra}) { id } }`,
  vars: async (h: CampaignHarness, a: string) => {
    const id = await inStatus(h, a, 'LIVE');
    const res = await h.gql(`mutation($id: ID!) { updateCampaign(input: { id: $id, weight: 2 }) { id } }`, { id }, a);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return { id };
  },
  pick: pick(mutation),
});

const OPERATIONS: Operation[] = [
  {
    name: 'campaigns',
    query: `{ campaigns { totalCount } }`,
    pick: (d) => (d.campaigns as { totalCount: number }).totalCount,
    expect: READERS,
  },
  {
    name: 'campaign (tenant-wide)',
    query: `query($id: ID!) { campaign(id: $id) { id history { action } creatives { id } } }`,
    vars: async () => ({ id: demoCampaignId(1) }),
    pick: pick('campaign'),
    expect: READERS,
  },
  {
    name: 'campaign (store-local, another store)',
    query: `query($id: ID!) { campaign(id: $id) { id } }`,
    vars: async (h, a) => ({ id: await draft(h, a, { storeId: STORE_2 }) }),
    pick: pick('campaign'),
    expect: { ...READERS, manager: 'none', staff: 'none' },
  },
  {
    name: 'campaignReach',
    query: `{ campaignReach(targeting: { include: [{ kind: STORE_TAG, value: "flagship" }] }) }`,
    pick: pick('campaignReach'),
    expect: only('hqAdmin', 'hqEditor', 'hqViewer', 'manager'),
  },
  {
    name: 'campaignReachNow',
    query: `{ campaignReachNow(input: { priority: 5, targeting: { include: [{ kind: STORE_TAG, value: "flagship" }] } }) { playingCount } }`,
    pick: pick('campaignReachNow'),
    expect: only('hqAdmin', 'hqEditor', 'hqViewer', 'manager'),
  },
  {
    name: 'campaignSettings',
    query: `{ campaignSettings { autoApprove } }`,
    pick: pick('campaignSettings'),
    expect: only('hqAdmin', 'hqEditor', 'hqViewer', 'manager'),
  },
  {
    name: 'displayPlaylist (own display)',
    query: `query($d: ID!) { displayPlaylist(displayId: $d) { version } }`,
    vars: async () => ({ d: OWN_DISPLAY }),
    pick: pick('displayPlaylist'),
    expect: outcomes('ok', { partnerNoScope: 'FORBIDDEN' }),
  },
  {
    name: 'displayPlaylist (another store)',
    query: `query($d: ID!) { displayPlaylist(displayId: $d) { version } }`,
    vars: async () => ({ d: OTHER_DISPLAY }),
    pick: pick('displayPlaylist'),
    expect: outcomes('ok', {
      partnerNoScope: 'FORBIDDEN',
      manager: 'NOT_FOUND',
      staff: 'NOT_FOUND',
      device: 'FORBIDDEN',
    }),
  },
  {
    name: 'explainPlaylist',
    query: `query($d: ID!, $c: ID!) { explainPlaylist(displayId: $d, campaignId: $c) { eligible } }`,
    vars: async () => ({ d: OWN_DISPLAY, c: demoCampaignId(3) }),
    pick: pick('explainPlaylist'),
    expect: only('hqAdmin', 'hqEditor', 'hqViewer'),
  },
  {
    name: 'playlistPreview (own store)',
    query: `query($d: ID!) { playlistPreview(displayId: $d, from: "2026-01-14T00:00:00Z", to: "2026-01-15T00:00:00Z") { version } }`,
    vars: async () => ({ d: OWN_DISPLAY }),
    pick: pickList('playlistPreview'),
    expect: only('hqAdmin', 'hqEditor', 'hqViewer', 'manager', 'staff'),
  },
  {
    name: 'playlistPreview (another store)',
    query: `query($d: ID!) { playlistPreview(displayId: $d, from: "2026-01-14T00:00:00Z", to: "2026-01-15T00:00:00Z") { version } }`,
    vars: async () => ({ d: OTHER_DISPLAY }),
    pick: pickList('playlistPreview'),
    expect: { ...only('hqAdmin', 'hqEditor', 'hqViewer'), manager: 'NOT_FOUND', staff: 'NOT_FOUND' },
  },
  {
    name: 'displayOverrides (one in store 1, one in store 2)',
    query: `query($s: ID) { displayOverrides(storeId: $s) { id } }`,
    vars: async (h, a) => {
      await override(h, a, demoDisplayId(2, 2));
      await override(h, a, demoDisplayId(1, 2));
      return { s: STORE_2 };
    },
    pick: pickList('displayOverrides'),
    expect: { ...only('hqAdmin', 'hqEditor', 'hqViewer', 'manager', 'staff'), manager: 'none', staff: 'none' },
  },
  {
    name: 'createCampaign (tenant-wide)',
    query: `mutation { createCampaign(input: { name: "N" }) { id } }`,
    pick: pick('createCampaign'),
    expect: only('hqAdmin', 'hqEditor'),
  },
  {
    name: 'createCampaign (store-local, own store)',
    query: `mutation($s: ID!) { createCampaign(input: { name: "N", storeId: $s }) { id } }`,
    vars: async () => ({ s: STORE_1 }),
    pick: pick('createCampaign'),
    expect: only('hqAdmin', 'hqEditor', 'manager'),
  },
  {
    name: 'createCampaign (store-local, another store)',
    query: `mutation($s: ID!) { createCampaign(input: { name: "N", storeId: $s }) { id } }`,
    vars: async () => ({ s: STORE_2 }),
    pick: pick('createCampaign'),
    expect: only('hqAdmin', 'hqEditor'),
  },
  {
    name: 'updateCampaign (tenant-wide)',
    query: `mutation($id: ID!) { updateCampaign(input: { id: $id, name: "Renamed" }) { id } }`,
    vars: async (h, a) => ({ id: await draft(h, a) }),
    pick: pick('updateCampaign'),
    expect: only('hqAdmin', 'hqEditor'),
  },
  {
    name: 'updateCampaign (store-local, own store)',
    query: `mutation($id: ID!) { updateCampaign(input: { id: $id, name: "Renamed" }) { id } }`,
    vars: async (h, a) => ({ id: await draft(h, a, { storeId: STORE_1 }) }),
    pick: pick('updateCampaign'),
    expect: only('hqAdmin', 'hqEditor', 'manager'),
  },
  { name: 'submitCampaign', ...workflow('submitCampaign', 'DRAFT'), expect: only('hqAdmin', 'hqEditor') },
  {
    name: 'submitCampaign (store-local, own store)',
    ...workflow('submitCampaign', 'DRAFT', '', { storeId: STORE_1 }),
    expect: only('hqAdmin', 'hqEditor', 'manager'),
  },
  { name: 'approveCampaign', ...workflow('approveCampaign', 'IN_REVIEW'), expect: only('hqAdmin') },
  { name: 'rejectCampaign', ...workflow('rejectCampaign', 'IN_REVIEW', ', reason: "no"'), expect: only('hqAdmin') },
  { name: 'publishCampaign', ...workflow('publishCampaign', 'APPROVED'), expect: only('hqAdmin', 'hqEditor') },
  { name: 'pauseCampaign', ...workflow('pauseCampaign', 'LIVE'), expect: only('hqAdmin', 'hqEditor') },
  { name: 'resumeCampaign', ...workflow('resumeCampaign', 'PAUSED'), expect: only('hqAdmin', 'hqEditor') },
  { name: 'endCampaign', ...workflow('endCampaign', 'LIVE'), expect: only('hqAdmin', 'hqEditor') },
  { name: 'archiveCampaign', ...workflow('archiveCampaign', 'DRAFT'), expect: only('hqAdmin', 'hqEditor') },
  { name: 'approveCampaignRevision', ...revisionStep('approveCampaignRevision'), expect: only('hqAdmin') },
  {
    name: 'rejectCampaignRevision',
    ...revisionStep('rejectCampaignRevision', ', reason: "no"'),
    expect: only('hqAdmin'),
  },
  {
    name: 'withdrawCampaignRevision',
    ...revisionStep('withdrawCampaignRevision'),
    expect: only('hqAdmin', 'hqEditor'),
  },
  {
    name: 'pauseCampaignForStore (own store)',
    query: `mutation($c: ID!, $s: ID!) { pauseCampaignForStore(campaignId: $c, storeId: $s) { id } }`,
    vars: async (h, a) => ({ c: await inStatus(h, a, 'LIVE'), s: STORE_1 }),
    pick: pick('pauseCampaignForStore'),
    expect: only('hqAdmin', 'hqEditor', 'manager'),
  },
  {
    name: 'pauseCampaignForStore (another store)',
    query: `mutation($c: ID!, $s: ID!) { pauseCampaignForStore(campaignId: $c, storeId: $s) { id } }`,
    vars: async (h, a) => ({ c: await inStatus(h, a, 'LIVE'), s: STORE_2 }),
    pick: pick('pauseCampaignForStore'),
    expect: only('hqAdmin', 'hqEditor'),
  },
  {
    name: 'resumeCampaignForStore (own store)',
    query: `mutation($c: ID!, $s: ID!) { resumeCampaignForStore(campaignId: $c, storeId: $s) { id } }`,
    vars: async (h, a) => {
      const c = await inStatus(h, a, 'LIVE');
      await h.gql(
        `mutation($c: ID!, $s: ID!) { pauseCampaignForStore(campaignId: $c, storeId: $s) { id } }`,
        { c, s: STORE_1 },
        a,
      );
      return { c, s: STORE_1 };
    },
    pick: pick('resumeCampaignForStore'),
    expect: only('hqAdmin', 'hqEditor', 'manager'),
  },
  {
    name: 'setCampaignSettings',
    query: `mutation { setCampaignSettings(input: { autoApproveStoreLocal: true }) { autoApproveStoreLocal } }`,
    pick: pick('setCampaignSettings'),
    expect: only('hqAdmin'),
  },
  {
    name: 'setDisplayOverride (own store)',
    query: `mutation($i: SetDisplayOverrideInput!) { setDisplayOverride(input: $i) { id } }`,
    vars: async () => overrideInput(demoDisplayId(1, 2)),
    pick: pick('setDisplayOverride'),
    expect: only('hqAdmin', 'hqEditor', 'manager'),
  },
  {
    name: 'setDisplayOverride (another store)',
    query: `mutation($i: SetDisplayOverrideInput!) { setDisplayOverride(input: $i) { id } }`,
    vars: async () => overrideInput(demoDisplayId(2, 2)),
    pick: pick('setDisplayOverride'),
    expect: { ...only('hqAdmin', 'hqEditor'), manager: 'NOT_FOUND' },
  },
  {
    name: 'clearDisplayOverride (own store)',
    query: `mutation($id: ID!) { clearDisplayOverride(id: $id) { id } }`,
    vars: async (h, a) => ({ id: await override(h, a, demoDisplayId(1, 2)) }),
    pick: pick('clearDisplayOverride'),
    expect: only('hqAdmin', 'hqEditor', 'manager'),
  },
  {
    name: 'clearDisplayOverride (another store)',
    query: `mutation($id: ID!) { clearDisplayOverride(id: $id) { id } }`,
    vars: async (h, a) => ({ id: await override(h, a, demoDisplayId(2, 2)) }),
    pick: pick('clearDisplayOverride'),
    expect: { ...only('hqAdmin', 'hqEditor'), manager: 'NOT_FOUND' },
  },
  // Takeovers: decided as overrides and store pauses are (store managers their stores, HQ admins and editors);
  // store staff and HQ viewers see them and their history.
  {
    name: 'storeTakeovers (own store)',
    query: `query($s: ID!) { storeTakeovers(storeId: $s, includeEnded: true) { id createdBy } }`,
    vars: async (h, a) => {
      await activeTakeover(h, a, STORE_1);
      return { s: STORE_1 };
    },
    pick: pickList('storeTakeovers'),
    expect: only('hqAdmin', 'hqEditor', 'hqViewer', 'manager', 'staff'),
  },
  {
    name: 'storeTakeovers (another store)',
    query: `query($s: ID!) { storeTakeovers(storeId: $s) { id } }`,
    vars: async (h, a) => {
      await activeTakeover(h, a, STORE_2);
      return { s: STORE_2 };
    },
    pick: pickList('storeTakeovers'),
    expect: { ...only('hqAdmin', 'hqEditor', 'hqViewer'), manager: 'NOT_FOUND', staff: 'NOT_FOUND' },
  },
  {
    name: 'startStoreTakeover (own store)',
    query: START_TAKEOVER,
    vars: (h, a) => noTakeover(h, a, STORE_1),
    pick: pick('startStoreTakeover'),
    expect: only('hqAdmin', 'hqEditor', 'manager'),
  },
  {
    name: 'startStoreTakeover (another store)',
    query: START_TAKEOVER,
    vars: (h, a) => noTakeover(h, a, STORE_2),
    pick: pick('startStoreTakeover'),
    expect: { ...only('hqAdmin', 'hqEditor'), manager: 'NOT_FOUND' },
  },
  {
    name: 'liftStoreTakeover (own store)',
    query: `mutation($id: ID!) { liftStoreTakeover(id: $id) { id } }`,
    vars: async (h, a) => ({ id: await activeTakeover(h, a, STORE_1) }),
    pick: pick('liftStoreTakeover'),
    expect: only('hqAdmin', 'hqEditor', 'manager'),
  },
  {
    name: 'liftStoreTakeover (another store)',
    query: `mutation($id: ID!) { liftStoreTakeover(id: $id) { id } }`,
    vars: async (h, a) => ({ id: await activeTakeover(h, a, STORE_2) }),
    pick: pick('liftStoreTakeover'),
    expect: { ...only('hqAdmin', 'hqEditor'), manager: 'NOT_FOUND' },
  },
];

function outcomeOf(res: GraphQLResponse, select: Operation['pick']): string {
  const code = res.errors?.[0]?.extensions?.code;
  if (code) return code;
  const value = res.data ? select(res.data) : null;
  return value === null || value === undefined || value === 0 ? 'none' : 'ok';
}

describe(CampaignScope.name, () => {
  let h: CampaignHarness;
  const tokens = {} as Record<Who, string | undefined>;

  beforeAll(async () => {
    h = await startCampaign();
    for (const who of WHO) tokens[who] = who === 'anonymous' ? undefined : await h.issuer.token(CLAIMS[who]);
  });
  afterAll(() => h?.stop());

  const cases = OPERATIONS.flatMap((op) => WHO.map((who) => [op.name, who, op.expect[who], op] as const));
  it.each(cases)('%s as %s → %s', async (_name, who, expected, op) => {
    const vars = op.vars ? await op.vars(h, tokens.hqAdmin!) : {};
    const res = await h.gql(op.query, vars, tokens[who]);
    expect(outcomeOf(res, op.pick), JSON.stringify(res.errors ?? res.data)).toBe(expected);
  });

  describe('a partner token carrying campaign:write (not grantable: partners write no campaigns)', () => {
    let writer: string;
    beforeAll(async () => {
      writer = await h.issuer.token({
        tid: DEMO_TENANT_ID,
        roles: [Role.PARTNER],
        scope: 'campaign:read campaign:write',
      });
    });

    it.each([
      ['createCampaign', `mutation { createCampaign(input: { name: "N" }) { id } }`, {}],
      [
        'updateCampaign',
        `mutation($id: ID!) { updateCampaign(input: { id: $id, name: "x" }) { id } }`,
        { id: demoCampaignId(1) },
      ],
      ['archiveCreative', `mutation($id: ID!) { archiveCreative(id: $id) { id } }`, { id: demoCreatives[1] }],
      [
        'createAemCreative',
        `mutation { createAemCreative(input: { name: "A", aemPath: "/content/a", durationMs: 5000 }) { id } }`,
        {},
      ],
    ])('is refused %s with FORBIDDEN', async (_name, query, vars) => {
      const res = await h.gql(query, vars, writer);
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('still reads with campaign:read', async () => {
      const res = await h.gql<{ campaign: { id: string } }>(
        `query($id: ID!) { campaign(id: $id) { id } }`,
        { id: demoCampaignId(1) },
        writer,
      );
      expect(res.data?.campaign).toEqual({ id: demoCampaignId(1) });
    });
  });

  describe('another tenant', () => {
    let otherAdmin: string;
    let otherDevice: string;

    beforeAll(async () => {
      otherAdmin = await h.issuer.token({ tid: OTHER_TENANT, roles: [Role.HQ_ADMIN] });
      otherDevice = await h.issuer.token({ tid: OTHER_TENANT, roles: [Role.DEVICE], did: OWN_DISPLAY });
    });

    it('sees none of the demo tenant’s campaigns, displays, overrides or counts', async () => {
      const res = await h.gql<{
        campaign: unknown;
        campaigns: { totalCount: number };
        displayOverrides: unknown[];
        campaignReach: number;
      }>(
        `query($id: ID!) { campaign(id: $id) { id } campaigns { totalCount } displayOverrides { id } campaignReach(targeting: {}) }`,
        { id: demoCampaignId(1) },
        otherAdmin,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        campaign: null,
        campaigns: { totalCount: 0 },
        displayOverrides: [],
        campaignReach: 0,
      });
    });

    it.each([
      ['displayPlaylist', `query($d: ID!) { displayPlaylist(displayId: $d) { version } }`, { d: OWN_DISPLAY }],
      [
        'explainPlaylist',
        `query($d: ID!, $c: ID!) { explainPlaylist(displayId: $d, campaignId: $c) { eligible } }`,
        { d: OWN_DISPLAY, c: demoCampaignId(1) },
      ],
      ['pauseCampaign', `mutation($id: ID!) { pauseCampaign(id: $id) { id } }`, { id: demoCampaignId(1) }],
      [
        'updateCampaign',
        `mutation($id: ID!) { updateCampaign(input: { id: $id, name: "x" }) { id } }`,
        { id: demoCampaignId(1) },
      ],
      [
        'pauseCampaignForStore',
        `mutation($c: ID!, $s: ID!) { pauseCampaignForStore(campaignId: $c, storeId: $s) { id } }`,
        { c: demoCampaignId(1), s: STORE_1 },
      ],
      [
        'setDisplayOverride',
        `mutation($i: SetDisplayOverrideInput!) { setDisplayOverride(input: $i) { id } }`,
        overrideInput(OWN_DISPLAY),
      ],
      [
        'clearDisplayOverride',
        `mutation($id: ID!) { clearDisplayOverride(id: $id) { id } }`,
        async () => ({ id: await override(h, tokens.hqAdmin!, demoDisplayId(3, 1)) }),
      ],
      ['archiveCreative', `mutation($id: ID!) { archiveCreative(id: $id) { id } }`, { id: demoCreatives[1] }],
      ['startStoreTakeover', START_TAKEOVER, { s: STORE_1 }],
      [
        'liftStoreTakeover',
        `mutation($id: ID!) { liftStoreTakeover(id: $id) { id } }`,
        async () => ({ id: await activeTakeover(h, tokens.hqAdmin!, demoStoreId(3)) }),
      ],
      ['storeTakeovers', `query($s: ID!) { storeTakeovers(storeId: $s) { id } }`, { s: STORE_1 }],
      [
        'removeCreativeVariant',
        `mutation($id: ID!) { removeCreativeVariant(creativeId: $id, locale: "en") { id } }`,
        { id: demoCreatives[1] },
      ],
    ])('gets NOT_FOUND from %s on the demo tenant’s rows', async (_name, query, vars) => {
      const variables = typeof vars === 'function' ? await vars() : vars;
      const res = await h.gql(query, variables, otherAdmin);
      expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });

    it('cannot use a demo creative in its own campaign', async () => {
      const res = await createCampaign(h, otherAdmin, { creativeIds: [demoCreatives[0]] });
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('does not let a device of another tenant read a demo display bearing its id', async () => {
      const res = await h.gql(
        `query($d: ID!) { displayPlaylist(displayId: $d) { version } }`,
        { d: OWN_DISPLAY },
        otherDevice,
      );
      expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });
  });
});
