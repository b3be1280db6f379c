import { graphql, launchChromium, login, PlatformProcess } from '@phub/e2e';
import { AemServer } from '@phub/content/testing';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, expectAccessible, screenshots } from './layout.js';
import { signIn } from './player.js';

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/** The layout checks of every dashboard test (no sideways scroll, navigation on screen), and a copy in /tmp. */
async function shoot(page: Page, name: string): Promise<void> {
  await screenshots(page, name, [DESK, PHONE]);
  for (const size of [DESK, PHONE]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `/tmp/aemsources-${name}-${size.width}x${size.height}.png`, fullPage: true });
  }
  await page.setViewportSize(DESK);
}

/** The message under a form field: the element its control names in aria-describedby that says the error. */
async function fieldError(control: Locator): Promise<string> {
  expect(await control.getAttribute('aria-invalid')).toBe('true');
  const ids = (await control.getAttribute('aria-describedby'))?.split(' ') ?? [];
  const page = control.page();
  for (const id of ids) {
    const el = page.locator(`[id="${id}"].field-error`);
    if (await el.count()) return (await el.textContent()) ?? '';
  }
  throw new Error('no error under the field');
}

/**
 * HQ manages its AEM sources in Administration (issue 16): an admin adds one pointing to a local AEM-compatible
 * server (AEM itself cannot run here), tests the connection, breaks and fixes its credentials and sees the health
 * follow; bad addresses are refused under their field; a viewer reads the sources but has no button to change them.
 */
describe('AEM sources in HQ administration (web-hq) in Chromium', () => {
  let aem: AemServer;
  let platform: PlatformProcess;
  let browser: Browser;
  let gateway: string;
  let origin: string;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];
  const notes: string[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: DESK });
    contexts.push(context);
    context.setDefaultTimeout(45_000);
    const page = await context.newPage();
    pages.push(page);
    page.on('pageerror', (err) => notes.push(`page error: ${err.message}`));
    return page;
  };

  beforeAll(async () => {
    aem = await AemServer.start({ kind: 'basic', username: 'phub-reader', password: 'reader-secret' });
    aem.page('/content/phub-demo/en/spring', 'Spring sale');
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
          .screenshot({ path: path.join(ARTIFACTS, `failed-aem-sources-${i}.png`), fullPage: true })
          .catch(() => undefined);
      }
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
    await aem?.close();
    if (notes.length) console.warn(`aem-sources e2e:\n  ${notes.join('\n  ')}`);
  }, 60_000);

  it('an HQ admin adds a source, tests it, breaks and fixes its credentials, and removes another', async () => {
    const page = await newPage();
    await signIn(page, origin, 'hq@demo.test');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'AEM sources' }).click();
    await page.getByRole('heading', { name: 'Administration: AEM sources', level: 1 }).waitFor();
    await page.getByText('No AEM source yet.').waitFor();

    // Adding: what is not an address is refused under its field before anything is sent.
    await page.getByRole('button', { name: 'Add AEM source' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add AEM source' });
    await dialog.waitFor();
    const baseUrl = dialog.getByRole('textbox', { name: 'Base URL' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Author 6.5');
    await baseUrl.fill('author.example.com');
    await dialog.getByRole('radio', { name: /User and password/ }).check();
    await dialog.getByRole('textbox', { name: 'AEM user' }).fill('phub-reader');
    await dialog.getByRole('textbox', { name: 'Password', exact: true }).fill('reader-secret');
    await dialog.getByRole('button', { name: 'Add source' }).click();
    expect(await fieldError(baseUrl)).toContain('full address starting with https://');
    // The keyboard is taken to the field to correct.
    expect(await baseUrl.evaluate((el) => el === document.activeElement)).toBe(true);

    // What only the platform refuses (credentials in the address) comes back under the same field.
    const withCredentials = new URL(aem.url);
    withCredentials.username = 'phub-reader';
    withCredentials.password = 'reader-secret';
    await baseUrl.fill(withCredentials.toString());
    await dialog.getByRole('button', { name: 'Add source' }).click();
    await dialog.locator('.field-error').filter({ hasText: 'takes no credentials' }).waitFor();
    expect(await fieldError(baseUrl)).toContain('credentials go in secret');
    await expectAccessible(page, 'the Add AEM source dialog with a field error');
    await shoot(page, 'add-invalid-url');

    await baseUrl.fill(aem.url);
    await dialog.getByRole('button', { name: 'Add source' }).click();
    await dialog.waitFor({ state: 'detached' });
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Author 6.5' }) });
    await card.waitFor();
    expect(await card.locator('[data-status]').getAttribute('data-status')).toBe('UNKNOWN');
    expect(await card.textContent()).toContain('Stored, never shown');
    expect(await card.textContent()).not.toContain('reader-secret');

    // Test connection: the local AEM answers, the source is connected.
    await card.getByRole('button', { name: 'Test connection to Author 6.5' }).click();
    await card.getByRole('status').filter({ hasText: 'Connection works' }).waitFor();
    await card.locator('[data-status="OK"]').waitFor();
    expect(await card.textContent()).toContain('Last read worked');
    await expectAccessible(page, 'the AEM sources with a connected source');
    await shoot(page, 'healthy');

    // Editing: the password is never shown back; leaving it empty keeps it, a wrong one breaks the connection.
    await card.getByRole('button', { name: 'Edit Author 6.5' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Author 6.5' });
    await edit.waitFor();
    const password = edit.getByRole('textbox', { name: 'Password', exact: true });
    expect(await password.inputValue()).toBe('');
    expect(await edit.textContent()).toContain('Leave this empty to keep it');
    expect(await edit.getByRole('textbox', { name: 'Base URL' }).inputValue()).toBe(aem.url);
    await password.fill('wrong-secret');
    await shoot(page, 'edit');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached' });
    await card.getByRole('button', { name: 'Test connection to Author 6.5' }).click();
    await card.getByRole('status').filter({ hasText: 'Connection failed' }).waitFor();
    await card.locator('[data-status="FAILING"]').waitFor();
    const problem = card.locator('.aem-source-problem');
    expect(await problem.getAttribute('data-error-code')).toBe('UNAUTHORIZED');
    // In words first; the code under Details.
    expect(await problem.locator('.notice-title').textContent()).toContain('AEM refused the credentials');
    expect(await problem.locator('.notice-code').isVisible()).toBe(false);
    await problem.getByText('Details').click();
    expect(await problem.locator('.notice-code').textContent()).toBe('UNAUTHORIZED');
    expect(await card.textContent()).toContain('Reads failed');
    await expectAccessible(page, 'the AEM sources with a failing source');
    await shoot(page, 'unhealthy');

    // Fixing it: the right password, the connection works again.
    await card.getByRole('button', { name: 'Edit Author 6.5' }).click();
    await edit.waitFor();
    await edit.getByRole('textbox', { name: 'Password', exact: true }).fill('reader-secret');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached' });
    await card.getByRole('button', { name: 'Test connection to Author 6.5' }).click();
    await card.getByRole('status').filter({ hasText: 'Connection works' }).waitFor();
    await card.locator('[data-status="OK"]').waitFor();
    expect(await card.locator('.aem-source-problem').count()).toBe(0);

    // The editor's AEM picker reads through the fixed source.
    const admin = await login(gateway, 'hq@demo.test');
    const list = await graphql<{ contentSources: { id: string; name: string }[] }>(
      gateway,
      '{ contentSources { id name } }',
      {},
      admin,
    );
    const id = list.data!.contentSources.find((s) => s.name === 'Author 6.5')!.id;
    const browse = await graphql<{ aemBrowse: { nodes: { name: string }[] } }>(
      gateway,
      'query($id: ID!) { aemBrowse(sourceId: $id, path: "/content/phub-demo/en") { nodes { name } } }',
      { id },
      admin,
    );
    expect(browse.errors).toBeUndefined();
    expect(browse.data!.aemBrowse.nodes.map((n) => n.name)).toEqual(['spring']);

    // Removing: another source, anonymous publish, is added and removed after a confirmation.
    await page.getByRole('button', { name: 'Add AEM source' }).click();
    await dialog.waitFor();
    // A name in use is refused under the name (the graph's CONFLICT names the field).
    const name = dialog.getByRole('textbox', { name: 'Name' });
    await name.fill('Author 6.5');
    await dialog.getByRole('textbox', { name: 'Base URL' }).fill('https://publish.example.com');
    await dialog.getByRole('radio', { name: /No sign-in/ }).check();
    expect(await dialog.getByRole('textbox', { name: 'Password', exact: true }).count()).toBe(0);
    await dialog.getByRole('button', { name: 'Add source' }).click();
    await dialog.locator('.field-error').filter({ hasText: 'exists already' }).waitFor();
    expect(await fieldError(name)).toBe('An AEM source named "Author 6.5" exists already');
    await name.fill('Old publish');
    await dialog.getByRole('button', { name: 'Add source' }).click();
    await dialog.waitFor({ state: 'detached' });
    const spare = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Old publish' }) });
    await spare.getByRole('button', { name: 'Remove Old publish' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove Old publish?' });
    await confirm.getByRole('button', { name: 'Remove source' }).click();
    await spare.waitFor({ state: 'detached' });
    expect(await page.getByRole('heading', { name: 'Author 6.5' }).count()).toBe(1);
  });

  it('an HQ viewer sees the sources and their health, with no button to change them', async () => {
    const admin = await login(gateway, 'hq@demo.test');
    const created = await graphql(
      gateway,
      'mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }',
      {
        i: {
          email: 'viewer@demo.test',
          displayName: 'Vera Viewer',
          roles: ['HQ_VIEWER'],
          password: 'demo-password',
        },
      },
      admin,
    );
    expect(created.errors).toBeUndefined();
    // The API agrees: a viewer may not test (nor change) a source.
    const viewerToken = await login(gateway, 'viewer@demo.test');
    const sources = await graphql<{ contentSources: { id: string }[] }>(
      gateway,
      '{ contentSources { id } }',
      {},
      viewerToken,
    );
    const refused = await graphql(
      gateway,
      'mutation($id: ID!) { testContentSource(id: $id) { id } }',
      { id: sources.data!.contentSources[0]!.id },
      viewerToken,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const page = await newPage();
    await signIn(page, origin, 'viewer@demo.test');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('heading', { name: 'Administration: AEM sources', level: 1 }).waitFor();
    const sections = await page.getByRole('navigation', { name: 'Administration' }).getByRole('link').allTextContents();
    expect(sections.map((s) => s.replace(' (current)', ''))).toEqual(['AEM sources']);
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Author 6.5' }) });
    await card.locator('[data-status="OK"]').waitFor();
    expect(await page.getByRole('button', { name: /Test connection|^Edit|^Remove|Add AEM source/ }).count()).toBe(0);
    expect(await page.getByText('Only HQ administrators change them.').count()).toBe(1);
    await expectAccessible(page, 'the AEM sources for a viewer');
    await shoot(page, 'viewer');

    // The admin-only sections are not reachable by address either.
    await page.goto(`${origin}/hq/admin/users`);
    await page.getByText('There is nothing at this address in the administration.').waitFor();
  });
});
