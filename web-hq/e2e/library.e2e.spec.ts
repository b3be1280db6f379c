import { graphql, launchChromium, login, PlatformProcess } from '@phub/e2e';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, expectAccessible, screenshots } from './layout.js';
import { makePng } from './png.js';

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

describe('Media library and orientation (web-hq) in Chromium', () => {
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

  const signIn = async (page: Page, email: string) => {
    await page.goto(`${origin}/hq/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('user-email').filter({ hasText: email }).waitFor();
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
          .screenshot({ path: path.join(ARTIFACTS, `failed-library-${i}.png`), fullPage: true })
          .catch(() => undefined);
      }
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
  }, 60_000);

  it('an upload carries its shape; the editor warns of screens it does not suit; the library finds, renames, tags, archives and restores it and says where it is used', async () => {
    const page = await newPage(DESK);
    await signIn(page, 'editor@demo.test');

    // A new campaign for every display (portrait and landscape ones), with a portrait upload and a landscape slide.
    await page.goto(`${origin}/hq/campaigns/new`);
    await page.getByRole('heading', { name: 'New campaign' }).waitFor();
    const stamp = Date.now();
    const campaignName = `E2E library ${stamp}`;
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(campaignName);
    const png = makePng(96, 160, [
      [196, 64, 32],
      [250, 240, 220],
    ]);
    const upload = `e2e-portrait-${stamp}`;
    await page
      .getByLabel('Upload a creative')
      .setInputFiles({ name: `${upload}.png`, mimeType: 'image/png', buffer: png });
    const card = page.locator('li.creative-card[data-creative-id]');
    await card.locator('[data-status="READY"]').waitFor({ timeout: 20_000 });
    const creativeId = (await card.getAttribute('data-creative-id'))!;
    await page.getByRole('button', { name: 'Add an existing creative…' }).click();
    await page.getByLabel('Search creatives').fill('Autumn Sale (landscape)');
    await page.getByRole('button', { name: 'Add Autumn Sale (landscape)' }).click();

    // Every display matches: the portrait upload suits none of the landscape screens and the landscape slide none
    // of the portrait ones — the editor says so before anything is saved.
    const warning = page.getByTestId('orientation-warning');
    await warning.waitFor({ timeout: 20_000 });
    const portraitLine = await warning.locator('[data-orientation="PORTRAIT"]').textContent();
    const landscapeLine = await warning.locator('[data-orientation="LANDSCAPE"]').textContent();
    expect(portraitLine).toMatch(/\d+ portrait displays match, but “Autumn Sale \(landscape\)” is landscape only/);
    expect(landscapeLine).toContain(`“${upload}” is portrait only`);
    await warning.scrollIntoViewIfNeeded();
    await expectAccessible(page, 'the editor with an orientation warning');
    await screenshots(page, 'editor-orientation-warning', [DESK, PHONE]);

    // Only landscape displays: the portrait upload is still named, the landscape slide no longer.
    await page.getByLabel('Rule kind').selectOption('ORIENTATION');
    await page.getByLabel('Orientation', { exact: true }).selectOption('LANDSCAPE');
    await page.getByRole('button', { name: 'Include', exact: true }).click();
    await warning.locator('[data-orientation="PORTRAIT"]').waitFor({ state: 'detached', timeout: 20_000 });
    expect(await warning.locator('[data-orientation="LANDSCAPE"]').textContent()).toContain(`“${upload}”`);

    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(/\/hq\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = page.url().split('/').pop()!;

    // The library: search by name; the card shows the shape read from the file and where it is used.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click();
    await page.getByRole('heading', { name: 'Media library', level: 1 }).waitFor();
    await page.locator('.library-card').first().waitFor();
    // The first page as a person finds it: thumbnails, sizes, where each is used.
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('.library-card img')].slice(0, 4).every((i) => i.complete),
    );
    await expectAccessible(page, 'the media library');
    await screenshots(page, 'library', [DESK, PHONE]);
    // An upload straight into the library, its shape read from the file.
    const wide = `e2e-landscape-${stamp}`;
    await page.getByText('Upload to the library').click();
    await page.getByLabel('Upload a creative').setInputFiles({
      name: `${wide}.png`,
      mimeType: 'image/png',
      buffer: makePng(160, 96, [[32, 96, 196]]),
    });
    await page.getByText(`Uploaded “${wide}”`).waitFor({ timeout: 20_000 });
    await page.getByLabel('Search name or tag').fill(wide);
    const wideCard = page.locator('.library-card', { has: page.getByRole('heading', { name: wide }) });
    expect(await wideCard.getByTestId('creative-size').textContent()).toBe('160 × 96 · landscape');
    expect(await wideCard.getByTestId('where-used').textContent()).toBe('No campaign');

    await page.getByLabel('Search name or tag').fill(upload);
    const libCard = page.locator(`.library-card[data-creative-id="${creativeId}"]`);
    await libCard.waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.library-card').length === 1);
    expect(await libCard.getByTestId('creative-size').textContent()).toBe('96 × 160 · portrait');
    const used = libCard.getByTestId('where-used');
    expect(await used.getByRole('link').allTextContents()).toEqual([campaignName]);
    expect(await used.getByRole('link').getAttribute('href')).toBe(`/hq/campaigns/${campaignId}`);
    await expectAccessible(page, 'the media library, searched');

    // Rename, tag and choose the fit.
    await libCard.getByRole('button', { name: `Edit ${upload}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit creative' });
    const renamed = `E2E renamed ${stamp}`;
    await dialog.getByLabel('Name').fill(renamed);
    await dialog.getByLabel('Tags').fill(`Autumn, window ${stamp}`);
    await dialog.getByLabel('On a screen of another shape').selectOption('COVER');
    await expectAccessible(page, 'the edit dialog of the library');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Renamed, it no longer matches the old search: search the new name.
    await page.getByText('No creative matches these filters.').waitFor();
    await page.getByLabel('Search name or tag').fill(renamed);
    await libCard.getByRole('heading', { name: renamed }).waitFor();
    expect(await libCard.getByTestId('creative-tags').textContent()).toBe(`autumnwindow ${stamp}`);
    expect(await libCard.getByTestId('creative-fit').textContent()).toBe('Fill the screen (crop the edges)');
    const stored = await graphql<{ creative: { name: string; tags: string[]; fitMode: string } }>(
      gateway,
      'query ($id: ID!) { creative(id: $id) { name tags fitMode } }',
      { id: creativeId },
      await login(gateway, 'hq@demo.test'),
    );
    expect(stored.data!.creative).toEqual({ name: renamed, tags: ['autumn', `window ${stamp}`], fitMode: 'COVER' });

    // Find it by its tag, and by the shape filter.
    await page.getByLabel('Search name or tag').fill('');
    await page.getByLabel('Tag', { exact: true }).fill(`window ${stamp}`);
    await page.getByLabel('Shape').selectOption('PORTRAIT');
    await page.waitForFunction(() => document.querySelectorAll('.library-card').length === 1);
    await libCard.waitFor();
    // Toasts cover part of a phone's screen: dismiss them for the picture.
    const dismiss = page.getByRole('button', { name: 'Dismiss' });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
    await screenshots(page, 'library-filtered', [DESK, PHONE]);

    // Archive: it leaves the library; "Archived" shows it, and Restore brings it back.
    await libCard.getByRole('button', { name: `Archive ${renamed}` }).click();
    await page.getByText('No creative matches these filters.').waitFor();
    await page.getByLabel('Show').selectOption('archived');
    await libCard.getByRole('button', { name: `Restore ${renamed}` }).click();
    await page.getByText('No creative matches these filters.').waitFor();
    await page.getByLabel('Show').selectOption('active');
    await libCard.waitFor();

    // Where used leads to the campaign.
    await libCard.getByTestId('where-used').getByRole('link', { name: campaignName }).click();
    await page.getByRole('heading', { name: campaignName, level: 1 }).waitFor();
  });

  it('a paired player fits a creative as the creative says: whole by default, cover once the library says so', async () => {
    const admin = await login(gateway, 'hq@demo.test');
    const found = await graphql<{ creatives: { edges: { node: { id: string } }[] } }>(
      gateway,
      '{ creatives(first: 1, filter: { search: "Welcome (portrait)" }) { edges { node { id } } } }',
      {},
      admin,
    );
    const creativeId = found.data!.creatives.edges[0]!.node.id;
    const displays = await graphql<{ displays: { edges: { node: { id: string } }[] } }>(
      gateway,
      '{ displays(first: 1) { edges { node { id } } } }',
      {},
      admin,
    );
    const displayId = displays.data!.displays.edges[0]!.node.id;
    const created = await graphql<{ createCampaign: { id: string } }>(
      gateway,
      'mutation ($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }',
      {
        input: {
          name: `Fit ${Date.now()}`,
          priority: 995,
          creativeIds: [creativeId],
          targeting: { include: [{ kind: 'DISPLAY', value: displayId }] },
        },
      },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createCampaign.id;
    for (const step of ['submitCampaign(id: $id) { status }', 'approveCampaign(id: $id) { status }']) {
      const r = await graphql(gateway, `mutation ($id: ID!) { ${step} }`, { id }, admin);
      expect(r.errors).toBeUndefined();
    }

    const player = await newPage({ width: 1280, height: 720 });
    await player.goto(`${origin}/player/`);
    const codeEl = player.locator('#pairing-code[data-code]');
    await codeEl.waitFor();
    const claimed = await graphql(
      gateway,
      'mutation ($code: String!, $d: ID!) { claimPairingCode(code: $code, displayId: $d) { status } }',
      { code: await codeEl.getAttribute('data-code'), d: displayId },
      admin,
    );
    expect(claimed.errors).toBeUndefined();
    const visible = (fit: string) =>
      player.waitForFunction(
        ([c, f]) => {
          const el = document.querySelector<HTMLElement>(
            `#stage .item[data-creative-id="${c}"]:not([style*="hidden"])`,
          );
          return !!el && el.dataset.fit === f && getComputedStyle(el).objectFit === f;
        },
        [creativeId, fit],
        { timeout: 60_000 },
      );
    await visible('contain');

    const changed = await graphql(
      gateway,
      'mutation ($i: UpdateCreativeInput!) { updateCreative(input: $i) { fitMode } }',
      { i: { id: creativeId, fitMode: 'COVER' } },
      admin,
    );
    expect(changed.errors).toBeUndefined();
    // The item on screen finishes its turn (10 s); the next turn comes from the new playlist, cropped to fill.
    await visible('cover');
  });
});
