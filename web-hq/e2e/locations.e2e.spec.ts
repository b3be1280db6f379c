import { launchChromium, PlatformProcess } from '@phub/e2e';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, expectAccessible, screenshots } from './layout.js';

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

describe('Locations: stores, displays, zones, display groups and the week calendar (web-hq) in Chromium', () => {
  let platform: PlatformProcess;
  let browser: Browser;
  let origin: string;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];

  beforeAll(async () => {
    [platform, browser] = await Promise.all([PlatformProcess.start('all'), launchChromium()]);
    origin = new URL(platform.urls.gateway!).origin;
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      mkdirSync(ARTIFACTS, { recursive: true });
      for (const [i, p] of pages.entries()) {
        await p
          .screenshot({ path: path.join(ARTIFACTS, `failed-locations-${i}.png`), fullPage: true })
          .catch(() => undefined);
      }
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
  }, 60_000);

  it('an HQ admin creates a store and a display group, bulk-assigns displays to the group and a zone, archives one, and sees the week by group', async () => {
    const context = await browser.newContext({ viewport: DESK });
    contexts.push(context);
    context.setDefaultTimeout(45_000);
    const page = await context.newPage();
    pages.push(page);
    await page.goto(`${origin}/hq/`);
    await page.getByLabel('Email').fill('hq@demo.test');
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('user-email').filter({ hasText: 'hq@demo.test' }).waitFor();

    const stamp = Date.now().toString(36);
    const toast = (text: string | RegExp) => page.locator('.toast').filter({ hasText: text }).first().waitFor();

    // Stores: a new store with a code, time zone and tags.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Locations' }).click();
    await page.getByRole('heading', { name: 'Locations', level: 1 }).waitFor();
    await page.getByRole('table', { name: /Stores \(6\)/ }).waitFor();
    await page.getByRole('button', { name: 'New store' }).click();
    let dialog = page.getByRole('dialog', { name: 'New store' });
    // Bad input is caught before the graph is asked.
    await dialog.getByRole('button', { name: 'Create store' }).click();
    await dialog.getByText('A store needs a name.').waitFor();
    const storeName = `E2E Store ${stamp}`;
    await dialog.getByLabel('Name').fill(storeName);
    await dialog.getByLabel('Code').fill(`E2E-${stamp}`.slice(0, 32));
    await dialog.getByLabel('Time zone').fill('Europe/Berlin');
    await dialog.getByLabel('Region').selectOption({ label: 'UK & Ireland' });
    await dialog.getByLabel('Tags').fill('Pop up, flagship');
    await expectAccessible(page, 'the new store form');
    await dialog.getByRole('button', { name: 'Create store' }).click();
    await toast(`Created the store “${storeName}”.`);
    await page.getByLabel('Search name or code').fill(stamp);
    const storeRow = page.getByRole('row', { name: new RegExp(storeName) });
    await storeRow.waitFor();
    expect(await storeRow.textContent()).toContain('pop-up');
    expect(await storeRow.textContent()).toContain('Europe/Berlin');
    await page.getByLabel('Search name or code').fill('');
    await page.getByRole('table', { name: /Stores \(7\)/ }).waitFor();
    await expectAccessible(page, 'the stores list');
    await screenshots(page, 'locations-stores', [DESK, PHONE]);

    // Display groups: a new group with tags.
    await page.getByRole('tab', { name: 'Display groups' }).click();
    await page.getByRole('button', { name: 'New group' }).click();
    dialog = page.getByRole('dialog', { name: 'New display group' });
    const groupName = `E2E Windows ${stamp}`;
    await dialog.getByLabel('Name').fill(groupName);
    await dialog.getByLabel('Tags').fill('window, e2e');
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await toast(`Created the group “${groupName}”.`);
    const groupRow = page.getByRole('row', { name: new RegExp(groupName) });
    await groupRow.waitFor();
    expect(await groupRow.textContent()).toContain('None yet');

    // Displays: select every "Window left" (one per store) and add them to the group at once.
    await page.getByRole('tab', { name: 'Displays' }).click();
    await page.getByLabel('Search name').fill('Window left');
    await page.getByRole('table', { name: 'Displays (6)' }).waitFor();
    await page.getByLabel('Select every display shown').check();
    const bulk = page.getByRole('region', { name: 'Bulk actions' });
    await bulk.getByText('6 displays selected').waitFor();
    await bulk.getByLabel('Add to group').selectOption({ label: groupName });
    await bulk.getByRole('button', { name: 'Add to group' }).click();
    await toast(`Added 6 displays to “${groupName}”.`);
    await page.waitForFunction(
      (name) => [...document.querySelectorAll('tbody tr')].filter((r) => r.textContent?.includes(name)).length === 6,
      groupName,
    );
    // Displays of several stores: no zone can be set for them together.
    expect(await bulk.getByRole('button', { name: 'Set zone' }).isDisabled()).toBe(true);
    await expectAccessible(page, 'the displays list with a selection');
    await screenshots(page, 'locations-displays-bulk', [DESK, PHONE]);

    // Two displays of one store into one zone.
    await bulk.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByLabel('Search name').fill('');
    await page.getByLabel('Store', { exact: true }).selectOption({ label: 'Manchester Arndale' });
    await page.getByRole('table', { name: 'Displays (4)' }).waitFor();
    await page.getByLabel('Select Queue screen (Manchester Arndale)').check();
    await page.getByLabel('Select Entrance wall (Manchester Arndale)').check();
    await bulk.getByText('2 displays selected').waitFor();
    await bulk.getByLabel('Zone', { exact: true }).selectOption({ label: 'Service counter' });
    await bulk.getByRole('button', { name: 'Set zone' }).click();
    await toast('Moved 2 displays.');
    for (const name of ['Queue screen', 'Entrance wall']) {
      await page
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name, exact: true }) })
        .filter({ hasText: 'Service counter' })
        .waitFor();
    }

    // A new display in the new store, then archived from the bulk bar after a confirmation.
    await bulk.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByRole('button', { name: 'New display' }).click();
    dialog = page.getByRole('dialog', { name: 'New display' });
    const displayName = `E2E screen ${stamp}`;
    await dialog.getByLabel('Name').fill(displayName);
    await dialog.getByLabel('Store').selectOption({ label: storeName });
    await dialog.getByLabel('Shape').selectOption('PORTRAIT');
    await dialog.getByLabel('Tags').fill('window');
    await dialog.getByRole('button', { name: 'Create display' }).click();
    await toast(`Created the display “${displayName}”.`);
    await page.getByLabel('Store', { exact: true }).selectOption({ label: storeName });
    await page.getByRole('table', { name: 'Displays (1)' }).waitFor();
    await page.getByLabel(`Select ${displayName} (${storeName})`).check();
    await bulk.getByRole('button', { name: 'Archive 1 display' }).click();
    const confirm = page.getByRole('dialog', { name: `Archive ${displayName}?` });
    await expectAccessible(page, 'the archive confirmation');
    await confirm.getByRole('button', { name: 'Archive display' }).click();
    await toast(`Archived “${displayName}”.`);
    await page.getByRole('table', { name: 'Displays (0)' }).waitFor();

    // The group lists its six displays across stores.
    await page.getByRole('tab', { name: 'Display groups' }).click();
    await groupRow.getByText('6 displays').waitFor();

    // The week by display group: the group's row shows the campaigns that match its displays, each day.
    await page.getByRole('tab', { name: 'This week' }).click();
    await page.getByLabel('Rows', { exact: true }).selectOption('group');
    const calendar = page.getByTestId('week-calendar');
    const row = calendar.locator(`tr[data-row="${groupName}"]`);
    await row.waitFor();
    const days = row.locator('td');
    expect(await days.count()).toBe(7);
    for (let i = 0; i < 7; i++) {
      const links = await days.nth(i).getByRole('link').allTextContents();
      expect(links, `day ${i}`).toContain('Window showcase');
      expect(links, `day ${i}`).toContain('Autumn Sale');
    }
    expect(await row.getByText('6 displays', { exact: false }).count()).toBeGreaterThan(0);
    // By store: the breakfast campaign's daypart in the store's own time.
    await page.getByLabel('Rows', { exact: true }).selectOption('store');
    const oxford = calendar.locator('tr[data-row="London Oxford Street"]');
    await oxford.waitFor();
    expect(await oxford.locator('td').first().textContent()).toMatch(/Breakfast from 7am07:00–11:00/);
    await page.getByLabel('Rows', { exact: true }).selectOption('group');
    await row.waitFor();
    await expectAccessible(page, 'the week calendar');
    await screenshots(page, 'locations-calendar', [DESK, PHONE]);

    // The next week is a click away.
    await page.getByRole('button', { name: 'Next week' }).click();
    await page.getByRole('button', { name: 'This week' }).waitFor();
  });
});
