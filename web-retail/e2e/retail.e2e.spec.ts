import { graphql, launchChromium, login, PlatformProcess } from '@phub/e2e';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, expectAccessible, PHONE, screenshots, SIZES } from './layout.js';

const STORE = 'London Oxford Street';
const TABLET = SIZES[1];

describe('The store app in Chromium', () => {
  let platform: PlatformProcess;
  let browser: Browser;
  let gateway: string;
  let origin: string;
  let retail: string;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];
  const notes: string[] = [];

  const newPage = async (
    viewport: { width: number; height: number } = PHONE,
    options: { locale?: string } = {},
  ): Promise<Page> => {
    const context = await browser.newContext({ viewport, ...options });
    contexts.push(context);
    // The CPU is shared with other work: allow for slow steps rather than fail on them.
    context.setDefaultTimeout(45_000);
    const page = await context.newPage();
    pages.push(page);
    page.on('pageerror', (err) => notes.push(`page error: ${err.message}`));
    return page;
  };

  const signIn = async (page: Page, email: string): Promise<void> => {
    await page.goto(retail);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // One store: straight to its home.
    await page.getByRole('heading', { name: STORE, level: 1 }).waitFor();
  };

  const storeId = async (token: string): Promise<string> => {
    const res = await graphql<{ stores: { edges: { node: { id: string; name: string } }[] } }>(
      gateway,
      '{ stores(first: 100) { edges { node { id name } } } }',
      {},
      token,
    );
    return res.data!.stores.edges.map((e) => e.node).find((s) => s.name === STORE)!.id;
  };

  beforeAll(async () => {
    [platform, browser] = await Promise.all([PlatformProcess.start('all'), launchChromium()]);
    gateway = platform.urls.gateway!;
    origin = new URL(gateway).origin;
    retail = `${origin}/retail/`;
  }, 300_000);

  // A failed test leaves what each page showed, to see why.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      mkdirSync(ARTIFACTS, { recursive: true });
      for (const [i, p] of pages.entries()) {
        await p
          .screenshot({ path: path.join(ARTIFACTS, `failed-${ctx.task.name.slice(0, 20)}-${i}.png`), fullPage: true })
          .catch(() => undefined);
      }
    }
    pages.length = 0;
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
    if (notes.length) console.warn(`retail e2e:\n  ${notes.join('\n  ')}`);
  }, 60_000);

  it('is served at /retail/ with its manifest and service worker, deep links falling back to the app', async () => {
    const deep = await fetch(`${retail}s/anything/queue`, { headers: { accept: 'text/html' } });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('manifest.webmanifest');
    const manifest = (await (await fetch(`${retail}manifest.webmanifest`)).json()) as { start_url: string };
    expect(manifest.start_url).toBe('./');
    const sw = await fetch(`${retail}sw.js`);
    expect(sw.status).toBe(200);
    expect(await sw.text()).toContain('graphql');
  });

  it('a store manager sees the store live and pauses a campaign for the store; staff do not get the control', async () => {
    const page = await newPage();
    await page.goto(retail);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAccessible(page, 'the sign-in page');
    await signIn(page, 'manager@demo.test');

    // Home: every display with its status and what it plays now.
    const cards = page.locator('li.card[data-display-id]');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(4);
    await page.getByRole('list', { name: 'Now plays' }).first().waitFor();
    await expectAccessible(page, 'the store home');
    await screenshots(page, 'home', PHONE);
    // The service worker took over the app's scope (installable shell).
    await expect
      .poll(() => page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())), { timeout: 45_000 })
      .toBe(true);

    // Playback: pause a live tenant-wide campaign in this store.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Playback' }).click();
    await page.getByRole('heading', { name: 'Campaigns in this store' }).waitFor();
    const row = page
      .locator('li.row[data-campaign-id]')
      .filter({ has: page.getByRole('button', { name: 'Pause here' }) })
      .first();
    await row.waitFor();
    const campaignId = (await row.getAttribute('data-campaign-id'))!;
    await row.getByRole('button', { name: 'Pause here' }).click();
    await page
      .locator(`li.row[data-campaign-id="${campaignId}"]`)
      .getByRole('button', { name: 'Resume here' })
      .waitFor();
    expect(await page.locator(`li.row[data-campaign-id="${campaignId}"]`).textContent()).toContain(
      'Paused in this store',
    );
    const manager = await login(gateway, 'manager@demo.test');
    const store = await storeId(manager);
    const paused = await graphql<{ campaign: { pausedStoreIds: string[] } }>(
      gateway,
      'query ($id: ID!) { campaign(id: $id) { pausedStoreIds } }',
      { id: campaignId },
      manager,
    );
    expect(paused.data!.campaign.pausedStoreIds).toContain(store);
    await expectAccessible(page, 'playback control');
    await screenshots(page, 'playback', PHONE);

    // Staff: the same page without pause or override controls (hidden, not refused).
    const staff = await newPage();
    await signIn(staff, 'staff@demo.test');
    await staff.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Playback' }).click();
    await staff.locator(`li.row[data-campaign-id="${campaignId}"]`).waitFor();
    expect(await staff.getByRole('button', { name: /Pause here|Resume here/ }).count()).toBe(0);
    expect(await staff.getByRole('button', { name: 'Play it now' }).count()).toBe(0);

    // The manager resumes it: back on the store's displays.
    await page.locator(`li.row[data-campaign-id="${campaignId}"]`).getByRole('button', { name: 'Resume here' }).click();
    await page
      .locator(`li.row[data-campaign-id="${campaignId}"]`)
      .getByRole('button', { name: 'Pause here' })
      .waitFor();
  });

  it('a manager pairs a new player from the store app and it plays', async () => {
    const player = await newPage({ width: 1280, height: 720 });
    await player.goto(`${origin}/player/`);
    const codeEl = player.locator('#pairing-code[data-code]');
    await codeEl.waitFor();
    const code = (await codeEl.getAttribute('data-code'))!;

    const page = await newPage(TABLET);
    await signIn(page, 'manager@demo.test');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pair' }).click();
    await page.getByRole('heading', { name: 'Pair a display' }).waitFor();
    // Typed as a person might: lower case with a space.
    await page.getByLabel('Code shown on the player').fill(`${code.slice(0, 3).toLowerCase()} ${code.slice(3)}`);
    await page.getByLabel('Display').selectOption({ label: 'Entrance wall' });
    await expectAccessible(page, 'pairing');
    await screenshots(page, 'pair', TABLET);
    await page.getByRole('button', { name: 'Pair display' }).click();
    await page.getByText('Paired with Entrance wall').waitFor();

    // The player receives its credential and plays the display's playlist.
    await player.waitForFunction(() => document.getElementById('status')?.dataset.display === 'Entrance wall', null, {
      timeout: 60_000,
    });
    expect(await player.locator('#pairing').isHidden()).toBe(true);

    // A wrong code is explained, not swallowed.
    await page.getByLabel('Code shown on the player').fill('ZZZZ99');
    await page.getByRole('button', { name: 'Pair display' }).click();
    await page.locator('[data-error-code]').waitFor();
  });

  it('staff serve the queue from the desk while a visitor follows the ticket on a phone, in German', async () => {
    const manager = await login(gateway, 'manager@demo.test');
    const store = await storeId(manager);
    // A line open all day (the demo store's hours would close it at night).
    const days = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].map((day) => ({
      day,
      opens: '00:00',
      closes: '24:00',
    }));
    const line = await graphql<{ createLine: { id: string } }>(
      gateway,
      'mutation ($input: CreateLineInput!) { createLine(input: $input) { id } }',
      { input: { storeId: store, name: 'Advice', prefix: 'B', openingHours: days } },
      manager,
    );
    expect(line.errors).toBeUndefined();

    // The manager adds a desk from the app.
    const managerPage = await newPage(TABLET);
    await signIn(managerPage, 'manager@demo.test');
    await managerPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue' }).click();
    await managerPage.getByRole('heading', { name: 'Queue', level: 1 }).waitFor();
    const setup = managerPage.locator('details.setup');
    if (!(await setup.evaluate((d) => (d as HTMLDetailsElement).open))) await setup.locator('summary').click();
    await managerPage.getByLabel('Desk name').fill('Desk 1');
    await managerPage.getByRole('button', { name: 'Create desk' }).click();
    // The store may have desks already (the demo queue): this person is at the new one, calling from Advice.
    const atDesk = async (p: Page) => {
      await p.getByLabel('Desk', { exact: true }).selectOption({ label: 'Desk 1' });
      await p.getByLabel('Call from').selectOption(line.data!.createLine.id);
      await p.getByRole('button', { name: 'Call next — Advice' }).waitFor();
    };
    await atDesk(managerPage);

    // The visitor scans the line's QR link on a phone whose browser speaks German.
    const joinUrl = (await managerPage
      .locator(`section[data-line-id="${line.data!.createLine.id}"] a`)
      .first()
      .getAttribute('href'))!;
    expect(joinUrl).toBe(`${retail}v/join/${line.data!.createLine.id}`);
    const visitor = await newPage(PHONE, { locale: 'de-DE' });
    await visitor.goto(joinUrl);
    await visitor.getByRole('button', { name: 'Nummer ziehen' }).waitFor();
    await expectAccessible(visitor, 'the join page');
    await screenshots(visitor, 'visitor-join', PHONE);
    await visitor.getByLabel('Ihr Name (optional)').fill('Ada');
    await visitor.getByRole('button', { name: 'Nummer ziehen' }).click();
    await visitor.getByRole('heading', { name: 'Ihre Nummer' }).waitFor();
    const number = (await visitor.getByTestId('ticket-number').textContent())!;
    expect(number).toMatch(/^B\d+$/);
    expect(await visitor.getByTestId('ticket-position').textContent()).toBe('1');
    await visitor.getByText('Live aktualisiert').waitFor();
    await expectAccessible(visitor, 'the ticket page');
    await screenshots(visitor, 'visitor-ticket', PHONE);

    // Staff at the desk see the ticket arrive live, and call it.
    const desk = await newPage(TABLET);
    await signIn(desk, 'staff@demo.test');
    await desk.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue' }).click();
    const list = desk.getByRole('list', { name: 'Tickets in Advice' });
    await list.getByText(number).waitFor();
    expect(await desk.getByRole('button', { name: 'Create desk' }).count()).toBe(0);
    await atDesk(desk);
    await desk.getByRole('button', { name: 'Call next — Advice' }).click();
    await desk.getByLabel(`Ticket ${number}`).waitFor();
    expect(await desk.locator('.serving').textContent()).toContain('Ada');

    // The visitor's phone says it is their turn, within seconds, without a reload.
    await visitor.getByText('Sie sind dran!').waitFor({ timeout: 15_000 });
    await screenshots(visitor, 'visitor-called', PHONE);

    await desk.getByLabel('Note').fill('Wants a new contract');
    await desk.getByRole('button', { name: 'Add note' }).click();
    await desk.locator('.serving .note').getByText('Wants a new contract').waitFor();
    await expectAccessible(desk, 'the desk');
    await screenshots(desk, 'desk', TABLET);
    await desk.getByRole('button', { name: 'Served' }).click();
    await visitor.getByText('Sie wurden bedient').waitFor({ timeout: 15_000 });
    await desk.getByRole('button', { name: 'Call next — Advice' }).waitFor();

    // A second visitor cancels from the phone; the desk's list drops them live.
    const second = await newPage(PHONE, { locale: 'en-GB' });
    await second.goto(joinUrl);
    await second.getByRole('button', { name: 'Take a ticket' }).click();
    const secondNumber = (await second.getByTestId('ticket-number').textContent())!;
    await list.getByText(secondNumber).waitFor();
    second.once('dialog', (d) => void d.accept());
    await second.getByRole('button', { name: 'Cancel my ticket' }).click();
    await second.getByText('This ticket is cancelled.').waitFor();
    await list.getByText(secondNumber).waitFor({ state: 'detached' });
  });
});
