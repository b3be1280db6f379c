import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPLAY_1, play, STORE_1, startPlayback, type PlaybackHarness, type Who } from './testing/harness.js';
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
});
