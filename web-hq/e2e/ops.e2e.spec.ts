/**
 * Operations pages in Chromium: the fleet (live display statuses), a store, a campaign's playback report with its
 * CSV, and the administration (users, API clients, audit log), against the real platform binary.
 */
import { graphql, launchChromium, login, PlatformProcess } from '@phub/e2e';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForDemoHistory } from './demo.js';
import { expectAccessible, screenshots, SIZES } from './layout.js';

const DISPLAY = '00000000-0000-4000-8000-00000000d111'; // "Window left", London Oxford Street
const LONDON = '00000000-0000-4000-8000-0000000005a1';
const CAMPAIGN = '00000000-0000-4000-8000-000000000ca1'; // "Autumn Sale", LIVE, tenant-wide
const DEMO_STORES = [
  'Chicago Michigan Avenue',
  'Dublin Grafton Street',
  'London Oxford Street',
  'Manchester Arndale',
  'New York Fifth Avenue',
  'San Francisco Airport',
];
const OFFLINE_AFTER_SECONDS = 20;
describe('HQ operations pages in Chromium', () => {
  let platform: PlatformProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let gateway: string;
  let hq: string;
  let token: string;
  const errors: string[] = [];

  beforeAll(async () => {
    [platform, browser] = await Promise.all([
      PlatformProcess.start('all', {
        // Short health thresholds, so that a display goes OFFLINE (and raises an alert) within the test.
        PLAYBACK_OFFLINE_AFTER_SECONDS: String(OFFLINE_AFTER_SECONDS),
        PLAYBACK_EVALUATE_EVERY_SECONDS: '1',
      }),
      launchChromium(),
    ]);
    gateway = platform.urls.gateway!;
    hq = `${new URL(gateway).origin}/hq/`;
    token = await login(gateway, 'hq@demo.test');
    // Settled first: the demo history's heartbeats leave every demo display seen (and offline, with an alert).
    await waitForDemoHistory(gateway, token);
    context = await browser.newContext({ viewport: SIZES[0], acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(gateway).origin });
    page = await context.newPage();
    page.on('pageerror', (err) => errors.push(err.message));

    // Sign in through the UI, as a person does.
    await page.goto(hq);
    await page.getByLabel('Email').fill('hq@demo.test');
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('user-email').filter({ hasText: 'hq@demo.test' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await platform?.stop();
    if (errors.length) console.warn(`ops e2e page errors:\n  ${errors.join('\n  ')}`);
  }, 60_000);

  /** A heartbeat for d111 reporting its current playlist, as its player would (HQ admins may record for any display). */
  async function heartbeat(): Promise<void> {
    const playlist = await graphql<{ displayPlaylist: { version: string; items: { creativeId: string }[] } }>(
      gateway,
      'query ($d: ID!) { displayPlaylist(displayId: $d) { version items { creativeId } } }',
      { d: DISPLAY },
      token,
    );
    expect(playlist.errors).toBeUndefined();
    const { version, items } = playlist.data!.displayPlaylist;
    const recorded = await graphql<{ recordPlayback: { accepted: number } }>(
      gateway,
      'mutation ($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted rejected { reason } } }',
      {
        i: {
          heartbeats: [
            {
              id: randomUUID(),
              displayId: DISPLAY,
              at: new Date().toISOString(),
              playlistVersion: version,
              currentCreativeId: items[0]?.creativeId ?? null,
              appVersion: 'ops-e2e',
              uptimeSeconds: 60,
            },
          ],
        },
      },
      token,
    );
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data!.recordPlayback.accepted).toBe(1);
  }

  it('the fleet lists the demo stores and display d111, which turns ONLINE live on a heartbeat', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fleet' }).click();
    await page.getByRole('heading', { name: 'Fleet', level: 1 }).waitFor();
    const row = page.locator(`tr[data-display-id="${DISPLAY}"]`);
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getByRole('rowheader').textContent()).toContain('Window left');
    // Its id only behind the row's details.
    expect(await row.getByText(DISPLAY).isVisible()).toBe(false);
    const stores = await page.locator('tr[data-display-id] td[data-col="store"] a').allTextContents();
    expect([...new Set(stores)].sort()).toEqual(DEMO_STORES);
    expect(await page.locator('tr[data-display-id]').count()).toBe(24);
    expect(await row.getAttribute('data-status')).not.toBe('ONLINE');
    const onlineBefore = Number(
      await page.getByTestId('fleet-count-ONLINE').locator('.fleet-count-value').textContent(),
    );

    // Wait for the live feed, then mark the document: a reload would lose the mark.
    await page.locator('.fleet-live[data-state="live"]').waitFor({ timeout: 15_000 });
    await page.evaluate(() => ((window as unknown as { opsMark: number }).opsMark = 42));

    await heartbeat();

    await page.locator(`tr[data-display-id="${DISPLAY}"][data-status="ONLINE"]`).waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => (window as unknown as { opsMark?: number }).opsMark)).toBe(42);
    expect(await page.getByTestId('fleet-announcer').textContent()).toContain(
      'Window left (London Oxford Street) is now online',
    );
    expect(Number(await page.getByTestId('fleet-count-ONLINE').locator('.fleet-count-value').textContent())).toBe(
      onlineBefore + 1,
    );
    expect(await row.getByText('Online').count()).toBe(1); // in words, not only colour

    // The status filter shows only matching displays.
    await page.getByTestId('fleet-count-ONLINE').click();
    await page.waitForFunction(() => document.querySelectorAll('tr[data-display-id]').length === 1);
    await page.getByRole('button', { name: /All displays/ }).click();
    await page.waitForFunction(() => document.querySelectorAll('tr[data-display-id]').length === 24);

    // Finding a display by (part of) its name.
    await page.getByLabel('Find a display (name or id)').fill('Window left');
    await page.locator('.fleet-finder-results a', { hasText: 'Window left — London Oxford Street' }).waitFor();
    await page.getByLabel('Find a display (name or id)').fill('');

    await expectAccessible(page, 'the fleet');
    await screenshots(page, 'ops-fleet');

    // The store page: its displays, what d111 plays now and should play, and its alerts.
    await heartbeat(); // keeps it ONLINE (it goes OFFLINE after OFFLINE_AFTER_SECONDS without one)
    await page.getByRole('link', { name: 'London Oxford Street' }).first().click();
    await page.getByRole('heading', { name: 'London Oxford Street', level: 1 }).waitFor();
    const card = page.locator(`article[data-display-id="${DISPLAY}"]`);
    await card.waitFor();
    expect(await card.getAttribute('data-status')).toBe('ONLINE');
    await card.getByText('✓ up to date').waitFor({ timeout: 10_000 });
    await card.getByRole('button', { name: /Show what it should play/ }).click();
    await card.locator('.fleet-playlist li').first().waitFor();
    await page.getByRole('heading', { name: /Open alerts|All alerts/ }).waitFor();
    await expectAccessible(page, 'a store');
    await screenshots(page, 'ops-store');
  }, 150_000);

  it('on the store page, an OFFLINE alert arrives live, is acknowledged, and resolves when the display is back', async () => {
    // Test 1 left d111 ONLINE on the London page; without heartbeats it goes OFFLINE and raises an alert.
    await page.getByRole('heading', { name: 'London Oxford Street', level: 1 }).waitFor();
    const card = page.locator(`article[data-display-id="${DISPLAY}"]`);
    await page
      .locator(`article[data-display-id="${DISPLAY}"][data-status="OFFLINE"]`)
      .waitFor({ timeout: (OFFLINE_AFTER_SECONDS + 15) * 1000 });
    expect(await page.getByTestId('store-announcer').textContent()).toContain('Window left is now offline');
    // No STALE_CONTENT beside it at any hour: demo plays follow the store's hours, and a shut store owes none.
    // The store's other demo displays are offline too (their history ended when the store last played).
    const alert = page
      .locator('tr[data-alert-id]', { hasText: 'The display has sent no heartbeat' })
      .filter({ has: page.getByRole('rowheader', { name: 'Window left' }) });
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.getAttribute('data-state')).toBe('RAISED');
    expect(await alert.textContent()).toContain('Offline');
    await expectAccessible(page, 'a store with an alert');
    await alert.getByRole('button', { name: /Acknowledge/ }).click();
    await page.locator('tr[data-alert-id][data-state="ACKNOWLEDGED"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('tr[data-alert-id][data-state="ACKNOWLEDGED"]').textContent()).toContain('by you');
    await screenshots(page, 'ops-store-alert');

    // Back online: the alert resolves and leaves the open alerts, live.
    await heartbeat();
    await card.and(page.locator('[data-status="ONLINE"]')).waitFor({ timeout: 15_000 });
    await alert.waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByLabel('Include resolved alerts').check();
    await page
      .locator('tr[data-alert-id][data-state="RESOLVED"]', { hasText: 'The display has sent no heartbeat' })
      .filter({ has: page.getByRole('rowheader', { name: 'Window left' }) })
      .first()
      .waitFor({ timeout: 10_000 });
  }, 120_000);

  it('a campaign report shows the plays recorded for it as a chart and tables, and downloads as CSV', async () => {
    const start = Date.now() - 2 * 60_000;
    const day = new Date(start).toISOString().slice(0, 10);
    const playlist = await graphql<{ campaign: { creativeIds: string[] } }>(
      gateway,
      'query ($id: ID!) { campaign(id: $id) { creativeIds } }',
      { id: CAMPAIGN },
      token,
    );
    const creativeId = playlist.data!.campaign.creativeIds[0]!;
    const plays = Array.from({ length: 6 }, (_, i) => ({
      id: randomUUID(),
      displayId: DISPLAY,
      campaignId: CAMPAIGN,
      creativeId,
      playlistVersion: 'ops-e2e',
      startedAt: new Date(start + i * 15_000).toISOString(),
      endedAt: new Date(start + i * 15_000 + 10_000).toISOString(),
      durationMs: 10_000,
    }));
    const recorded = await graphql<{ recordPlayback: { accepted: number } }>(
      gateway,
      'mutation ($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted } }',
      { i: { plays } },
      token,
    );
    expect(recorded.data?.recordPlayback.accepted).toBe(6);
    // Plays are written asynchronously (bus → writer → daily rollup): wait until the report has them.
    const filter = { from: day, to: day, campaignId: CAMPAIGN, storeId: LONDON };
    for (let i = 0; i < 50; i++) {
      const r = await graphql<{ playbackReport: { totals: { plays: number } } }>(
        gateway,
        'query ($f: PlaybackReportFilter!) { playbackReport(filter: $f) { totals { plays } } }',
        { f: filter },
        token,
      );
      if ((r.data?.playbackReport.totals.plays ?? 0) >= 6) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    // From the reports page, choose the campaign.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await page.locator('figure.report-chart svg').first().waitFor({ timeout: 15_000 });
    await expectAccessible(page, 'the reports');
    await screenshots(page, 'ops-reports');
    await page.getByRole('link', { name: 'Autumn Sale' }).first().click();

    await page.getByRole('heading', { name: 'Report: Autumn Sale', level: 1 }).waitFor();
    expect(page.url()).toContain(`/reports/campaigns/${CAMPAIGN}`);
    await page.locator('figure.report-chart svg .recharts-bar-rectangle').first().waitFor({ timeout: 15_000 });
    expect(Number((await page.getByTestId('total-plays').textContent())!.replace(/\D/g, ''))).toBeGreaterThanOrEqual(6);
    const storeRow = page.getByRole('row', { name: /London Oxford Street/ });
    await storeRow.first().waitFor();
    expect(
      Number((await storeRow.first().getByRole('cell').first().textContent())!.replace(/\D/g, '')),
    ).toBeGreaterThan(0);
    // The date range picker: the default is the last 30 days, kept in the address once changed.
    await page.getByRole('button', { name: 'Last 7 days' }).click();
    await page.waitForURL(/from=\d{4}-\d{2}-\d{2}&to=/);
    await page.locator('figure.report-chart svg .recharts-bar-rectangle').first().waitFor({ timeout: 15_000 });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^plays-autumn-sale-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const [header, ...lines] = csv.trim().split('\n');
    expect(header).toBe('day,creativeId,storeId,plays,playTimeMs,displays');
    expect(lines.some((l) => l.startsWith(`${day},${creativeId},${LONDON},`))).toBe(true);

    await expectAccessible(page, 'a campaign report');
    await screenshots(page, 'ops-report');
  }, 120_000);

  it('an HQ admin creates users and an API client (its secret shown once), and the audit log lists it all', async () => {
    const stamp = Date.now().toString(36);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('heading', { name: 'Administration: Users', level: 1 }).waitFor();
    await page.locator('[data-user-email="hq@demo.test"]').waitFor();

    // An invited HQ viewer: the invitation token is shown once.
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Email').fill(`viewer-${stamp}@demo.test`);
    await dialog.getByLabel('Name').fill('Vera Viewer');
    await dialog.getByRole('checkbox', { name: /HQ viewer/ }).check();
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.getByRole('heading', { name: 'Invitation created' }).waitFor();
    expect((await dialog.getByTestId('invitation-token').inputValue()).length).toBeGreaterThan(10);
    await dialog.getByRole('button', { name: 'Done' }).click();

    // Store staff with a first password, scoped to one store with the store picker.
    await page.getByRole('button', { name: 'New user' }).click();
    await dialog.getByLabel('Email').fill(`staff-${stamp}@demo.test`);
    await dialog.getByLabel('Name').fill('Stan Staff');
    await dialog.getByRole('checkbox', { name: /Store staff/ }).check();
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.getByText('A store role needs at least one store.').waitFor(); // checked before sending
    await dialog.getByLabel('Find stores by name or code').fill('Manchester');
    await dialog.getByRole('checkbox', { name: /Manchester Arndale/ }).check();
    await dialog.getByRole('list', { name: 'Chosen stores' }).getByText('Manchester Arndale').waitFor();
    await dialog.getByRole('radio', { name: /Set a first password now/ }).check();
    await dialog.locator('input[type="password"]').fill('a-long-enough-password');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator(`[data-user-email="staff-${stamp}@demo.test"]`).waitFor();
    expect(await page.getByRole('row', { name: /Stan Staff/ }).textContent()).toContain('Manchester Arndale');
    const staffLogin = await login(gateway, `staff-${stamp}@demo.test`, 'a-long-enough-password');
    expect(staffLogin.length).toBeGreaterThan(20);
    await expectAccessible(page, 'users');
    await screenshots(page, 'ops-admin-users');

    // An API client: the secret is shown once, with a warning and a copy button, and it works.
    await page.getByRole('link', { name: 'API clients' }).click();
    await page.getByRole('heading', { name: 'Administration: API clients', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New API client' }).click();
    await dialog.getByLabel('Name').fill(`Acme analytics ${stamp}`);
    await dialog.getByRole('checkbox', { name: /playback:read/ }).check();
    await dialog.getByRole('checkbox', { name: /location:read/ }).check();
    await dialog.getByRole('button', { name: 'Create client' }).click();
    await dialog.getByText('Copy the client secret now: it is shown only this once.').waitFor();
    const clientId = await dialog.getByTestId('api-client-id').inputValue();
    const secret = await dialog.getByTestId('api-client-secret').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    await dialog.getByRole('button', { name: 'Copy client secret' }).click();
    await dialog.getByText(/Copied to the clipboard|press Ctrl\+C/).waitFor();
    const issued = await graphql<{ issueClientToken: { scope: string } }>(
      gateway,
      'mutation ($i: IssueClientTokenInput!) { issueClientToken(input: $i) { scope } }',
      { i: { clientId, clientSecret: secret } },
    );
    expect(issued.data?.issueClientToken.scope.split(' ').sort()).toEqual(['location:read', 'playback:read']);
    await expectAccessible(page, 'the API client secret');
    await screenshots(page, 'ops-admin-api-client-secret');
    expect(await dialog.getByRole('button', { name: 'Done' }).isDisabled()).toBe(true);
    await dialog.getByRole('checkbox', { name: /I have stored the secret/ }).check();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.locator(`[data-api-client-id="${clientId}"]`).waitFor();
    expect(await page.locator('body').textContent()).not.toContain(secret);
    // Its usage (the gateway's counts for the last 14 days): none yet, and the day-by-day view says so.
    expect(await page.locator(`[data-api-client-usage="${clientId}"]`).textContent()).toBe('No requests');
    await page.getByRole('button', { name: `Usage of Acme analytics ${stamp}` }).click();
    await dialog.getByText('No requests in this period.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await screenshots(page, 'ops-admin-api-clients');

    // The audit log lists what just happened; a type filter narrows it.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Administration: Audit log', level: 1 }).waitFor();
    await page.locator('[data-audit-type="API_CLIENT_CREATED"]').first().waitFor();
    expect(await page.locator('[data-audit-type="USER_CREATED"]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('[data-audit-type="LOGIN_SUCCEEDED"]').count()).toBeGreaterThanOrEqual(1);
    await page.getByText('Event types').click();
    await page.getByRole('checkbox', { name: 'Api client created' }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForFunction(
      () =>
        document.querySelectorAll('[data-audit-type]').length > 0 &&
        [...document.querySelectorAll('[data-audit-type]')].every(
          (e) => e.getAttribute('data-audit-type') === 'API_CLIENT_CREATED',
        ),
    );
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.locator('[data-audit-type="USER_CREATED"]').first().waitFor();
    await expectAccessible(page, 'the audit log');
    await screenshots(page, 'ops-admin-audit');
    expect(errors).toEqual([]);
  }, 150_000);
});
