import { graphql, launchChromium, login, PlatformProcess } from '@phub/e2e';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, screenshots, SIZES } from './layout.js';
import { makePng } from './png.js';

const DISPLAY = '00000000-0000-4000-8000-00000000d111'; // London Oxford Street, "Window left" (PORTRAIT), tag `window`
async function signIn(page: Page, hq: string, email: string): Promise<void> {
  await page.goto(hq);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('user-email').filter({ hasText: email }).waitFor();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

describe('HQ dashboard in Chromium', () => {
  let platform: PlatformProcess;
  let browser: Browser;
  let gateway: string;
  let hq: string;
  const contexts: BrowserContext[] = [];
  const notes: string[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: SIZES[0] });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => notes.push(`page error: ${err.message}`));
    return page;
  };

  beforeAll(async () => {
    [platform, browser] = await Promise.all([PlatformProcess.start('all'), launchChromium()]);
    gateway = platform.urls.gateway!;
    hq = `${new URL(gateway).origin}/hq/`;
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
    if (notes.length) console.warn(`hq e2e:\n  ${notes.join('\n  ')}`);
  }, 60_000);

  it('an editor creates a campaign with an uploaded image for the window displays; HQ approves; the player plays it; the store manager pauses it in their store', async () => {
    const page = await newPage();

    // Sign-in page (axe), then the campaigns list (axe).
    await page.goto(hq);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAccessible(page, 'the sign-in page');
    await signIn(page, hq, 'editor@demo.test');
    await page.getByRole('heading', { name: 'Campaigns', level: 1 }).waitFor();
    await page.locator('table tbody tr').first().waitFor();
    await expectAccessible(page, 'the campaigns list');
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Campaigns',
      'Library',
      'Preview',
      'Layouts',
      'Fleet',
      'Locations',
      'Reports',
      // Editors read the AEM sources there (only that section).
      'Administration',
    ]);

    // A new campaign: details, an uploaded PNG, targeting the display tag `window`.
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByRole('heading', { name: 'New campaign' }).waitFor();
    const name = `E2E window takeover ${Date.now()}`;
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
    await page.getByRole('spinbutton', { name: 'Priority', exact: true }).fill('100');
    const png = makePng(96, 160, [
      [31, 79, 191],
      [255, 210, 122],
      [28, 107, 52],
    ]);
    await page
      .getByLabel('Upload a creative')
      .setInputFiles({ name: 'e2e-window.png', mimeType: 'image/png', buffer: png });
    const card = page.locator('li.creative-card[data-creative-id]');
    await card.waitFor({ timeout: 20_000 });
    await card.locator('[data-status="READY"]').waitFor();
    const creativeId = (await card.getAttribute('data-creative-id'))!;
    expect(await card.locator('img').getAttribute('alt')).toBe('Preview of e2e-window');

    // A French version of it, uploaded the same way; then taken away again.
    await card.getByRole('button', { name: 'Languages of e2e-window' }).click();
    const languages = page.getByRole('dialog', { name: 'Language versions of e2e-window' });
    await languages.getByLabel('Language', { exact: true }).fill('fr-FR');
    await languages
      .getByLabel('File of this version')
      .setInputFiles({ name: 'e2e-window-fr.png', mimeType: 'image/png', buffer: png });
    await languages.getByRole('button', { name: 'Add language version' }).click();
    await languages.locator('[data-locale="fr-FR"]').waitFor({ timeout: 15_000 });
    await expectAccessible(page, 'the language versions dialog');
    await languages.getByRole('button', { name: 'Remove fr-FR' }).click();
    await languages.getByText('No language versions yet').waitFor();
    await languages.getByRole('button', { name: 'Close' }).click();

    await page.getByLabel('Rule kind').selectOption('DISPLAY_TAG');
    await page.getByLabel('Display tag', { exact: true }).fill('window');
    await page.getByRole('button', { name: 'Include', exact: true }).click();
    expect(await page.getByRole('list', { name: 'Include rules' }).textContent()).toContain('window');

    // The live reach count settles on what the graph says for the same targeting.
    const reach = await graphql<{ campaignReach: number }>(
      gateway,
      'query ($t: TargetingInput!) { campaignReach(targeting: $t) }',
      { t: { include: [{ kind: 'DISPLAY_TAG', value: 'window' }], exclude: [] } },
      await login(gateway, 'editor@demo.test'),
    );
    const expected = reach.data!.campaignReach;
    expect(expected).toBeGreaterThan(0);
    const count = page.getByTestId('reach-count');
    await page.waitForFunction(
      (n) => {
        const el = document.querySelector<HTMLElement>('[data-testid="reach-count"]');
        return el?.dataset.settled === 'true' && el.textContent === String(n);
      },
      expected,
      { timeout: 10_000 },
    );
    notes.push(`reach for display tag window: ${await count.textContent()} displays`);
    await expectAccessible(page, 'the campaign editor');

    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(/\/hq\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    await screenshots(page, 'campaign-editor');

    // Submit; the editor may not approve.
    await page.getByRole('button', { name: 'Submit for review' }).click();
    const workflow = page.getByRole('group', { name: 'Workflow' });
    await page.locator('.page-description [data-status="IN_REVIEW"]').waitFor();
    expect(await workflow.count()).toBe(0); // nothing left for an editor while in review
    await signOut(page);

    // HQ admin approves through the UI (deep link: the gateway serves index.html for /hq/*).
    await signIn(page, hq, 'hq@demo.test');
    expect(await nav.getByRole('link').allTextContents()).toContain('Administration');
    await page.goto(`${hq}campaigns/${campaignId}`);
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await page.getByRole('group', { name: 'Workflow' }).getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve campaign' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Go live now').isChecked()).toBe(true);
    const approvedAt = Date.now();
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await page.locator('.page-description [data-status="LIVE"]').waitFor();
    const history = (await page.getByRole('list', { name: 'Transitions, newest first' }).textContent()) ?? '';
    expect(history).toMatch(/Approve/);
    expect(history).toContain('by Eddie Torres (HQ editor)'); // the editor's submit, named through auth

    // The fleet page shows the displays the campaign reaches (from the campaign's page): exactly the window
    // displays campaignReach counts, d111 among them, each with its live status; then the whole fleet.
    // The editor, the fleet and the report say the same reach now (one engine computation).
    const editorReach = page.getByTestId('editor-reach');
    await editorReach.filter({ hasText: /^12 displays match; plays now on \d+/ }).waitFor();
    const reachNow = (await editorReach.textContent())!;
    await page.getByRole('link', { name: /^12 displays match/ }).click();
    await page.waitForURL(/\/hq\/fleet\?campaign=/);
    const reached = page.getByTestId('campaign-reach');
    await reached.getByRole('heading', { name: `Displays reached by ${name}` }).waitFor({ timeout: 15_000 });
    expect(await reached.getByTestId('campaign-reach-now').textContent()).toBe(reachNow);
    const playingRows = await reached.locator('[data-reached][data-now="playing"]').count();
    expect(reachNow).toContain(`plays now on ${playingRows}`);
    await reached.locator(`[data-reached][data-display-id="${DISPLAY}"]`).waitFor();
    expect(await reached.locator('[data-reached]').count()).toBe(12);
    const reachedIds = await reached
      .locator('[data-reached]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-display-id')));
    const windowDisplays = await graphql<{ displays: { edges: { node: { id: string } }[] } }>(
      gateway,
      `
        {
          displays(first: 100, filter: { tag: "window" }) {
            edges {
              node {
                id
              }
            }
          }
        }
      `,
      {},
      await login(gateway, 'hq@demo.test'),
    );
    expect(windowDisplays.errors).toBeUndefined();
    expect(reachedIds.sort()).toEqual(windowDisplays.data!.displays.edges.map((e) => e.node.id).sort());
    await page.locator(`[data-display-id="${DISPLAY}"]:not([data-reached])`).first().waitFor({ timeout: 15_000 });
    await expectAccessible(page, 'the fleet with a campaign’s displays');
    await screenshots(page, 'fleet');

    // The campaign's report page.
    await page.goto(`${hq}reports/campaigns/${campaignId}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(await page.getByTestId('report-reach-now').textContent()).toContain(reachNow);
    await page.waitForTimeout(1000);
    await screenshots(page, 'campaign-report');

    // Preview: d111's day has our creative in the stretch playing now, and the explanation says it plays.
    await page.goto(`${hq}preview?display=${DISPLAY}&campaign=${campaignId}`);
    await page.getByRole('group', { name: 'What plays over the day' }).waitFor({ timeout: 15_000 });
    await page.getByRole('table', { name: 'Items played in a loop' }).getByRole('link', { name }).first().waitFor();
    const explanation = page.getByTestId('explanation');
    await explanation.waitFor();
    expect(await explanation.textContent()).toMatch(/^Playing at/);
    await expectAccessible(page, 'the preview');

    // A player in another browser context, paired to d111 over GraphQL, shows the new creative.
    const player = await newPage();
    await player.goto(`${new URL(gateway).origin}/player/`);
    const codeEl = player.locator('#pairing-code[data-code]');
    await codeEl.waitFor({ timeout: 15_000 });
    const claimed = await graphql(
      gateway,
      'mutation ($code: String!, $d: ID!) { claimPairingCode(code: $code, displayId: $d) { status } }',
      { code: (await codeEl.getAttribute('data-code'))!, d: DISPLAY },
      await login(gateway, 'hq@demo.test'),
    );
    expect(claimed.errors).toBeUndefined();
    await player.locator(`#stage .item[data-creative-id="${creativeId}"][data-campaign-id="${campaignId}"]`).waitFor({
      state: 'attached',
      timeout: 45_000,
    });
    notes.push(`player shows the uploaded creative ${Date.now() - approvedAt} ms after the approval`);

    // The store manager of London Oxford Street takes the campaign off their store: the player there stops
    // showing it (at an item boundary); resuming puts it back.
    await signOut(page);
    await signIn(page, hq, 'manager@demo.test');
    await page.goto(`${hq}campaigns/${campaignId}`);
    const mine = page.getByTestId('store-pauses');
    await mine.getByRole('button', { name: 'Pause in London Oxford Street' }).click();
    const pauseDialog = page.getByRole('dialog', { name: 'Pause in London Oxford Street' });
    await pauseDialog.getByLabel('Reason').fill('Window refit');
    await pauseDialog.getByRole('button', { name: 'Pause here' }).click();
    await mine.locator('[data-paused="true"]').waitFor();
    expect(await page.getByRole('list', { name: 'Transitions, newest first' }).textContent()).toContain('Window refit');
    await expectAccessible(page, 'the editor as a store manager');
    const onStage = (p: Page) =>
      p.evaluate(() => document.querySelector<HTMLElement>('#stage .item:not([style*="hidden"])')?.dataset.campaignId);
    await expect.poll(() => onStage(player), { timeout: 30_000, interval: 250 }).not.toBe(campaignId);
    // Stays off: give it a whole item's length to come back if the pause had not reached the player.
    await player.waitForTimeout(11_000);
    expect(await onStage(player)).not.toBe(campaignId);
    await mine.getByRole('button', { name: 'Resume in London Oxford Street' }).click();
    await mine.locator('[data-paused="false"]').waitFor();
    await player
      .locator(`#stage .item[data-campaign-id="${campaignId}"]`)
      .waitFor({ state: 'attached', timeout: 30_000 });

    // Remote commands from the store's fleet page: the screen shows its name, then sends back what it shows.
    const where = await graphql<{ display: { store: { id: string } } }>(
      gateway,
      `
        query ($id: ID!) {
          display(id: $id) {
            store {
              id
            }
          }
        }
      `,
      { id: DISPLAY },
      await login(gateway, 'manager@demo.test'),
    );
    await page.goto(`${hq}fleet/stores/${where.data!.display.store.id}`);
    const remote = page.locator(`#display-${DISPLAY}`).getByRole('group', { name: 'Remote commands for Window left' });
    await remote.getByRole('button', { name: 'Identify' }).click();
    await player.locator('.identify', { hasText: 'Window left' }).waitFor({ timeout: 15_000 });
    // While the uploaded image is on screen (the playlist also holds an HTML creative, which cannot be pictured).
    await expect.poll(() => onStage(player), { timeout: 60_000, interval: 100 }).toBe(campaignId);
    await remote.getByRole('button', { name: 'Take a screenshot' }).click();
    const shot = page.locator(`#display-${DISPLAY} .fleet-remote-shot img`);
    await shot.waitFor({ timeout: 20_000 }).catch(async (err: unknown) => {
      throw new Error(
        `${String(err)}; the command log: ${await page.locator(`#display-${DISPLAY} .fleet-remote-log`).textContent()}`,
      );
    });
    expect(await shot.getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/);
    await expectAccessible(page, 'a store with remote commands');
  }, 300_000);

  it('store staff see no editor actions and no administration', async () => {
    const page = await newPage();
    // A wrong password is said as such, with the code.
    await page.goto(hq);
    await page.getByLabel('Email').fill('staff@demo.test');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.locator('[data-error-code="UNAUTHENTICATED"]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Wrong email or password');

    await signIn(page, hq, 'staff@demo.test');
    const nav = page.getByRole('navigation', { name: 'Main' });
    const links = await nav.getByRole('link').allTextContents();
    expect(links).not.toContain('Administration');
    expect(links).not.toContain('Reports');
    await page.getByRole('heading', { name: 'Campaigns', level: 1 }).waitFor();
    await page.locator('table tbody tr a').first().waitFor();
    expect(await page.getByRole('link', { name: 'New campaign' }).count()).toBe(0);

    await page.locator('table tbody tr a').first().click();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    await page.getByText('your role cannot change it').waitFor();
    expect(await page.getByRole('group', { name: 'Workflow' }).count()).toBe(0);
    for (const label of ['Save changes', 'Submit for review', 'Approve', 'Pause', 'End', 'Archive']) {
      expect(await page.getByRole('button', { name: label, exact: true }).count(), label).toBe(0);
    }
    expect(await page.getByLabel('Upload a creative').count()).toBe(0);
    expect(await page.getByRole('textbox', { name: 'Name', exact: true }).isDisabled()).toBe(true);

    await page.goto(`${hq}admin`);
    await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
    expect(await page.locator('[data-error-code="FORBIDDEN"]').count()).toBe(1);
  }, 60_000);

  it('an HQ admin targets a visitor segment and presence in a zone from the editor, by name, and the graph keeps them', async () => {
    const page = await newPage();
    await signIn(page, hq, 'hq@demo.test');
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByRole('heading', { name: 'New campaign' }).waitFor();
    const name = `E2E gold members at the entrance ${Date.now()}`;
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);

    await page.getByLabel('Rule kind').selectOption('SEGMENT');
    const segment = page.getByLabel('Visitor segment', { exact: true });
    await segment.locator('option[value="gold-members"]').waitFor({ state: 'attached' });
    expect(await segment.locator('option[value="gold-members"]').textContent()).toMatch(
      /^Gold members \(\d+ visitors?\)$/,
    );
    await segment.selectOption('gold-members');
    await page.getByRole('button', { name: 'Include', exact: true }).click();

    await page.getByLabel('Rule kind').selectOption('PROXIMITY_ZONE');
    const zone = page.getByLabel('Zone', { exact: true });
    const entrance = zone.locator('optgroup[label="London Oxford Street"] option', { hasText: 'Entrance' });
    await entrance.waitFor({ state: 'attached' });
    const zoneId = (await entrance.getAttribute('value'))!;
    await zone.selectOption(zoneId);
    await page.getByRole('button', { name: 'Include', exact: true }).click();

    const rules = page.getByRole('list', { name: 'Include rules' });
    expect(await rules.textContent()).toContain('Visitor segmentgold-members');
    expect(await rules.textContent()).toContain('Someone in zoneEntrance (London Oxford Street)');
    await expectAccessible(page, 'the editor with presence rules');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.waitForURL(/\/hq\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = page.url().split('/').pop()!;

    const saved = await graphql<{ campaign: { targeting: { include: { kind: string; value: string }[] } } }>(
      gateway,
      'query ($id: ID!) { campaign(id: $id) { targeting { include { kind value } } } }',
      { id: campaignId },
      await login(gateway, 'hq@demo.test'),
    );
    expect(saved.data!.campaign.targeting.include).toEqual([
      { kind: 'SEGMENT', value: 'gold-members' },
      { kind: 'PROXIMITY_ZONE', value: zoneId },
    ]);
  }, 120_000);
  // Lighthouse's mobile throttling (its "Slow 4G", formerly "Fast 3G"): 150 ms round trips, 1.6 Mbit/s down,
  // 750 kbit/s up, the CPU 4× slower; a first visit with an empty cache. The times are printed, not asserted (they
  // follow the machine's load; the budget is 1 s): what the test holds is what the page costs to fetch, and that
  // the page shows before its script runs (pre-rendered into index.html) and keeps what was typed meanwhile.
  it('shows the pre-rendered sign-in page on Fast 3G with a 4× slower CPU before its script runs, from brotli copies, and prints the time', async () => {
    const context = await browser.newContext({ viewport: SIZES[0] });
    contexts.push(context);
    const page = await context.newPage();
    // When the sign-in button first exists, and when the app replaced the pre-rendered page, in the page's clock
    // (injected by the browser: no CSP applies).
    await page.addInitScript(() => {
      const w = window as unknown as { signInShownAt?: number; appStartedAt?: number };
      const observer = new MutationObserver(() => {
        const button = [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Sign in');
        if (button && w.signInShownAt === undefined) w.signInShownAt = performance.now();
        if (button && !document.querySelector('[data-prerendered]')) {
          w.appStartedAt = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const encodings = new Map<string, string>();
    page.on('response', (r) => {
      if (/\/assets\/.*\.(js|css)$/.test(r.url()))
        encodings.set(r.url(), r.headers()['content-encoding'] ?? 'identity');
    });
    await page.goto(hq, { waitUntil: 'commit' });
    await page.waitForFunction(() => (window as { appStartedAt?: number }).appStartedAt !== undefined);
    const timing = await page.evaluate(() => {
      const w = window as unknown as { signInShownAt: number; appStartedAt: number };
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
      // Shown: in the document and painted (the stylesheet has arrived).
      const shown = Math.max(w.signInShownAt, fcp);
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const before = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
        (r) => r.startTime < w.appStartedAt,
      );
      return {
        shown,
        fcp,
        started: w.appStartedAt,
        bytes: nav.transferSize + before.reduce((n, r) => n + r.transferSize, 0),
        files: before.map((r) => new URL(r.name).pathname),
      };
    });
    notes.push(
      `sign-in page on Fast 3G, CPU 4× slower: shown (painted) at ${Math.round(timing.shown)} ms (budget 1,000 ms), ` +
        `the app took over at ${Math.round(timing.started)} ms, ` +
        `${(timing.bytes / 1024).toFixed(1)} KiB transferred until then`,
    );
    expect(timing.shown, 'shown before the app’s script ran').toBeLessThan(timing.started);
    expect([...encodings.values()].every((e) => e === 'br')).toBe(true);
    // One script (the page's stylesheet is inline): no router, no campaign pages, no reports' charts.
    expect(timing.files.map((f) => f.replace(/-[\w-]{8}\./, '.'))).toEqual(['/hq/assets/index.js']);
    expect(timing.bytes).toBeLessThan(90 * 1024);
  }, 60_000);

  it('keeps what a visitor typed into the pre-rendered sign-in page before the app started, and the focus', async () => {
    const context = await browser.newContext({ viewport: SIZES[0] });
    contexts.push(context);
    const page = await context.newPage();
    // The app's script is held back until the visitor has typed: the page is usable before it (HTML only).
    let release!: () => void;
    const typed = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/hq\/assets\/index-[\w-]+\.js$/, async (route) => {
      await typed;
      await route.continue();
    });
    await page.goto(hq, { waitUntil: 'commit' });
    const prerendered = page.locator('[data-prerendered] input[name="email"]');
    await prerendered.fill('editor@demo.test');
    expect(await page.getByRole('button', { name: 'Sign in' }).isDisabled(), 'no native submit before the app').toBe(
      true,
    );
    release();
    await prerendered.waitFor({ state: 'detached' });
    const email = page.getByLabel('Email');
    expect(await email.inputValue()).toBe('editor@demo.test');
    expect(await email.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('user-email').filter({ hasText: 'editor@demo.test' }).waitFor();
  }, 60_000);
});
