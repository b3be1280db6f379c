/**
 * Fleet and preview as HQ reads them (issue 17, items 11 and 12), in Chromium against the real platform binary:
 * the demo displays were seen (their demo history), "Now playing" agrees with status, ids and playlist versions
 * wait behind a details disclosure, sorting is the server's across pages; the preview names campaigns and
 * creatives with pictures, tells time in the store's zone without ids or ISO strings, and draws the screen at a
 * chosen moment at the display's aspect ratio.
 */
import { graphql, launchChromium, login, PlatformProcess } from '@phub/e2e';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitForDemoHistory } from './demo.js';
import { ARTIFACTS, expectAccessible, screenshots } from './layout.js';

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const HASH = /\b[0-9a-f]{12,}\b/i;

interface FleetRow {
  id: string;
  name: string;
  status: string;
  lastSeenAt: string | null;
  nowPlaying: { playlistVersion: string | null } | null;
  store: { name: string; timezone: string };
}

describe('Fleet and preview, readable (web-hq) in Chromium', () => {
  let platform: PlatformProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let gateway: string;
  let origin: string;
  let token: string;

  /** The fleet as the API sorts it, all on one page. */
  const fleet = async (field: string, direction: string): Promise<FleetRow[]> => {
    const r = await graphql<{ fleetDisplays: { edges: { node: FleetRow }[] } }>(
      gateway,
      `
        query ($o: FleetDisplayOrder) {
          fleetDisplays(first: 100, orderBy: $o) {
            edges {
              node {
                id
                name
                status
                lastSeenAt
                nowPlaying {
                  playlistVersion
                }
                store {
                  name
                  timezone
                }
              }
            }
          }
        }
      `,
      { o: { field, direction } },
      token,
    );
    expect(r.errors).toBeUndefined();
    return r.data!.fleetDisplays.edges.map((e) => e.node);
  };
  const rowIds = (p: Page) =>
    p.locator('tr[data-display-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-display-id')!));

  beforeAll(async () => {
    [platform, browser] = await Promise.all([PlatformProcess.start('all'), launchChromium()]);
    gateway = platform.urls.gateway!;
    origin = new URL(gateway).origin;
    token = await login(gateway, 'hq@demo.test');
    await waitForDemoHistory(gateway, token);
    context = await browser.newContext({ viewport: DESK });
    context.setDefaultTimeout(30_000);
    page = await context.newPage();
    await page.goto(`${origin}/hq/`);
    await page.getByLabel('Email').fill('hq@demo.test');
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('user-email').filter({ hasText: 'hq@demo.test' }).waitFor();
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page
        ?.screenshot({ path: path.join(ARTIFACTS, `failed-fleet-preview.png`), fullPage: true })
        .catch(() => undefined);
    }
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
  }, 60_000);

  it('the fleet shows every demo display seen, what it last played in words, and ids only in its details', async () => {
    await page.goto(`${origin}/hq/fleet?per=25&sort=name&dir=asc`);
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('tr[data-display-id]').length === 24);

    // Seen: a time in every "Last seen" cell, never "Never".
    const lastSeen = await page.locator('tr[data-display-id] td[data-col="lastSeen"]').allInnerTexts();
    expect(lastSeen).toHaveLength(24);
    expect(lastSeen.filter((t) => /Never/.test(t))).toEqual([]);

    // "Now playing" agrees with status: an offline display only last played something, an online one plays it.
    const rows = await page.locator('tr[data-display-id]').evaluateAll((trs) =>
      trs.map((tr) => ({
        status: tr.getAttribute('data-status'),
        playing: !!tr.querySelector('td[data-col="nowPlaying"] [data-now="playing"]'),
        last: tr.querySelector('td[data-col="nowPlaying"] [data-now="last"]')?.textContent ?? null,
      })),
    );
    for (const r of rows) {
      if (r.status === 'OFFLINE' || r.status === 'UNKNOWN') expect(r.playing).toBe(false);
      if (r.status === 'ONLINE') expect(r.last).toBeNull();
    }
    const lastPlayed = rows.filter((r) => r.last).map((r) => r.last!);
    expect(lastPlayed.length).toBeGreaterThan(0);
    for (const text of lastPlayed) expect(text).toMatch(/^Last played .+, .+\d{1,2}:\d{2}/);

    // No id, version hash or ISO instant is visible until a row's details open.
    const visible = await page.locator('main').innerText();
    expect(visible).not.toMatch(UUID);
    expect(visible).not.toMatch(HASH);
    expect(visible).not.toMatch(ISO);
    const api = await fleet('NAME', 'ASC');
    const first = api.find((d) => d.nowPlaying?.playlistVersion)!;
    const row = page.locator(`tr[data-display-id="${first.id}"]`);
    const details = row.locator('details.fleet-details');
    expect(await details.getByText(first.nowPlaying!.playlistVersion!).isVisible()).toBe(false);
    await details.locator('summary').click();
    await details.getByText(first.nowPlaying!.playlistVersion!).waitFor();
    expect(await details.getByText(first.id).isVisible()).toBe(true);
    await details.locator('summary').click();

    await expectAccessible(page, 'the fleet');
    await screenshots(page, 'fleet-readable', [DESK, PHONE]);
  }, 120_000);

  it('sorting by a column asks the server, and the next pages continue its order', async () => {
    await page.goto(`${origin}/hq/fleet?per=10&sort=name&dir=asc`);
    await page.waitForFunction(() => document.querySelectorAll('tr[data-display-id]').length === 10);
    const byName = await fleet('NAME', 'ASC');
    expect(await rowIds(page)).toEqual(byName.slice(0, 10).map((d) => d.id));

    // Last seen, newest first: page by page, the whole fleet in the server's order (not a page re-sorted).
    const header = page.getByRole('button', { name: /^Last seen/ });
    await header.click();
    await page.waitForURL(/sort=lastSeen&dir=desc/);
    const byLastSeen = (await fleet('LAST_SEEN', 'DESC')).map((d) => d.id);
    expect(byLastSeen.slice(0, 10)).not.toEqual(byName.slice(0, 10).map((d) => d.id));
    const walked: string[] = [];
    for (let p = 0; p < 3; p++) {
      const expected = byLastSeen.slice(p * 10, p * 10 + 10);
      await page.waitForFunction(
        (ids) =>
          JSON.stringify(
            [...document.querySelectorAll('tr[data-display-id]')].map((r) => r.getAttribute('data-display-id')),
          ) === JSON.stringify(ids),
        expected,
      );
      walked.push(...(await rowIds(page)));
      expect(await page.getByRole('columnheader', { name: /Last seen/ }).getAttribute('aria-sort')).toBe('descending');
      if (p < 2)
        await page.getByRole('navigation', { name: 'Display pages' }).getByRole('button', { name: /Next/ }).click();
    }
    expect(walked).toEqual(byLastSeen);
    // The times shown really go from newest to oldest across the pages.
    const seen = byLastSeen.map((id) =>
      Date.parse((byName.find((d) => d.id === id) ?? { lastSeenAt: '' }).lastSeenAt!),
    );
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);

    // Status, worst first: a new sort starts again at the first page.
    await page.getByRole('button', { name: /^Status/ }).click();
    await page.waitForURL(/sort=status&dir=asc/);
    const byStatus = (await fleet('STATUS', 'ASC')).map((d) => d.id).slice(0, 10);
    await page.waitForFunction(
      (ids) =>
        JSON.stringify(
          [...document.querySelectorAll('tr[data-display-id]')].map((r) => r.getAttribute('data-display-id')),
        ) === JSON.stringify(ids),
      byStatus,
    );
    expect(await page.getByRole('navigation', { name: 'Display pages' }).textContent()).toContain('1–10 of 24');
  }, 120_000);

  it('the preview names what plays, in the store’s time, and draws the screen at a chosen moment', async () => {
    // A New York display: its store's zone is not the browser's (UTC here).
    const ny = (await fleet('STORE', 'ASC')).find((d) => d.store.timezone === 'America/New_York')!;
    expect(ny).toBeTruthy();
    await page.goto(`${origin}/hq/preview?display=${ny.id}`);
    const timeline = page.getByRole('group', { name: 'What plays over the day' });
    await timeline.waitFor({ timeout: 20_000 });

    // The day and times in the store's zone, by name.
    const zone = (await page.getByTestId('preview-zone').textContent())!;
    expect(zone).toMatch(/New York time \((EST|EDT|GMT-[45])\)/);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date()); // YYYY-MM-DD

    // Campaign names on the timeline, and pictures of the creatives.
    const live = await graphql<{ campaigns: { edges: { node: { name: string } }[] } }>(
      gateway,
      '{ campaigns(first: 100, filter: { status: [LIVE] }) { edges { node { name } } } }',
      {},
      token,
    );
    const liveNames = live.data!.campaigns.edges.map((e) => e.node.name);
    // Each stretch's name (its words, or its label when too narrow to show them): times and campaigns.
    const labels = await timeline
      .getByRole('button')
      .evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label') ?? b.textContent!));
    expect(labels.some((l) => liveNames.some((n) => l.includes(n)))).toBe(true);
    for (const l of labels) expect(l).toMatch(/^\d{2}:\d{2}–\d{2}:\d{2}: /);
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('.timeline img.timeline-thumb')].some((i) => i.naturalWidth > 0),
    );

    // The screen at 10:15 New York time: the creative the loop shows then, as the API's day says.
    await page.getByLabel('Time (in the store’s time)').fill('10:15');
    const caption = page.getByTestId('preview-screen-caption');
    await caption.filter({ hasText: /^At 10:15/ }).waitFor();
    const from = zoned(day, '00:00', 'America/New_York');
    const instant = zoned(day, '10:15', 'America/New_York');
    const preview = await graphql<{
      playlistPreview: { from: string; to: string; items: { creativeId: string; durationMs: number }[] }[];
    }>(
      gateway,
      `
        query ($d: ID!, $f: DateTimeISO!, $t: DateTimeISO!) {
          playlistPreview(displayId: $d, from: $f, to: $t) {
            from
            to
            items {
              creativeId
              durationMs
            }
          }
        }
      `,
      { d: ny.id, f: new Date(from).toISOString(), t: new Date(from + 86_400_000).toISOString() },
      token,
    );
    const seg = preview.data!.playlistPreview.find((s) => Date.parse(s.from) <= instant && instant < Date.parse(s.to));
    if (seg?.items.length) {
      const loop = seg.items.reduce((n, i) => n + i.durationMs, 0);
      let into = (instant - Date.parse(seg.from)) % loop;
      const item = seg.items.find((i) => (into -= i.durationMs) < 0)!;
      const creative = await graphql<{ creative: { name: string } }>(
        gateway,
        'query ($id: ID!) { creative(id: $id) { name } }',
        { id: item.creativeId },
        token,
      );
      expect(await caption.textContent()).toContain(`shows ${creative.data!.creative.name}`);
      await page.waitForFunction(
        () => (document.querySelector<HTMLImageElement>('.preview-screen-frame img')?.naturalWidth ?? 0) > 0,
      );
    } else {
      expect(await caption.textContent()).toContain('has nothing scheduled');
    }
    // Drawn at the display's aspect ratio (inside the bezel).
    const res = await graphql<{ display: { resolution: { width: number; height: number } } }>(
      gateway,
      'query ($id: ID!) { display(id: $id) { resolution { width height } } }',
      { id: ny.id },
      token,
    );
    const { width, height } = res.data!.display.resolution;
    const box = await page.locator('.preview-screen-frame').evaluate((el) => ({
      w: el.clientWidth,
      h: el.clientHeight,
    }));
    expect(Math.abs(box.w / box.h - width / height)).toBeLessThan(0.03);

    // Nothing a marketer cannot read: no ids, versions or ISO instants.
    const visible = await page.locator('main').innerText();
    expect(visible).not.toMatch(UUID);
    expect(visible).not.toMatch(HASH);
    expect(visible).not.toMatch(ISO);
    // The loop's table names campaigns and creatives, with pictures.
    const table = page.getByRole('table', { name: 'Items played in a loop' });
    await table.waitFor();
    expect(await table.locator('tbody tr').first().innerText()).toMatch(/\w+/);

    await expectAccessible(page, 'the preview');
    // On a phone the fields stack, so the day shows whole (three abreast it was cut to half a date).
    await page.setViewportSize(PHONE);
    const dayField = page.getByLabel('Day', { exact: true });
    await page.waitForFunction(
      () => (document.querySelector<HTMLInputElement>('input[type="date"]')?.getBoundingClientRect().width ?? 0) >= 200,
    );
    expect((await dayField.boundingBox())!.width).toBeGreaterThanOrEqual(200);
    await screenshots(page, 'preview-readable', [DESK, PHONE]);
  }, 120_000);
});

/** The instant of a wall time in a zone (two passes around a DST change). */
function zoned(date: string, time: string, timeZone: string): number {
  const guess = Date.parse(`${date}T${time}:00Z`);
  const offset = (at: number) => {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).formatToParts(new Date(at));
    const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
    return (
      Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - Math.floor(at / 60_000) * 60_000
    );
  };
  const first = guess - offset(guess);
  return guess - offset(first);
}
