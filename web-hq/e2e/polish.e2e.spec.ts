/**
 * Issue 17 item 14 in Chromium against the real platform binary: approving and pausing a campaign show in the audit
 * log; the tenant's alert notification settings are saved and come back after a reload; toasts stay few (at most 3),
 * a success clears the error it answers, and an error is said in words with its code under "Details".
 */
import { graphql, launchChromium, login, PlatformProcess } from '@phub/e2e';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, expectAccessible, screenshots } from './layout.js';

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const SIZES = [DESK, PHONE] as const;

describe('HQ polish (issue 17 item 14) in Chromium', () => {
  let platform: PlatformProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let gateway: string;
  let hq: string;
  let token: string;
  const errors: string[] = [];

  beforeAll(async () => {
    [platform, browser] = await Promise.all([PlatformProcess.start('all'), launchChromium()]);
    gateway = platform.urls.gateway!;
    hq = `${new URL(gateway).origin}/hq/`;
    token = await login(gateway, 'hq@demo.test');
    context = await browser.newContext({ viewport: DESK });
    context.setDefaultTimeout(30_000);
    page = await context.newPage();
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(hq);
    await page.getByLabel('Email').fill('hq@demo.test');
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('user-email').filter({ hasText: 'hq@demo.test' }).waitFor();
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, `failed-polish-${ctx.task.name.slice(0, 30)}.png`) });
    }
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await platform?.stop();
    if (errors.length) console.warn(`polish e2e page errors:\n  ${errors.join('\n  ')}`);
  }, 60_000);

  const toasts = () => page.locator('.toaster .toast');

  /** No sideways scrolling on a phone; what sticks out is named, to say where to look. */
  async function fitsPhone(what: string): Promise<void> {
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(400);
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter(
          (e) =>
            e.getBoundingClientRect().right > window.innerWidth + 0.5 &&
            !e.parentElement?.closest('.table-wrap') &&
            getComputedStyle(e).visibility !== 'hidden',
        )
        .slice(0, 12)
        .map(
          (e) =>
            `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} → ${Math.round(e.getBoundingClientRect().right)}`,
        ),
    );
    expect(wide, `${what} sticks out on a phone`).toEqual([]);
    await page.setViewportSize(DESK);
  }

  it('approving and pausing a campaign show in the audit log, by whom and about what', async () => {
    const demo = await graphql<{ campaigns: { edges: { node: { creativeIds: string[] } }[] } }>(
      gateway,
      '{ campaigns(first: 20) { edges { node { creativeIds } } } }',
      {},
      token,
    );
    const creativeIds = [...new Set(demo.data!.campaigns.edges.flatMap((e) => e.node.creativeIds))].slice(0, 1);
    const name = `Audit trail offer ${Date.now()}`;
    const created = await graphql<{ createCampaign: { id: string } }>(
      gateway,
      'mutation ($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }',
      { input: { name, creativeIds, targeting: { include: [{ kind: 'DISPLAY_TAG', value: 'window' }] } } },
      token,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createCampaign.id;
    const submitted = await graphql(
      gateway,
      'mutation ($id: ID!) { submitCampaign(id: $id) { status } }',
      { id },
      token,
    );
    expect(submitted.errors).toBeUndefined();

    // On its page: not "Tenant-wide" (its targeting names window displays), then approve and pause it.
    await page.goto(`${hq}campaigns/${id}`);
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    expect(await page.getByText('Targeted: 1 display tag').count()).toBeGreaterThan(0);
    expect(await page.getByText('Tenant-wide', { exact: true }).count()).toBe(0);
    const workflow = page.getByRole('group', { name: 'Workflow' });
    await workflow.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('dialog', { name: 'Approve campaign' }).getByRole('button', { name: 'Approve' }).click();
    await toasts().filter({ hasText: 'the campaign is now live' }).waitFor();
    await workflow.getByRole('button', { name: 'Pause' }).click();
    const pause = page.getByRole('dialog', { name: 'Pause campaign' });
    await pause.getByLabel('Reason').fill('Wrong price on the poster');
    await pause.getByRole('button', { name: 'Pause' }).click();
    await toasts().filter({ hasText: 'the campaign is now paused' }).waitFor();

    // The audit log (fed through the bus): both, by this admin, naming the campaign and the reason.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Audit log' }).click();
    const paused = page.locator('tr', { has: page.locator('[data-audit-type="CAMPAIGN_PAUSED"]') }).filter({
      hasText: name,
    });
    const approved = page.locator('tr', { has: page.locator('[data-audit-type="CAMPAIGN_APPROVED"]') }).filter({
      hasText: name,
    });
    await expect
      .poll(
        async () => {
          if ((await paused.count()) && (await approved.count())) return true;
          await page.getByRole('button', { name: 'Refresh' }).click();
          await page.waitForTimeout(500);
          return false;
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(true);
    for (const row of [paused, approved]) {
      expect(await row.textContent()).toContain('you');
      expect(await row.textContent()).toContain(id);
    }
    expect(await paused.textContent()).toContain('Wrong price on the poster');
    expect(await paused.getByText('Campaign paused', { exact: true }).count()).toBe(1);

    // The event filter offers them under their own group.
    await page.getByText('Event types').click();
    const group = page.getByRole('group', { name: 'Campaigns and screens' });
    await group.getByLabel('Campaign paused', { exact: true }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[data-audit-type]').length > 0 &&
        [...document.querySelectorAll('[data-audit-type]')].every(
          (e) => e.getAttribute('data-audit-type') === 'CAMPAIGN_PAUSED',
        ),
    );
    await page.getByText('Event types').click();
    await expectAccessible(page, 'the audit log with campaign events');
    await fitsPhone('the audit log');
    await screenshots(page, 'polish-audit', SIZES);
  });

  it('alert notification settings: refused in words, saved, toasts capped at 3, and there after a reload', async () => {
    await page.setViewportSize(DESK);
    await page.goto(`${hq}admin/notifications`);
    await page.getByRole('heading', { name: 'Administration: Alert notifications', level: 1 }).waitFor();
    const emails = page.getByLabel('Email addresses');
    const phones = page.getByLabel('Phone numbers for SMS');
    const save = page.getByRole('button', { name: 'Save recipients' });

    // A wrong address: said under the field, and in an error toast.
    await emails.fill('ops@example.com\nnot-an-address');
    await save.click();
    await page.getByText('“not-an-address” is not an email address.').waitFor();
    expect(await emails.getAttribute('aria-invalid')).toBe('true');
    await toasts().filter({ hasText: 'The alert recipients are not saved' }).waitFor();

    // Offline: the error toast says so in words; its code is under Details.
    await emails.fill('ops@example.com');
    await page.route('**/graphql', (route) =>
      route.request().postData()?.includes('AdminSetNotificationSettings')
        ? route.abort('internetdisconnected')
        : route.continue(),
    );
    await save.click();
    const offline = toasts().filter({ hasText: 'Check your connection' });
    await offline.waitFor();
    // In words: the code is not in the sentence, only behind Details.
    expect(await offline.locator('.toast-body > span').textContent()).not.toContain('NETWORK_ERROR');
    expect(await offline.getByText('NETWORK_ERROR').isVisible()).toBe(false);
    await offline.getByText('Details').click();
    expect(await offline.getByText('NETWORK_ERROR').isVisible()).toBe(true);
    await expectAccessible(page, 'an error toast with its details open');
    await page.screenshot({ path: path.join(ARTIFACTS, 'polish-error-toast-1440x900.png') });
    await page.unroute('**/graphql');

    // Four saves in a row: four different successes, at most 3 on screen (the newest), and no error left.
    await page.evaluate(() => {
      const w = window as unknown as { maxToasts: number };
      w.maxToasts = 0;
      new MutationObserver(() => {
        w.maxToasts = Math.max(w.maxToasts, document.querySelectorAll('.toaster .toast').length);
      }).observe(document.querySelector('.toaster')!, { childList: true, subtree: true });
    });
    // The pointer rests on the toasts (none leaves meanwhile, however slow the saves); saved from the keyboard.
    const saveByKeyboard = async () => {
      await save.focus();
      await page.keyboard.press('Enter');
    };
    for (const n of [1, 2, 4]) {
      await emails.fill(
        ['a', 'b', 'c', 'd']
          .slice(0, n)
          .map((x) => `${x}@example.com`)
          .join('\n'),
      );
      await saveByKeyboard();
      await toasts()
        .filter({ hasText: `Alerts now go to ${n} recipient` })
        .waitFor();
      if (n === 1) await toasts().last().hover();
    }
    await emails.fill('ops@example.com\nit@example.com');
    await phones.fill('+44 7700 900123');
    await saveByKeyboard();
    await toasts().filter({ hasText: 'Alerts now go to 3 recipients' }).waitFor();
    expect(await toasts().count()).toBeLessThanOrEqual(3);
    expect(await page.evaluate(() => (window as unknown as { maxToasts: number }).maxToasts)).toBe(3);
    expect(await page.locator('.toast--error').count()).toBe(0);
    expect(await toasts().last().textContent()).toContain('Alerts now go to 3 recipients');
    expect(await toasts().filter({ hasText: 'Alerts now go to 1 recipient.' }).count()).toBe(0);

    // Stored as the platform keeps them, and shown again after a reload.
    const stored = await graphql<{ notificationSettings: { emails: string[]; phones: string[] } }>(
      gateway,
      '{ notificationSettings { emails phones } }',
      {},
      token,
    );
    expect(stored.data!.notificationSettings).toEqual({
      emails: ['ops@example.com', 'it@example.com'],
      phones: ['+447700900123'],
    });
    await page.reload();
    await page.getByLabel('Email addresses').waitFor();
    expect(await page.getByLabel('Email addresses').inputValue()).toBe('ops@example.com\nit@example.com');
    expect(await page.getByLabel('Phone numbers for SMS').inputValue()).toBe('+447700900123');
    expect(await page.getByText(/Last changed/).count()).toBe(1);
    await expectAccessible(page, 'the alert notification settings');
    await fitsPhone('the alert notification settings');
    await screenshots(page, 'polish-notifications', SIZES);
  });
});
