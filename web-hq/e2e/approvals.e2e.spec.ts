import { graphql, launchChromium, login, PlatformProcess } from '@phub/e2e';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, expectAccessible, screenshots } from './layout.js';

/** A phone first; then a tablet and a desk screen. */
const PHONE = { width: 390, height: 844 };
const TABLET = { width: 768, height: 1024 };
const SIZES = [PHONE, TABLET, { width: 1440, height: 900 }] as const;

describe('Approvals on a phone (web-hq) in Chromium', () => {
  let platform: PlatformProcess;
  let browser: Browser;
  let gateway: string;
  let hq: string;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];
  const notes: string[] = [];

  const newPage = async (viewport: { width: number; height: number }): Promise<Page> => {
    const context = await browser.newContext({ viewport, hasTouch: true, isMobile: viewport.width < 500 });
    contexts.push(context);
    context.setDefaultTimeout(45_000);
    const page = await context.newPage();
    pages.push(page);
    page.on('pageerror', (err) => notes.push(`page error: ${err.message}`));
    return page;
  };

  const signIn = async (page: Page, email: string) => {
    await page.goto(hq);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('user-email').filter({ hasText: email }).waitFor();
  };

  /** No sideways scrolling, measured as the issue states it. */
  const expectNoOverflow = async (page: Page, what: string) => {
    const layout = await page.evaluate(() => ({
      scrollWidth: document.scrollingElement!.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    expect(layout.scrollWidth, `${what} scrolls sideways`).toBeLessThanOrEqual(layout.innerWidth);
  };

  beforeAll(async () => {
    [platform, browser] = await Promise.all([PlatformProcess.start('all'), launchChromium()]);
    gateway = platform.urls.gateway!;
    hq = `${new URL(gateway).origin}/hq/`;
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      mkdirSync(ARTIFACTS, { recursive: true });
      for (const [i, p] of pages.entries()) {
        await p
          .screenshot({ path: path.join(ARTIFACTS, `failed-approvals-${i}.png`), fullPage: true })
          .catch(() => undefined);
      }
    }
    pages.length = 0;
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
    if (notes.length) console.warn(`approvals e2e:\n  ${notes.join('\n  ')}`);
  }, 60_000);

  it('an approver approves a campaign from the review inbox on a 390×844 phone; the editor still works on a tablet', async () => {
    // An editor submits a campaign with two of the demo creatives, for the window displays, weekdays 09–17.
    const editor = await login(gateway, 'editor@demo.test');
    const demo = await graphql<{ campaigns: { edges: { node: { creativeIds: string[] } }[] } }>(
      gateway,
      '{ campaigns(first: 20, filter: { status: [LIVE] }) { edges { node { creativeIds } } } }',
      {},
      editor,
    );
    const creativeIds = [...new Set(demo.data!.campaigns.edges.flatMap((e) => e.node.creativeIds))].slice(0, 2);
    expect(creativeIds.length).toBe(2);
    const name = `Spring window offer ${Date.now()}`;
    const created = await graphql<{ createCampaign: { id: string } }>(
      gateway,
      'mutation ($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }',
      {
        input: {
          name,
          description: 'Two weeks of the spring offer in every shop window, weekdays during opening hours.',
          priority: 50,
          creativeIds,
          targeting: { include: [{ kind: 'DISPLAY_TAG', value: 'window' }] },
          schedule: { dayparts: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '09:00', to: '17:00' }] },
        },
      },
      editor,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createCampaign.id;
    const submitted = await graphql(
      gateway,
      'mutation ($id: ID!) { submitCampaign(id: $id) { status } }',
      { id },
      editor,
    );
    expect(submitted.errors).toBeUndefined();

    // The approver, on a phone: the inbox lists it.
    const phone = await newPage(PHONE);
    await signIn(phone, 'hq@demo.test');
    await phone.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).click();
    await phone.getByRole('heading', { name: 'Waiting for my approval', level: 1 }).waitFor();
    const entry = phone
      .getByRole('list', { name: 'Campaigns in review' })
      .getByRole('link', { name: new RegExp(name) });
    await entry.waitFor();
    expect(await entry.textContent()).toContain('Submitted by');
    await expectNoOverflow(phone, 'the review inbox on a phone');
    await expectAccessible(phone, 'the review inbox');
    await screenshots(phone, 'approvals-inbox', SIZES);

    // Its summary: creatives, reach, and the decision on the first screen (or in a footer that stays there).
    await entry.click();
    await phone.getByRole('heading', { name, level: 1 }).waitFor();
    await phone.getByRole('heading', { name: 'Creatives (2)' }).waitFor();
    const reach = await graphql<{ campaign: { matchingDisplayCount: number } }>(
      gateway,
      'query ($id: ID!) { campaign(id: $id) { matchingDisplayCount } }',
      { id },
      editor,
    );
    expect(await phone.locator('.summary-reach').textContent()).toBe(String(reach.data!.campaign.matchingDisplayCount));
    expect(reach.data!.campaign.matchingDisplayCount).toBeGreaterThan(0);
    const approve = phone.getByRole('region', { name: 'Decision' }).getByRole('button', { name: 'Approve' });
    const box = (await approve.boundingBox())!;
    expect(box.y + box.height, 'the approve button is on the first screen').toBeLessThanOrEqual(PHONE.height);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    expect(box.height, 'a touch target').toBeGreaterThanOrEqual(44);
    await expectNoOverflow(phone, 'the campaign summary on a phone');
    await expectAccessible(phone, 'the campaign summary');
    // Scrolled to the end, the decision is still there (a footer, not the bottom of a long page).
    await phone.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const after = (await approve.boundingBox())!;
    expect(after.y + after.height).toBeLessThanOrEqual(PHONE.height);
    await phone.evaluate(() => window.scrollTo(0, 0));
    await screenshots(phone, 'approvals-summary', SIZES);

    // Approve, confirmed in a dialog that fits the phone too.
    await approve.tap();
    const dialog = phone.getByRole('dialog', { name: 'Approve campaign' });
    await dialog.waitFor();
    await expectNoOverflow(phone, 'the approve dialog on a phone');
    await expectAccessible(phone, 'the approve dialog');
    await phone.screenshot({ path: path.join(ARTIFACTS, 'approvals-dialog-390x844.png') });
    await dialog.getByRole('button', { name: 'Approve' }).tap();
    await phone.getByText(/nothing to decide/).waitFor();
    const status = await graphql<{ campaign: { status: string } }>(
      gateway,
      'query ($id: ID!) { campaign(id: $id) { status } }',
      { id },
      editor,
    );
    expect(['APPROVED', 'LIVE']).toContain(status.data!.campaign.status);
    // The inbox no longer lists it.
    await phone.getByRole('link', { name: 'Back to the inbox' }).first().tap();
    await phone.getByRole('heading', { name: 'Waiting for my approval', level: 1 }).waitFor();
    await phone.getByText(name).waitFor({ state: 'detached' });

    // The editor on a tablet: no sideways scrolling, daypart cells big enough to touch, the workflow reachable.
    const tablet = await newPage(TABLET);
    await signIn(tablet, 'editor@demo.test');
    await tablet.goto(`${hq}campaigns/${id}`);
    await tablet.getByRole('heading', { name, level: 1 }).waitFor();
    await expectNoOverflow(tablet, 'the editor on a tablet');
    const cell = tablet.locator('.daypart-cell').first();
    const cellBox = (await cell.boundingBox())!;
    expect(cellBox.width, 'daypart cells wide enough to touch').toBeGreaterThanOrEqual(22);
    await expectAccessible(tablet, 'the editor on a tablet');
    await screenshots(tablet, 'approvals-editor', [TABLET, PHONE]);
  });
});
