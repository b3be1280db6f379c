import { graphql, launchChromium, login, PlatformProcess } from '@phub/e2e';
import { AemServer } from '@phub/content/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, expectAccessible, screenshots } from './layout.js';
import { pairPlayer, signIn, untilOnStage, VISIBLE_ITEM } from './player.js';
import { makePng } from './png.js';

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const DISPLAY = '00000000-0000-4000-8000-00000000d111'; // London Oxford Street, "Window left"

/**
 * HQ picks AEM content in the campaign editor (issue 16): an editor browses the tree of the tenant's AEM source
 * (a local AEM-compatible server built from AEM's documented shapes: AEM itself cannot run here), searches a
 * folder, picks a content fragment with its template; the campaign is approved and a paired player plays the
 * fragment rendered into HTML.
 */
describe('Picking AEM content in the campaign editor (web-hq, web-player) in Chromium', () => {
  let aem: AemServer;
  let platform: PlatformProcess;
  let browser: Browser;
  let gateway: string;
  let origin: string;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];
  const notes: string[] = [];

  const newPage = async (viewport: { width: number; height: number }): Promise<Page> => {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    context.setDefaultTimeout(45_000);
    const page = await context.newPage();
    pages.push(page);
    page.on('pageerror', (err) => notes.push(`page error: ${err.message}`));
    return page;
  };

  beforeAll(async () => {
    aem = await AemServer.start({ kind: 'basic', username: 'phub-reader', password: 'reader-secret' });
    aem.asset('/content/dam/phub/window-poster.png', 'Window poster', {
      original: { bytes: makePng(64, 36, [[31, 79, 191]]), mimeType: 'image/png' },
    });
    aem.fragment({
      id: 'cf-spring',
      path: '/content/dam/phub/offers/spring',
      title: 'Spring',
      modelId: 'offer',
      fields: {
        headline: 'Spring sale',
        body: 'Two flat whites for the price of one, this week only',
        price: '£19.99',
      },
    });
    aem.fragment({
      id: 'cf-autumn',
      path: '/content/dam/phub/offers/autumn',
      title: 'Autumn',
      modelId: 'offer',
      fields: { headline: 'Autumn warmers', body: 'Soup of the day', price: '£4.50' },
    });
    [platform, browser] = await Promise.all([
      PlatformProcess.start('all', { CONTENT_AEM_ALLOW_HTTP: 'true' }),
      launchChromium(),
    ]);
    gateway = platform.urls.gateway!;
    origin = new URL(gateway).origin;
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      mkdirSync(ARTIFACTS, { recursive: true });
      for (const [i, p] of pages.entries()) {
        await p
          .screenshot({ path: path.join(ARTIFACTS, `failed-aem-${i}.png`), fullPage: true })
          .catch(() => undefined);
      }
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
    await aem?.close();
    if (notes.length) console.warn(`aem e2e:\n  ${notes.join('\n  ')}`);
  }, 60_000);

  it('an editor picks a content fragment from AEM; the approved campaign plays it rendered on a paired player', async () => {
    const admin = await login(gateway, 'hq@demo.test');
    const source = await graphql<{ createContentSource: { id: string } }>(
      gateway,
      'mutation ($i: CreateContentSourceInput!) { createContentSource(input: $i) { id } }',
      { i: { name: 'Author', baseUrl: aem.url, authKind: 'BASIC', username: 'phub-reader', secret: 'reader-secret' } },
      admin,
    );
    expect(source.errors).toBeUndefined();

    // The player of the display, paired from HQ, plays whatever the demo has until the campaign goes live.
    // Display d111 is a portrait screen: a portrait viewport shows it upright.
    const player = await newPage({ width: 720, height: 1280 });
    await pairPlayer(player, origin, gateway, DISPLAY, admin);

    // An editor starts a campaign and opens the AEM picker.
    const page = await newPage(DESK);
    await signIn(page, origin, 'editor@demo.test');
    await page.goto(`${origin}/hq/campaigns/new`);
    await page.getByRole('heading', { name: 'New campaign' }).waitFor();
    const name = `AEM spring offer ${Date.now()}`;
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await page.getByRole('spinbutton', { name: 'Priority', exact: true }).fill('990');
    await page.getByRole('button', { name: 'Add from AEM…' }).click();
    const picker = page.getByRole('dialog', { name: 'Add content from AEM' });
    await picker.waitFor();
    expect(await picker.getByLabel('AEM source').inputValue()).toBe(source.data!.createContentSource.id);

    // The tree from the DAM's root: folders open by keyboard as well as by pointer.
    const phub = picker.getByRole('button', { name: 'Open folder phub' });
    await phub.focus();
    await page.keyboard.press('Enter');
    await picker.getByRole('button', { name: 'Open folder offers' }).click();
    const trail = picker.getByRole('navigation', { name: 'AEM folder' });
    await trail.getByText('offers').waitFor();
    expect(await trail.getByRole('listitem').allTextContents()).toEqual(['Assets', 'phub', 'offers']);
    const fragments = picker.getByRole('list', { name: 'Content fragments' });
    await fragments.getByRole('button', { name: 'Choose fragment Spring sale' }).waitFor();
    expect(await fragments.getByRole('button', { name: /^Choose fragment/ }).count()).toBe(2);

    // Search narrows the folder by a fragment's text; the tabs move with the arrow keys.
    await picker.getByLabel('Search this folder').fill('flat whites');
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[aria-label="Content fragments"] button[aria-label^="Choose fragment"]').length ===
        1,
    );
    expect(await fragments.getByRole('button', { name: 'Choose fragment Spring sale' }).count()).toBe(1);
    await expectAccessible(page, 'the AEM picker');
    await screenshots(page, 'aem-picker', [DESK, PHONE]);
    await picker.getByRole('tab', { name: 'Content fragments' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await picker.getByRole('tab', { name: 'Assets' }).getAttribute('aria-selected')).toBe('true');
    await picker.getByLabel('Search this folder').fill('');
    await trail.getByRole('button', { name: 'phub', exact: true }).click();
    await picker.getByRole('button', { name: 'Choose asset Window poster' }).waitFor();
    await picker.getByRole('tab', { name: 'Assets' }).focus();
    await page.keyboard.press('ArrowLeft');
    await picker.getByRole('button', { name: 'Open folder offers' }).click();

    // Choose the fragment: its name comes from the headline, the template is chosen, and it is copied.
    await picker.getByRole('button', { name: 'Choose fragment Spring sale' }).click();
    const chosen = picker.getByTestId('aem-chosen');
    expect(await chosen.textContent()).toContain('£19.99');
    expect(await picker.getByLabel('Creative name').inputValue()).toBe('Spring sale');
    await picker.getByLabel('Template').selectOption('HEADLINE_BODY_IMAGE_PRICE');
    await picker.getByLabel('Plays for (seconds)').fill('8');
    await expectAccessible(page, 'the AEM picker with a fragment chosen');
    await screenshots(page, 'aem-picker-chosen', [DESK, PHONE]);
    await picker.getByRole('button', { name: 'Add to campaign' }).click();
    await picker.waitFor({ state: 'detached', timeout: 40_000 });

    // The campaign lists the copy as a ready creative, previewed from the platform's own copy.
    const card = page.locator('li.creative-card[data-creative-id]');
    await card.locator('[data-status="READY"]').waitFor();
    const creativeId = (await card.getAttribute('data-creative-id'))!;
    expect(await card.textContent()).toContain('Spring sale');
    expect(await card.locator('iframe').getAttribute('title')).toBe('Preview of Spring sale');

    // For that display only, then create and submit.
    await page.getByLabel('Rule kind').selectOption('DISPLAY');
    await page.getByLabel('Display', { exact: true }).selectOption(DISPLAY);
    await page.getByRole('button', { name: 'Include', exact: true }).click();
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(/\/hq\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.locator('.page-description [data-status="IN_REVIEW"]').waitFor();
    await expectAccessible(page, 'the editor with an AEM creative');
    await screenshots(page, 'aem-campaign-editor', [DESK, PHONE]);

    // HQ approves; the player plays the fragment as the content service rendered it.
    const approved = await graphql(
      gateway,
      'mutation ($id: ID!) { approveCampaign(id: $id) { status } }',
      {
        id: campaignId,
      },
      admin,
    );
    expect(approved.errors).toBeUndefined();
    await untilOnStage(player, creativeId, 60_000);
    const frame = player.frameLocator(`${VISIBLE_ITEM}[data-creative-id="${creativeId}"]`);
    expect(await frame.locator('h1').textContent()).toBe('Spring sale');
    expect(await frame.locator('.price').textContent()).toBe('£19.99');
    mkdirSync(ARTIFACTS, { recursive: true });
    await player.screenshot({ path: path.join(ARTIFACTS, 'aem-player-720x1280.png') });

    // Search from the banner: the campaign (from campaign's events), the creative made from AEM (by its copied
    // words) and the AEM content the editor browsed, each by its own words.
    await page.getByRole('search', { name: 'Search HQ' }).getByRole('searchbox').fill('spring');
    await page.getByRole('search', { name: 'Search HQ' }).getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/hq\/search\?q=spring/);
    const results = page.getByRole('list', { name: 'Search results' });
    await results.locator('[data-kind="CAMPAIGN"]').getByRole('link', { name }).waitFor({ timeout: 20_000 });
    expect(await results.locator('[data-kind="CREATIVE"]').textContent()).toContain('Spring sale');
    expect(await results.locator('[data-kind="AEM_CONTENT"]').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'the search results');
    await screenshots(page, 'aem-search', [DESK, PHONE]);
    // The box shows the address's state, which the router updates after the click (in a transition): click, then
    // wait for the address, as Playwright's check() fails when the state has not flipped at once on a loaded machine.
    await page.getByRole('checkbox', { name: 'Creatives from AEM' }).click();
    await page.waitForURL(/kinds=CREATIVE/);
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="search-results"] > li:not([data-kind="CREATIVE"])').length === 0,
    );
    expect(await results.locator('[data-kind="CREATIVE"]').count()).toBe(1);
    // A phrase in the fragment's body finds its creative and the fragment itself, nothing else.
    await page.getByRole('search', { name: 'Search HQ' }).getByRole('searchbox').fill('"flat whites"');
    await page.keyboard.press('Enter');
    await page.waitForURL(/flat/);
    await page.getByRole('checkbox', { name: 'Creatives from AEM' }).click();
    await page.waitForURL((url) => !url.searchParams.has('kinds'));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="search-results"] > li').length === 2);
    expect(
      (await results.locator('> li').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).sort(),
    ).toEqual(['AEM_CONTENT', 'CREATIVE']);
    expect(await results.locator('[data-kind="CREATIVE"] mark').allTextContents()).toEqual(['flat', 'whites']);
  });
});
