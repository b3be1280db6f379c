import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DISPLAY_1,
  heartbeat,
  OTHER_DISPLAY,
  OTHER_STORE,
  OTHER_TENANT,
  play,
  STORE_1,
  STORE_2,
  startPlayback,
  T0,
  type PlaybackHarness,
  type Who,
} from './testing/harness.js';
import { PlaybackScope } from './scope.js';

type Caller = Who | 'anonymous';
const CALLERS: Caller[] = [
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
type Outcome = 'ok' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'NOT_FOUND';

interface Operation {
  name: string;
  query: string;
  vars?: (h: PlaybackHarness) => Promise<Record<string, unknown>>;
  expect: Record<Caller, Outcome>;
}

const rule = (ok: Caller[], otherwise: Outcome = 'FORBIDDEN'): Record<Caller, Outcome> =>
  Object.fromEntries(
    CALLERS.map((c) => [c, c === 'anonymous' ? 'UNAUTHENTICATED' : ok.includes(c) ? 'ok' : otherwise]),
  ) as Record<Caller, Outcome>;

const REPORT_FILTER = { from: '2030-03-01', to: '2030-03-31', groupBy: ['CAMPAIGN'] };

const OPERATIONS: Operation[] = [
  {
    name: 'recordPlayback',
    query: `mutation($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted } }`,
    vars: async () => ({ i: { plays: [play()] } }),
    expect: rule(['hqAdmin', 'device']),
  },
  {
    name: 'alerts',
    query: `{ alerts { totalCount } }`,
    expect: rule(['hqAdmin', 'hqEditor', 'hqViewer', 'manager', 'staff', 'partner']),
  },
  {
    name: 'displayHealth',
    query: `query($s: ID!) { displayHealth(storeId: $s) { id status } }`,
    vars: async () => ({ s: STORE_1 }),
    expect: rule(['hqAdmin', 'hqEditor', 'hqViewer', 'manager', 'staff', 'partner']),
  },
  {
    name: 'fleetDisplays',
    query: `{ fleetDisplays(first: 5, orderBy: { field: STATUS }) { totalCount edges { node { id status } } } }`,
    expect: rule(['hqAdmin', 'hqEditor', 'hqViewer', 'manager', 'staff', 'partner']),
  },
  {
    name: 'acknowledgeAlert',
    query: `mutation($id: ID!) { acknowledgeAlert(id: $id) { id } }`,
    vars: async (h) => {
      const r = await h.db.query(
        `INSERT INTO playback.alert (tenant_id, store_id, display_id, kind, state, message, raised_at)
         VALUES ('00000000-0000-4000-8000-00000000d3e0', $1, gen_random_uuid(), 'OFFLINE', 'RAISED', 'test', now()) RETURNING id`,
        [STORE_1],
      );
      return { id: (r.rows[0] as { id: string }).id };
    },
    expect: { ...rule(['hqAdmin', 'hqEditor', 'manager', 'staff']), device: 'FORBIDDEN' },
  },
  {
    name: 'playbackReport',
    query: `query($f: PlaybackReportFilter!) { playbackReport(filter: $f) { totals { plays } } }`,
    vars: async () => ({ f: REPORT_FILTER }),
    expect: rule(['hqAdmin', 'hqEditor', 'hqViewer', 'manager', 'partner']),
  },
  {
    name: 'playbackReportCsv',
    query: `query($f: PlaybackReportFilter!) { playbackReportCsv(filter: $f) }`,
    vars: async () => ({ f: REPORT_FILTER }),
    expect: rule(['hqAdmin', 'hqEditor', 'hqViewer', 'manager', 'partner']),
  },
  {
    name: 'notificationSettings',
    query: `{ notificationSettings { emails phones } }`,
    expect: rule(['hqAdmin']),
  },
  {
    name: 'setNotificationSettings',
    query: `mutation { setNotificationSettings(input: { emails: ["a@example.com"], phones: [] }) { emails } }`,
    expect: rule(['hqAdmin']),
  },
  {
    name: 'sentMessages',
    query: `{ sentMessages { totalCount } }`,
    expect: rule(['hqAdmin', 'hqEditor', 'hqViewer']),
  },
  {
    name: 'playbackWebhookEndpoints',
    query: `{ playbackWebhookEndpoints { id } }`,
    // The kit's webhook rule: HQ admins, store managers (their stores), partners with playback:read.
    expect: rule(['hqAdmin', 'manager', 'partner']),
  },
  {
    name: 'createPlaybackWebhookEndpoint',
    query: `mutation($i: CreatePlaybackWebhookEndpointInput!) { createPlaybackWebhookEndpoint(input: $i) { secret } }`,
    // Public https names only (no PLAYBACK_WEBHOOK_ALLOW_PRIVATE here); a manager's endpoint is for their store.
    vars: async () => ({ i: { url: 'https://93.184.215.14/hooks', events: ['DISPLAY_OFFLINE'], storeId: STORE_1 } }),
    expect: rule(['hqAdmin', 'manager', 'partner']),
  },
  {
    name: 'sendDisplayCommand(RELOAD)',
    query: `mutation($d: ID!) { sendDisplayCommand(displayId: $d, kind: RELOAD) { id } }`,
    vars: async () => ({ d: DISPLAY_1 }),
    // Changes what the screen does: HQ admins and editors, the store's manager.
    expect: rule(['hqAdmin', 'hqEditor', 'manager']),
  },
  {
    name: 'sendDisplayCommand(IDENTIFY)',
    query: `mutation($d: ID!) { sendDisplayCommand(displayId: $d, kind: IDENTIFY) { id } }`,
    vars: async () => ({ d: DISPLAY_1 }),
    expect: rule(['hqAdmin', 'hqEditor', 'manager', 'staff']),
  },
  {
    name: 'sendDisplayCommand(other tenant’s display)',
    query: `mutation($d: ID!) { sendDisplayCommand(displayId: $d, kind: IDENTIFY) { id } }`,
    vars: async () => ({ d: OTHER_DISPLAY }),
    expect: { ...rule([]), hqAdmin: 'NOT_FOUND', hqEditor: 'NOT_FOUND', manager: 'NOT_FOUND', staff: 'NOT_FOUND' },
  },
  {
    name: 'displayCommands',
    query: `query($d: ID!) { displayCommands(displayId: $d) { totalCount } }`,
    vars: async () => ({ d: DISPLAY_1 }),
    expect: rule(['hqAdmin', 'hqEditor', 'manager', 'staff']),
  },
  {
    name: 'answerDisplayCommand',
    query: `mutation($id: ID!) { answerDisplayCommand(id: $id, answer: {}) { state } }`,
    vars: async (h) => {
      const r = await h.db.query(
        `INSERT INTO playback.display_command (tenant_id, store_id, display_id, kind, state, issued_by, issued_at, expires_at)
         VALUES ($1, $2, $3, 'IDENTIFY', 'PENDING', 'test', $4, $5) RETURNING id`,
        [DEMO_TENANT_ID, STORE_1, DISPLAY_1, new Date(h.clock.now()), new Date(h.clock.now() + 60_000)],
      );
      return { id: (r.rows[0] as { id: string }).id };
    },
    // The display only; anybody else's answer is to a command they cannot see.
    expect: rule(['device']),
  },
  {
    name: '_entities(Display)',
    query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Display { id status } } }`,
    vars: async () => ({ r: [{ __typename: 'Display', id: DISPLAY_1 }] }),
    // Out of scope reads as UNKNOWN (location already decided whether the display is visible).
    expect: { ...rule(['hqAdmin', 'hqEditor', 'hqViewer', 'manager', 'staff', 'partner', 'device']) },
  },
];

describe(PlaybackScope.name, () => {
  let h: PlaybackHarness;
  beforeAll(async () => {
    h = await startPlayback();
  });
  afterAll(async () => h?.stop());

  const cases = OPERATIONS.flatMap((op) => CALLERS.map((who) => [op.name, who, op.expect[who], op] as const));
  it.each(cases)('%s as %s → %s', async (_name, who, outcome, op) => {
    const vars = op.vars ? await op.vars(h) : {};
    const res = await h.gql(op.query, vars, who === 'anonymous' ? undefined : await h.token(who));
    if (outcome === 'ok') {
      expect(res.errors).toBeUndefined();
      expect(res.data).toBeTruthy();
    } else {
      expect(res.errors?.[0]?.extensions?.code).toBe(outcome);
    }
  });

  describe('acknowledging an alert it cannot see', () => {
    const raise = async (tenantId: string, storeId: string) =>
      (
        (
          await h.db.query(
            `INSERT INTO playback.alert (tenant_id, store_id, display_id, kind, state, message, raised_at)
             VALUES ($1, $2, gen_random_uuid(), 'OFFLINE', 'RAISED', 'test', now()) RETURNING id`,
            [tenantId, storeId],
          )
        ).rows[0] as { id: string }
      ).id;
    const stateOf = async (id: string) =>
      ((await h.db.query(`SELECT state FROM playback.alert WHERE id = $1`, [id])).rows[0] as { state: string }).state;

    it.each([
      ['hqAdmin', OTHER_TENANT, OTHER_STORE, 'another tenant'],
      ['manager', DEMO_TENANT_ID, STORE_2, 'another store'],
      ['staff', DEMO_TENANT_ID, STORE_2, 'another store'],
    ] as const)(
      'is NOT_FOUND to %s for an alert of %s (%s) and changes nothing',
      async (who, tenantId, storeId, _what) => {
        const id = await raise(tenantId, storeId);
        const res = await h.gql(`mutation($id: ID!) { acknowledgeAlert(id: $id) { id } }`, { id }, await h.token(who));
        expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
        expect(await stateOf(id)).toBe('RAISED');
      },
    );
  });

  describe('a display moved to another store', () => {
    const MOVED = '00000000-0000-4000-8000-000000000d31';
    const storeOf = async () =>
      (
        (await h.db.query(`SELECT store_id FROM playback.known_display WHERE id = $1`, [MOVED])).rows[0] as
          { store_id: string } | undefined
      )?.store_id;

    it('is seen by its device in the store playback records it in, not the one its token still names', async () => {
      await h.publishDisplay(MOVED, DEMO_TENANT_ID, STORE_1);
      await waitFor(async () => (await storeOf()) === STORE_1, { message: 'the display in store 1' });
      const device = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.DEVICE], did: MOVED, stores: [STORE_1] });
      const recorded = await h.gql(
        `mutation($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted } }`,
        { i: { heartbeats: [heartbeat(T0 - 1_000, { displayId: MOVED })] } },
        device,
      );
      expect(recorded.errors).toBeUndefined();
      await waitFor(
        async () =>
          (await h.db.query(`SELECT 1 FROM playback.display_state WHERE display_id = $1`, [MOVED])).rows.length,
        { message: 'the heartbeat written' },
      );
      const health = async () =>
        (
          await h.gql<{ _entities: { id: string; lastSeenAt: string | null }[] }>(
            `query($r: [_Any!]!) { _entities(representations: $r) { ... on Display { id lastSeenAt } } }`,
            { r: [{ __typename: 'Display', id: MOVED }] },
            device,
          )
        ).data?._entities[0]?.lastSeenAt;
      expect(await health()).toBeTruthy();

      await h.publishDisplay(MOVED, DEMO_TENANT_ID, STORE_2);
      await waitFor(async () => (await storeOf()) === STORE_2, { message: 'the display in store 2' });
      // Its health moved with it; a device trusting its token (store 1) would now read it as unknown.
      expect(await health()).toBeTruthy();
      const stale = await h.db.query(
        `SELECT count(*)::int AS n FROM playback.display_state WHERE display_id = $1 AND store_id = $2`,
        [MOVED, STORE_1],
      );
      expect((stale.rows[0] as { n: number }).n).toBe(0);
    });
  });
});
