import { graphql, launchChromium, login, PlatformProcess } from '@phub/e2e';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, expectAccessible, PHONE, screenshots } from './layout.js';

const STORE = 'London Oxford Street';
const MESSAGE = 'Please leave the store\nby the nearest exit';

/** What a player has on its stage now: a takeover's message, or the id of the creative it plays. */
const onStage = (player: Page) =>
  player.evaluate(() => {
    const el = document.querySelector<HTMLElement>('#stage .item[data-seq]:not([style*="hidden"])');
    if (!el) return null;
    return {
      takeover: el.classList.contains('takeover-message'),
      text: el.textContent ?? '',
      creativeId: el.dataset.creativeId ?? '',
    };
  });

describe('An emergency takeover from the store app, in Chromium', () => {
  let platform: PlatformProcess;
  let browser: Browser;
  let gateway: string;
  let origin: string;
  let retail: string;
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

  const signIn = async (page: Page, email: string): Promise<void> => {
    await page.goto(retail);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: STORE, level: 1 }).waitFor();
  };

  /** A player page on /player/, paired by the manager (through the graph) to `displayId`, playing its content. */
  const pairedPlayer = async (manager: string, displayId: string, name: string): Promise<Page> => {
    const player = await newPage({ width: 1280, height: 720 });
    await player.goto(`${origin}/player/`);
    const codeEl = player.locator('#pairing-code[data-code]');
    await codeEl.waitFor();
    const claimed = await graphql(
      gateway,
      'mutation ($code: String!, $d: ID!) { claimPairingCode(code: $code, displayId: $d) { status } }',
      { code: await codeEl.getAttribute('data-code'), d: displayId },
      manager,
    );
    expect(claimed.errors).toBeUndefined();
    await player.waitForFunction((n) => document.getElementById('status')?.dataset.display === n, name, {
      timeout: 60_000,
    });
    await player.locator('#stage .item[data-seq]').first().waitFor({ timeout: 60_000 });
    return player;
  };

  beforeAll(async () => {
    [platform, browser] = await Promise.all([PlatformProcess.start('all'), launchChromium()]);
    gateway = platform.urls.gateway!;
    origin = new URL(gateway).origin;
    retail = `${origin}/retail/`;
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      mkdirSync(ARTIFACTS, { recursive: true });
      for (const [i, p] of pages.entries()) {
        await p.screenshot({ path: path.join(ARTIFACTS, `failed-takeover-${i}.png`) }).catch(() => undefined);
      }
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
  }, 60_000);

  it('a manager takes over every display of the store within 2 seconds, staff see it without controls, then it is lifted', async () => {
    const manager = await login(gateway, 'manager@demo.test');
    const stores = await graphql<{ stores: { edges: { node: { id: string; name: string } }[] } }>(
      gateway,
      '{ stores(first: 100) { edges { node { id name } } } }',
      {},
      manager,
    );
    const storeId = stores.data!.stores.edges.find((e) => e.node.name === STORE)!.node.id;
    const store = await graphql<{ store: { displays: { id: string; name: string }[] } }>(
      gateway,
      'query ($id: ID!) { store(id: $id) { displays { id name } } }',
      { id: storeId },
      manager,
    );
    const [first, second] = store.data!.store.displays;
    // Two screens of the store, each playing its own content.
    const players = [
      await pairedPlayer(manager, first!.id, first!.name),
      await pairedPlayer(manager, second!.id, second!.name),
    ];
    for (const p of players) expect((await onStage(p))?.takeover).toBe(false);

    // The manager starts a takeover from the store home: a message, reviewed, then confirmed.
    const page = await newPage(PHONE);
    await signIn(page, 'manager@demo.test');
    const panel = page.getByRole('region', { name: 'Emergency takeover' });
    await panel.getByText('No takeover').waitFor();
    await panel.getByRole('textbox', { name: 'Message' }).fill(MESSAGE);
    await panel.getByLabel('Reason').fill('Fire alarm test');
    await panel.getByRole('button', { name: 'Review takeover…' }).click();
    await panel.getByRole('heading', { name: 'Start the takeover?' }).waitFor();
    await expectAccessible(page, 'the takeover confirm step');
    await screenshots(page, 'takeover-confirm', PHONE);

    const clicked = Date.now();
    const answered = page
      .waitForResponse(
        (r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('RetailStartTakeover'),
      )
      .then(() => Date.now() - clicked);
    await panel.getByRole('button', { name: 'Start takeover now' }).click();
    await Promise.all(
      players.map((p) =>
        p.waitForFunction(
          (text) => document.querySelector('#stage .item.takeover-message[data-seq]')?.textContent === text,
          MESSAGE,
          { timeout: 10_000, polling: 50 },
        ),
      ),
    );
    const elapsed = Date.now() - clicked;
    const acceptedAfter = await answered;
    console.warn(`takeover accepted ${acceptedAfter} ms after the click, on both displays ${elapsed} ms after it`);
    // From the manager's click, as the issue asks (the platform's own part, after it accepted, is logged above).
    expect(elapsed, 'every display shows the takeover within 2 seconds').toBeLessThan(2_000);
    for (const p of players) {
      // Large and high-contrast: white on near-black.
      const look = await p.evaluate(() => {
        const el = document.querySelector<HTMLElement>('#stage .item.takeover-message')!;
        const text = el.querySelector<HTMLElement>('.takeover-text')!;
        return {
          background: getComputedStyle(el).backgroundColor,
          color: getComputedStyle(text).color,
          fontPx: Number.parseFloat(getComputedStyle(text).fontSize),
        };
      });
      expect(look).toMatchObject({ background: 'rgb(11, 11, 11)', color: 'rgb(255, 255, 255)' });
      expect(look.fontPx).toBeGreaterThanOrEqual(40);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await players[0]!.screenshot({ path: path.join(ARTIFACTS, 'takeover-player-1280x720.png') });

    // The panel shows the active takeover prominently, with who and when.
    const active = panel.locator('.takeover-active');
    await active.getByText('Takeover active').waitFor();
    expect(await active.locator('.takeover-message-preview').textContent()).toBe(MESSAGE);
    expect(await active.textContent()).toMatch(/Started by .+ on .+Fire alarm test/);
    await expectAccessible(page, 'the active takeover');
    await screenshots(page, 'takeover', PHONE);

    // Staff see it, but neither the Lift button nor a way to start one.
    const staff = await newPage(PHONE);
    await signIn(staff, 'staff@demo.test');
    const staffPanel = staff.getByRole('region', { name: 'Emergency takeover' });
    await staffPanel.getByText('Takeover active').waitFor();
    expect(await staffPanel.getByRole('button').count()).toBe(0);

    // Lifted: both displays return to their own content, and the history keeps who and when.
    const lifting = Date.now();
    await active.getByRole('button', { name: 'Lift takeover' }).click();
    await Promise.all(
      players.map((p) =>
        p.waitForFunction(
          () => {
            const el = document.querySelector('#stage .item[data-seq]:not([style*="hidden"])');
            return !!el && !el.classList.contains('takeover-message');
          },
          null,
          { timeout: 10_000, polling: 50 },
        ),
      ),
    );
    console.warn(`both displays back to their content ${Date.now() - lifting} ms after Lift`);
    await panel.getByText('No takeover').waitFor();
    await panel.getByText('Past takeovers (1)').click();
    const past = panel.getByRole('list', { name: 'Past takeovers' }).getByRole('listitem');
    expect(await past.count()).toBe(1);
    expect(await past.first().textContent()).toMatch(/Started by .+ lifted by .+/);
    await expectAccessible(page, 'the takeover history');
    await screenshots(page, 'takeover-history', PHONE);

    const history = await graphql<{ storeTakeovers: { active: boolean; liftedAt: string | null; message: string }[] }>(
      gateway,
      'query ($s: ID!) { storeTakeovers(storeId: $s, includeEnded: true) { active liftedAt message } }',
      { s: storeId },
      manager,
    );
    expect(history.data!.storeTakeovers).toEqual([{ active: false, liftedAt: expect.any(String), message: MESSAGE }]);
  });
});
