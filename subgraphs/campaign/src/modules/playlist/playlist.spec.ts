import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCampaignId, demoDisplayId, demoStoreId } from '../../demo/demo-data.js';
import { act, demoCreatives, liveCampaign, playlistOf } from '../../testing/campaigns.js';
import { ALL_DEMO_DISPLAYS } from '../../testing/fleet.js';
import { startCampaign, type CampaignHarness } from '../../testing/harness.js';
import { PlaylistResolver } from './playlist.resolver.js';

// Index of the demo store (0-5) and whether the display is one of its two window screens.
const storeOf = (displayId: string) => ALL_DEMO_DISPLAYS.indexOf(displayId) >> 2;
const isWindow = (displayId: string) => ALL_DEMO_DISPLAYS.indexOf(displayId) % 4 < 2;

describe(PlaylistResolver.name, () => {
  let h: CampaignHarness;
  let admin: string;
  let manager: string;

  beforeAll(async () => {
    h = await startCampaign();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
    manager = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.STORE_MANAGER], stores: [demoStoreId(1)] });
  });
  afterAll(() => h?.stop());

  async function everyPlaylist() {
    return Promise.all(ALL_DEMO_DISPLAYS.map((d) => playlistOf(h, admin, d)));
  }

  it('gives every demo display something to play on first start', async () => {
    const res = await h.gql<{ displayPlaylist: { display: { id: string }; items: Record<string, unknown>[] } }>(
      `query($d: ID!) { displayPlaylist(displayId: $d) { display { id } items { url checksum durationMs mimeType } } }`,
      { d: demoDisplayId(6, 4) },
      admin,
    );
    expect(res.data!.displayPlaylist.display).toEqual({ id: demoDisplayId(6, 4) });
    for (const playlist of await everyPlaylist()) {
      expect(playlist.items.length, playlist.displayId).toBeGreaterThan(0);
    }
    for (const item of res.data!.displayPlaylist.items) {
      expect(item).toMatchObject({ url: expect.stringMatching(/^http/), mimeType: 'image/png' });
      expect(item.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('plays the window showcase alone on window displays and the store-local campaign only in its store', async () => {
    const window = await playlistOf(h, admin, demoDisplayId(2, 1));
    expect(new Set(window.items.map((i) => i.campaignId))).toEqual(new Set([demoCampaignId(3)]));
    expect((await playlistOf(h, admin, demoDisplayId(1, 4))).items.map((i) => i.campaignId)).toContain(
      demoCampaignId(5),
    );
    expect((await playlistOf(h, admin, demoDisplayId(2, 4))).items.map((i) => i.campaignId)).not.toContain(
      demoCampaignId(5),
    );
  });

  it('follows the breakfast daypart in each store’s own time', async () => {
    // 08:00 in London is 03:00 in New York: breakfast in one, not the other.
    const at = '2026-01-14T08:00:00Z';
    const london = await playlistOf(h, admin, demoDisplayId(1, 3), at);
    const newYork = await playlistOf(h, admin, demoDisplayId(4, 3), at);
    expect(london.items.map((i) => i.campaignId)).toContain(demoCampaignId(4));
    expect(newYork.items.map((i) => i.campaignId)).not.toContain(demoCampaignId(4));
    // The London playlist may change when breakfast ends at 11:00 local (UTC in January).
    expect(london.validUntil).toBe('2026-01-14T11:00:00.000Z');
  });

  it('puts a store-tag campaign on exactly the displays of matching stores once approved', async () => {
    const before = await everyPlaylist();
    // Priority above the window showcase, so it shows on every display of a mall store.
    const id = await liveCampaign(h, admin, {
      priority: 50,
      targeting: { include: [{ kind: 'STORE_TAG', value: 'Mall' }] },
    });
    try {
      const after = await everyPlaylist();
      after.forEach((playlist, i) => {
        const inMall = storeOf(playlist.displayId) === 1; // demo store 2 is the only mall
        expect(
          playlist.items.some((item) => item.campaignId === id),
          playlist.displayId,
        ).toBe(inMall);
        // Versions change exactly where the playlist did.
        expect(playlist.version !== before[i]!.version, playlist.displayId).toBe(inMall);
      });
    } finally {
      await act(h, admin, 'endCampaign', id);
    }
    const ended = await everyPlaylist();
    expect(ended.map((p) => p.version)).toEqual(before.map((p) => p.version));
  });

  it('counts the displays a targeting reaches, live while editing', async () => {
    const reach = async (targeting: unknown, storeId?: string, token = admin) =>
      (
        await h.gql<{ campaignReach: number }>(
          `query($t: TargetingInput!, $s: ID) { campaignReach(targeting: $t, storeId: $s) }`,
          { t: targeting, s: storeId },
          token,
        )
      ).data?.campaignReach;
    expect(await reach({})).toBe(24);
    expect(await reach({ include: [{ kind: 'STORE_TAG', value: 'flagship' }] })).toBe(8);
    expect(
      await reach({
        include: [
          { kind: 'STORE_TAG', value: 'flagship' },
          { kind: 'DISPLAY_TAG', value: 'window' },
        ],
      }),
    ).toBe(4);
    expect(await reach({ exclude: [{ kind: 'ORIENTATION', value: 'PORTRAIT' }] })).toBe(12);
    expect(await reach({}, demoStoreId(3))).toBe(4);
    // A store manager counts only their own store's displays.
    expect(await reach({}, undefined, manager)).toBe(4);
    const campaign = await h.gql<{ campaign: { matchingDisplayCount: number } }>(
      `query($id: ID!) { campaign(id: $id) { matchingDisplayCount } }`,
      { id: demoCampaignId(2) },
      admin,
    );
    expect(campaign.data!.campaign.matchingDisplayCount).toBe(8);
    // The displays themselves (the dashboard's fleet shows them): the flagship stores' (1 and 4), by id;
    // a store manager sees only their own store's.
    const flagship = [1, 4].flatMap((store) => [1, 2, 3, 4].map((n) => demoDisplayId(store, n))).sort();
    const matching = (token: string) =>
      h.gql<{ campaign: { matchingDisplays: { id: string }[] } }>(
        `query($id: ID!) { campaign(id: $id) { matchingDisplays { id } } }`,
        { id: demoCampaignId(2) },
        token,
      );
    expect((await matching(admin)).data!.campaign.matchingDisplays.map((d) => d.id)).toEqual(flagship);
    expect((await matching(manager)).data!.campaign.matchingDisplays.map((d) => d.id)).toEqual(
      flagship.filter((id) => [1, 2, 3, 4].some((n) => id === demoDisplayId(1, n))),
    );
  });

  it('takes a campaign off one store when its manager pauses it there', async () => {
    const pause = await h.gql(
      `mutation($c: ID!, $s: ID!) { pauseCampaignForStore(campaignId: $c, storeId: $s, reason: "refit") { pausedStoreIds } }`,
      { c: demoCampaignId(1), s: demoStoreId(1) },
      manager,
    );
    expect(pause.errors).toBeUndefined();
    try {
      for (const playlist of await everyPlaylist()) {
        const store = storeOf(playlist.displayId);
        const playsBrand = playlist.items.some((i) => i.campaignId === demoCampaignId(1));
        // Window displays show only the showcase anyway.
        expect(playsBrand, playlist.displayId).toBe(store !== 0 && !isWindow(playlist.displayId));
      }
      const other = await h.gql(
        `mutation($c: ID!, $s: ID!) { pauseCampaignForStore(campaignId: $c, storeId: $s) { id } }`,
        { c: demoCampaignId(1), s: demoStoreId(2) },
        manager,
      );
      expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      await h.gql(
        `mutation($c: ID!, $s: ID!) { resumeCampaignForStore(campaignId: $c, storeId: $s) { id } }`,
        { c: demoCampaignId(1), s: demoStoreId(1) },
        manager,
      );
    }
    const entrance = await playlistOf(h, admin, demoDisplayId(1, 3));
    expect(entrance.items.some((i) => i.campaignId === demoCampaignId(1))).toBe(true);
  });

  it('lets an override replace the playlist until it expires', async () => {
    const display = demoDisplayId(1, 3);
    const now = Date.now();
    const until = new Date(now + 3600_000).toISOString();
    const set = await h.gql<{ setDisplayOverride: { id: string; active: boolean } }>(
      `mutation($i: SetDisplayOverrideInput!) { setDisplayOverride(input: $i) { id active } }`,
      { i: { displayId: display, creativeId: demoCreatives[5], until, reason: 'fire drill' } },
      manager,
    );
    expect(set.errors).toBeUndefined();
    expect(set.data!.setDisplayOverride.active).toBe(true);
    const overrideId = set.data!.setDisplayOverride.id;
    try {
      const now1 = await playlistOf(h, admin, display);
      expect(now1.items).toEqual([expect.objectContaining({ overrideId, creativeId: demoCreatives[5] })]);
      expect(now1.validUntil).toBe(until);
      // After it expires the campaigns are back.
      const later = await playlistOf(h, admin, display, new Date(now + 3601_000).toISOString());
      expect(later.items.every((i) => i.overrideId === null)).toBe(true);
      // Other displays are untouched.
      expect((await playlistOf(h, admin, demoDisplayId(1, 4))).items.every((i) => i.overrideId === null)).toBe(true);
      const listed = await h.gql<{ displayOverrides: { id: string }[] }>(`{ displayOverrides { id } }`, {}, admin);
      expect(listed.data!.displayOverrides.map((o) => o.id)).toContain(overrideId);
    } finally {
      const cleared = await h.gql(
        `mutation($id: ID!) { clearDisplayOverride(id: $id) { active clearedAt } }`,
        { id: overrideId },
        manager,
      );
      expect(cleared.errors).toBeUndefined();
    }
    expect((await playlistOf(h, admin, display)).items.every((i) => i.overrideId === null)).toBe(true);
  });

  it.each([
    ['an unknown display', { displayId: '7b0a8f7e-1111-4111-8111-111111111111' }, 'NOT_FOUND'],
    ['an unknown creative', { creativeId: '7b0a8f7e-1111-4111-8111-111111111111' }, 'NOT_FOUND'],
    ['an end in the past', { until: '2020-01-01T00:00:00Z' }, 'BAD_USER_INPUT'],
    ['an end before its start', { startsAt: '2099-01-02T00:00:00Z', until: '2099-01-01T00:00:00Z' }, 'BAD_USER_INPUT'],
    ['a week-long override', { until: new Date(Date.now() + 30 * 24 * 3600_000).toISOString() }, 'BAD_USER_INPUT'],
  ])('refuses an override with %s and changes nothing', async (_name, patch, code) => {
    const res = await h.gql(
      `mutation($i: SetDisplayOverrideInput!) { setDisplayOverride(input: $i) { id } }`,
      {
        i: {
          displayId: demoDisplayId(1, 3),
          creativeId: demoCreatives[5],
          until: new Date(Date.now() + 600_000).toISOString(),
          ...patch,
        },
      },
      admin,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe(code);
    const listed = await h.gql<{ displayOverrides: unknown[] }>(
      `{ displayOverrides(includeEnded: false) { id } }`,
      {},
      admin,
    );
    expect(listed.data!.displayOverrides).toEqual([]);
  });

  it('is NOT_FOUND for a display the projection does not know', async () => {
    const res = await h.gql(
      `query($d: ID!) { displayPlaylist(displayId: $d) { version } }`,
      { d: '7b0a8f7e-1111-4111-8111-111111111111' },
      admin,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('explains why a campaign is or is not on a display', async () => {
    const query = `query($d: ID!, $c: ID!, $at: DateTimeISO) {
      explainPlaylist(displayId: $d, campaignId: $c, at: $at) { eligible playing summary storeLocalTime checks { check pass message } }
    }`;
    const at = '2026-01-14T15:00:00Z';
    const off = await h.gql<{
      explainPlaylist: { eligible: boolean; playing: boolean; checks: { check: string; pass: boolean }[] };
    }>(query, { d: demoDisplayId(1, 3), c: demoCampaignId(4), at }, admin);
    expect(off.errors).toBeUndefined();
    expect(off.data!.explainPlaylist).toMatchObject({ eligible: false, playing: false });
    expect(off.data!.explainPlaylist.checks.find((c) => c.check === 'DAYPART')).toMatchObject({ pass: false });
    const notFlagship = await h.gql<{ explainPlaylist: { checks: { check: string; pass: boolean }[] } }>(
      query,
      { d: demoDisplayId(2, 3), c: demoCampaignId(2), at },
      admin,
    );
    expect(notFlagship.data!.explainPlaylist.checks.find((c) => c.check === 'TARGETING')).toMatchObject({
      pass: false,
    });
    const on = await h.gql<{ explainPlaylist: { playing: boolean } }>(
      query,
      { d: demoDisplayId(1, 3), c: demoCampaignId(1), at },
      admin,
    );
    expect(on.data!.explainPlaylist.playing).toBe(true);
  });

  it('previews the day of a display in segments cut at breakfast', async () => {
    const res = await h.gql<{
      playlistPreview: { from: string; to: string; version: string; items: { campaignId: string }[] }[];
    }>(
      `query($d: ID!) { playlistPreview(displayId: $d, from: "2026-01-14T00:00:00Z", to: "2026-01-15T00:00:00Z") {
        from to version items { campaignId } } }`,
      { d: demoDisplayId(1, 3) },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.playlistPreview.map((s) => [s.from, s.to])).toEqual([
      ['2026-01-14T00:00:00.000Z', '2026-01-14T07:00:00.000Z'],
      ['2026-01-14T07:00:00.000Z', '2026-01-14T11:00:00.000Z'],
      ['2026-01-14T11:00:00.000Z', '2026-01-15T00:00:00.000Z'],
    ]);
    const tooLong = await h.gql(
      `query($d: ID!) { playlistPreview(displayId: $d, from: "2026-01-01T00:00:00Z", to: "2026-06-01T00:00:00Z") { version } }`,
      { d: demoDisplayId(1, 3) },
      admin,
    );
    expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('reports resolutions, cache lookups and latency on /metrics without ids as labels', async () => {
    await playlistOf(h, admin, demoDisplayId(1, 3));
    const text = await (await fetch(h.service.url.replace(/\/graphql$/, '/metrics'))).text();
    for (const name of [
      'phub_campaign_playlist_resolutions_total',
      'phub_campaign_playlist_cache_lookups_total',
      'phub_campaign_playlist_resolution_duration_seconds_bucket',
      'phub_campaign_playlist_changes_published_total',
      'phub_campaign_projection_events_total',
    ]) {
      expect(text).toContain(name);
    }
    const ours = text.split('\n').filter((line) => line.startsWith('phub_campaign_'));
    expect(ours.filter((line) => /[0-9a-f]{8}-[0-9a-f]{4}-/.test(line))).toEqual([]);
  });
});
