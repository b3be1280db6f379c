import { graphql, launchChromium, login, PlatformProcess } from '@phub/e2e';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, expectAccessible, screenshots } from './layout.js';
import { pairPlayer, signIn } from './player.js';

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const DISPLAY = '00000000-0000-4000-8000-00000000d113'; // London Oxford Street, "Entrance wall" (LANDSCAPE)
const QUEUE_DISPLAY = '00000000-0000-4000-8000-00000000d114'; // London Oxford Street, "Queue screen" (LANDSCAPE)
const LONDON = '00000000-0000-4000-8000-0000000005a1';

/** What each region of the player's layout shows now. */
const regionsOnStage = (player: Page) =>
  player.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('#stage .layout > .region')].map((el) => {
      const item = el.querySelector<HTMLElement>('.item[data-creative-id]:not([style*="hidden"])');
      const box = el.getBoundingClientRect();
      return {
        name: el.dataset.region ?? '',
        kind: el.dataset.kind ?? '',
        campaignId: item?.dataset.campaignId ?? null,
        text: el.querySelector('.ticker-text')?.textContent ?? null,
        box: {
          x: Math.round(box.x),
          y: Math.round(box.y),
          width: Math.round(box.width),
          height: Math.round(box.height),
        },
      };
    }),
  );

describe('Layouts: designed in HQ, played by a paired player (web-hq, web-player) in Chromium', () => {
  let platform: PlatformProcess;
  let browser: Browser;
  let gateway: string;
  let origin: string;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];

  const newPage = async (viewport: { width: number; height: number }): Promise<Page> => {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    context.setDefaultTimeout(45_000);
    const page = await context.newPage();
    pages.push(page);
    return page;
  };

  beforeAll(async () => {
    [platform, browser] = await Promise.all([PlatformProcess.start('all'), launchChromium()]);
    gateway = platform.urls.gateway!;
    origin = new URL(gateway).origin;
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      mkdirSync(ARTIFACTS, { recursive: true });
      for (const [i, p] of pages.entries()) {
        await p
          .screenshot({ path: path.join(ARTIFACTS, `failed-layouts-${i}.png`), fullPage: true })
          .catch(() => undefined);
      }
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
  }, 60_000);

  it('a layout with three regions, designed in HQ and assigned to a paired display, plays each region’s own content', async () => {
    const admin = await login(gateway, 'hq@demo.test');
    const before = await graphql<{ displayPlaylist: { items: { campaignId: string | null; creativeId: string }[] } }>(
      gateway,
      'query ($d: ID!) { displayPlaylist(displayId: $d) { items { campaignId creativeId } } }',
      { d: DISPLAY },
      admin,
    );
    const mainItems = before.data!.displayPlaylist.items;
    expect(mainItems.length, 'the demo display plays something').toBeGreaterThan(0);
    const mainCampaigns = new Set(mainItems.map((i) => i.campaignId));

    // A side-panel campaign for the store: it names the region, so it plays only there (whatever its priority).
    const creatives = await graphql<{ creatives: { edges: { node: { id: string; kind: string } }[] } }>(
      gateway,
      '{ creatives(first: 50, filter: { status: READY }) { edges { node { id kind } } } }',
      {},
      admin,
    );
    const images = creatives.data!.creatives.edges.map((e) => e.node).filter((c) => c.kind === 'IMAGE');
    const sideImage = images.find((c) => !mainItems.some((i) => i.creativeId === c.id)) ?? images[0]!;
    const created = await graphql<{ createCampaign: { id: string } }>(
      gateway,
      'mutation ($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }',
      {
        input: {
          name: `Side panel ${Date.now()}`,
          priority: 990,
          creativeIds: [sideImage.id],
          targeting: { include: [{ kind: 'STORE', value: LONDON }], layoutRegion: 'side' },
        },
      },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const side = created.data!.createCampaign.id;
    for (const step of ['submitCampaign(id: $id) { status }', 'approveCampaign(id: $id) { status }']) {
      const r = await graphql(gateway, `mutation ($id: ID!) { ${step} }`, { id: side }, admin);
      expect(r.errors).toBeUndefined();
    }

    // The display's player, paired: full screen, and the side campaign nowhere on it.
    const player = await newPage({ width: 1280, height: 720 });
    await pairPlayer(player, origin, gateway, DISPLAY, admin);
    await player.locator('#stage > .item[data-seq]').first().waitFor({ timeout: 60_000 });
    expect(await player.locator('#stage .layout').count()).toBe(0);
    expect(await player.locator(`#stage .item[data-campaign-id="${side}"]`).count()).toBe(0);

    // HQ designs the layout: the preset has main, side and ticker; the ticker gets its own text.
    const hq = await newPage(DESK);
    await signIn(hq, origin, 'hq@demo.test');
    await hq.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Layouts' }).click();
    await hq.getByRole('heading', { name: 'Layouts', level: 1 }).waitFor();
    await hq.getByRole('heading', { name: 'New layout', level: 2 }).waitFor();
    const designer = hq.getByRole('form', { name: 'Layout designer' });
    await designer.getByRole('textbox', { name: 'Name' }).first().fill('Entrance with offers');
    const ticker = designer.getByRole('group', { name: 'Region 3' });
    await ticker.getByRole('textbox', { name: 'Ticker text' }).fill('Open until 8pm today');
    // The preview follows the form: a wider main region and a narrower side panel move at once.
    const mainGroup = designer.getByRole('group', { name: 'Region 1' });
    await mainGroup.getByRole('spinbutton', { name: 'Width %' }).fill('72');
    const sideGroup = designer.getByRole('group', { name: 'Region 2' });
    await sideGroup.getByRole('spinbutton', { name: 'Left %' }).fill('72');
    await sideGroup.getByRole('spinbutton', { name: 'Width %' }).fill('28');
    const sidePreview = hq.locator('.layout-preview [data-region="side"]');
    expect(await sidePreview.evaluate((el) => el.style.left)).toBe('72%');
    // A mistake is caught before it reaches the graph, next to the region.
    await sideGroup.getByRole('spinbutton', { name: 'Width %' }).fill('40');
    await designer.getByRole('button', { name: 'Create layout' }).click();
    expect(await sideGroup.getByRole('alert').textContent()).toContain('inside the screen');
    await sideGroup.getByRole('spinbutton', { name: 'Width %' }).fill('28');
    await designer.getByRole('button', { name: 'Create layout' }).click();
    await hq.getByRole('heading', { name: 'Design “Entrance with offers”', level: 2 }).waitFor();
    await expectAccessible(hq, 'the layout designer');
    await screenshots(hq, 'layout-designer', [DESK, PHONE]);

    // Assigned to the paired display from the designer: the player switches to three regions within seconds.
    const assign = hq.getByRole('form', { name: 'Assign to a display' });
    await assign.getByRole('combobox', { name: 'Display' }).selectOption(DISPLAY);
    const assignedAt = Date.now();
    await assign.getByRole('button', { name: 'Assign' }).click();
    await hq.getByRole('button', { name: 'Play full screen on Entrance wall' }).waitFor();
    await player.locator('#stage .layout > .region').nth(2).waitFor({ timeout: 15_000 });
    process.stdout.write(`layout assigned → regions on screen in ${Date.now() - assignedAt} ms\n`);
    await player.waitForFunction(
      (c) =>
        !!document.querySelector(`#stage .region[data-region="side"] .item[data-campaign-id="${c}"]`) &&
        !!document.querySelector('#stage .region[data-region="main"] .item[data-seq]:not([style*="hidden"])'),
      side,
      { timeout: 20_000 },
    );

    const regions = await regionsOnStage(player);
    expect(regions.map((r) => [r.name, r.kind])).toEqual([
      ['main', 'CONTENT'],
      ['side', 'CONTENT'],
      ['ticker', 'TICKER'],
    ]);
    const [main, sidePanel, tickerRegion] = regions;
    expect(mainCampaigns.has(main!.campaignId), 'the main region plays the display’s own playlist').toBe(true);
    expect(main!.campaignId).not.toBe(side);
    expect(sidePanel!.campaignId, 'the side panel plays its campaign').toBe(side);
    expect(tickerRegion!.text).toBe('Open until 8pm today');
    // Side by side as designed (1280×720 stage): main 72% wide, the side panel beside it, the ticker under both.
    expect(main!.box).toMatchObject({ x: 0, y: 0, width: Math.round(1280 * 0.72), height: Math.round(720 * 0.88) });
    expect(sidePanel!.box).toMatchObject({ x: Math.round(1280 * 0.72), y: 0 });
    expect(tickerRegion!.box).toMatchObject({ x: 0, y: Math.round(720 * 0.88), width: 1280 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await player.screenshot({ path: path.join(ARTIFACTS, 'player-layout-1280x720.png') });

    // Taken away again in HQ: the player goes back to full screen.
    await hq.getByRole('button', { name: 'Play full screen on Entrance wall' }).click();
    await player.waitForFunction(() => !document.querySelector('#stage .layout'), null, { timeout: 15_000 });
    await player.locator('#stage > .item[data-seq]').first().waitFor({ timeout: 20_000 });
    expect(await player.locator(`#stage .item[data-campaign-id="${side}"]`).count()).toBe(0);
  });

  it('a queue-board region shows the store’s live board beside the content, with a new call', async () => {
    const admin = await login(gateway, 'hq@demo.test');
    const made = await graphql<{ createLayout: { id: string } }>(
      gateway,
      'mutation ($i: LayoutInput!) { createLayout(input: $i) { id } }',
      {
        i: {
          name: 'Content beside the queue',
          regions: [
            { name: 'main', kind: 'CONTENT', x: 0, y: 0, width: 60, height: 100 },
            { name: 'queue', kind: 'QUEUE_BOARD', x: 60, y: 0, width: 40, height: 100 },
          ],
        },
      },
      admin,
    );
    expect(made.errors).toBeUndefined();
    const assigned = await graphql(
      gateway,
      'mutation ($d: ID!, $l: ID) { setDisplayLayout(displayId: $d, layoutId: $l) { id } }',
      { d: QUEUE_DISPLAY, l: made.data!.createLayout.id },
      admin,
    );
    expect(assigned.errors).toBeUndefined();

    const player = await newPage({ width: 1280, height: 720 });
    await pairPlayer(player, origin, gateway, QUEUE_DISPLAY, admin);
    const boardRegion = '#stage .region[data-kind="QUEUE_BOARD"]';
    await player.waitForFunction(
      (sel) => !!document.querySelector(`${sel} .queue-board[data-live="true"]`),
      boardRegion,
      {
        timeout: 30_000,
      },
    );

    const staff = await login(gateway, 'staff@demo.test');
    const lines = await graphql<{ queueLines: { id: string }[] }>(
      gateway,
      'query ($s: ID!) { queueLines(storeId: $s) { id } }',
      { s: LONDON },
      staff,
    );
    const line = lines.data!.queueLines[0]!.id;
    await graphql(gateway, 'mutation ($l: ID!) { addTicket(input: { lineId: $l }) { id } }', { l: line }, staff);
    const called = await graphql<{ callNext: { number: string } | null }>(
      gateway,
      'mutation ($l: ID!) { callNext(lineId: $l) { number } }',
      { l: line },
      staff,
    );
    const number = called.data!.callNext!.number;
    await player.waitForFunction(
      ([sel, n]) => !!document.querySelector(`${sel} .qb-call[data-number="${n}"]`),
      [boardRegion, number],
      { timeout: 5_000 },
    );
    const box = await player.locator(boardRegion).boundingBox();
    expect(box).toMatchObject({ x: 768, y: 0, width: 512, height: 720 });
    await player.screenshot({ path: path.join(ARTIFACTS, 'player-layout-queue-1280x720.png') });
  });
});
