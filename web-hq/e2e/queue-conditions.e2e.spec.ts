import { graphql, launchChromium, login, PlatformProcess } from '@phub/e2e';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, expectAccessible, screenshots } from './layout.js';
import { signIn } from './player.js';

const DESK = { width: 1440, height: 900 };
const DESKTOP = { width: 1280, height: 800 };
/** A phone with its on-screen keyboard up: the page shows above it. */
const PHONE_TYPING = { width: 390, height: 520 };
const PHONE = { width: 390, height: 844 };

interface Condition {
  lineId: string | null;
  minWaiting: number | null;
  minWaitMinutes: number | null;
}

/** The text of the line a condition row has chosen. */
const chosen = (row: Locator) => row.getByLabel('Line', { exact: true }).locator('option:checked').textContent();
/** Waits until the row's line choice reads `text` (the line's name comes after the campaign). */
const untilChosen = (row: Locator, text: string) =>
  row.getByLabel('Line', { exact: true }).locator('option:checked', { hasText: text }).waitFor({ state: 'attached' });

describe('The campaign editor keeps queue conditions (web-hq) in Chromium', () => {
  let platform: PlatformProcess;
  let browser: Browser;
  let gateway: string;
  let origin: string;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];

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
          .screenshot({ path: path.join(ARTIFACTS, `failed-queue-conditions-${i}.png`), fullPage: true })
          .catch(() => undefined);
      }
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
  }, 60_000);

  it('a campaign made over the graph with queue conditions keeps them through an HQ save, and takes a changed threshold', async () => {
    const token = await login(gateway, 'editor@demo.test');
    // A line of a demo store, for a condition naming a line of a store the targeting does not name.
    const stores = await graphql<{ stores: { edges: { node: { id: string; name: string } }[] } }>(
      gateway,
      '{ stores(first: 1) { edges { node { id name } } } }',
      {},
      token,
    );
    const { id: storeId, name: storeName } = stores.data!.stores.edges[0]!.node;
    const lines = await graphql<{ queueLines: { id: string; name: string }[] }>(
      gateway,
      'query ($s: ID!) { queueLines(storeId: $s) { id name } }',
      { s: storeId },
      token,
    );
    expect(lines.errors).toBeUndefined();
    const line = lines.data!.queueLines[0]!;
    // A line id the graph does not know (a line since deleted, say): "a line that could not be read", kept all the same.
    const gone = '00000000-0000-4000-8000-000000000000';

    const name = `Long queue ${Date.now()}`;
    const created = await graphql<{ createCampaign: { id: string } }>(
      gateway,
      'mutation ($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }',
      {
        input: {
          name,
          targeting: {
            include: [{ kind: 'DISPLAY_TAG', value: 'queue' }],
            queue: [
              { lineId: null, minWaiting: 5 },
              { lineId: line.id, minWaitMinutes: 15 },
              { lineId: gone, minWaiting: 2, minWaitMinutes: 3 },
            ],
          },
        },
      },
      token,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createCampaign.id;
    const queueOf = async () => {
      const r = await graphql<{ campaign: { name: string; targeting: { queue: Condition[] } } }>(
        gateway,
        'query ($id: ID!) { campaign(id: $id) { name targeting { queue { lineId minWaiting minWaitMinutes } } } }',
        { id },
        token,
      );
      expect(r.errors).toBeUndefined();
      return r.data!.campaign;
    };

    const context = await browser.newContext({ viewport: DESK });
    contexts.push(context);
    context.setDefaultTimeout(45_000);
    const page = await context.newPage();
    pages.push(page);
    // Saves and waits until the editor holds what it sent (its "unsaved changes" notice goes).
    const save = async () => {
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('You have unsaved changes.').waitFor({ state: 'hidden' });
    };

    await signIn(page, origin, 'editor@demo.test');
    await page.goto(`${origin}/hq/campaigns/${id}`);
    await page.getByRole('heading', { name, level: 1 }).waitFor();

    // Every condition is shown: the any-line one with its threshold, the specific one by the line's name.
    const queue = page.getByRole('group', { name: 'While the queue is long' });
    const first = queue.getByRole('listitem', { name: 'Queue condition 1' });
    const second = queue.getByRole('listitem', { name: 'Queue condition 2' });
    expect(await chosen(first)).toBe('Any line of the display’s store');
    expect(await first.getByLabel('People waiting, at least').inputValue()).toBe('5');
    expect(await first.getByLabel('Minutes of wait, at least').inputValue()).toBe('');
    await untilChosen(second, line.name);
    // Its store is not targeted: the line stands apart from any offered, under its store's name.
    expect(await second.getByLabel('Line', { exact: true }).locator('optgroup').getAttribute('label')).toBe(
      `${storeName} (not targeted)`,
    );
    await second.getByText(`Counts only on the displays of ${storeName}.`).waitFor();
    expect(await second.getByLabel('Minutes of wait, at least').inputValue()).toBe('15');
    const third = queue.getByRole('listitem', { name: 'Queue condition 3' });
    await untilChosen(third, 'A line that could not be read');
    await third.getByText('Details').click();
    await third.getByText(gone).waitFor();
    await expectAccessible(page, 'the editor with queue conditions');
    await queue.scrollIntoViewIfNeeded();
    await screenshots(page, 'editor-queue-conditions', [DESK, PHONE]);
    for (const size of [DESK, PHONE]) {
      await page.setViewportSize(size);
      await queue.screenshot({ path: path.join(ARTIFACTS, `queue-conditions-${size.width}x${size.height}.png`) });
    }
    await page.setViewportSize(DESK);

    // Renaming and saving keeps the conditions (the graph's default [] used to drop them).
    const renamed = `${name} (renamed)`;
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(renamed);
    await save();
    expect(await queueOf()).toEqual({
      name: renamed,
      targeting: {
        queue: [
          { lineId: null, minWaiting: 5, minWaitMinutes: null },
          { lineId: line.id, minWaiting: null, minWaitMinutes: 15 },
          { lineId: gone, minWaiting: 2, minWaitMinutes: 3 },
        ],
      },
    });

    // A condition with neither threshold is refused under its fields; then a changed threshold is saved.
    await first.getByLabel('People waiting, at least').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await first.getByText('Set people waiting, the wait in minutes, or both.').waitFor();
    expect(await first.getByLabel('People waiting, at least').getAttribute('aria-invalid')).toBe('true');
    await first.getByLabel('People waiting, at least').fill('8');
    await save();
    expect((await queueOf()).targeting.queue).toEqual([
      { lineId: null, minWaiting: 8, minWaitMinutes: null },
      { lineId: line.id, minWaiting: null, minWaitMinutes: 15 },
      { lineId: gone, minWaiting: 2, minWaitMinutes: 3 },
    ]);

    // An any-line condition added in HQ, and one removed, are saved as such. Without a Store rule the targeting
    // offers no line, and says how to get one.
    await queue.getByRole('button', { name: 'Add a queue condition' }).click();
    const added = queue.getByRole('listitem', { name: 'Queue condition 4' });
    await added.getByText('A specific line can be chosen once the campaign targets a store').waitFor();
    expect(await added.getByLabel('Line', { exact: true }).locator('option').allTextContents()).toEqual([
      'Any line of the display’s store',
    ]);
    await added.getByLabel('Minutes of wait, at least').fill('20');
    await queue.getByRole('button', { name: 'Remove queue condition 1' }).click();
    await save();
    expect((await queueOf()).targeting.queue).toEqual([
      { lineId: line.id, minWaiting: null, minWaitMinutes: 15 },
      { lineId: gone, minWaiting: 2, minWaitMinutes: 3 },
      { lineId: null, minWaiting: null, minWaitMinutes: 20 },
    ]);

    // The summary's "Where" names them.
    await page.goto(`${origin}/hq/campaigns/${id}/summary`);
    await page
      .getByText(
        `Display tag queue; only while the queue is long (line “${line.name}” of ${storeName} with a wait of at least 15 minutes, or a specific line with at least 2 people waiting and a wait of at least 3 minutes, or any line of the store with a wait of at least 20 minutes)`,
      )
      .waitFor();
  });
  it('a user picks a line of a store the campaign targets, on a phone: saved by id, named after a reload and in the summary', async () => {
    const token = await login(gateway, 'editor@demo.test');
    const admin = await login(gateway, 'hq@demo.test');
    const stores = await graphql<{ stores: { edges: { node: { id: string; name: string } }[] } }>(
      gateway,
      '{ stores(first: 10) { edges { node { id name } } } }',
      {},
      token,
    );
    const store = stores.data!.stores.edges.map((e) => e.node).find((s) => s.name === 'London Oxford Street')!;
    const lines = await graphql<{ queueLines: { id: string; name: string }[] }>(
      gateway,
      'query ($s: ID!) { queueLines(storeId: $s) { id name } }',
      { s: store.id },
      token,
    );
    const returns = lines.data!.queueLines.find((l) => l.name === 'Returns')!;
    // An archived line of the same store: the graph still has it, HQ must not offer it.
    const archivedName = `Closed counter ${Date.now()}`;
    const made = await graphql<{ createLine: { id: string } }>(
      gateway,
      'mutation ($input: CreateLineInput!) { createLine(input: $input) { id } }',
      { input: { storeId: store.id, name: archivedName, prefix: 'Z' } },
      admin,
    );
    expect(made.errors).toBeUndefined();
    const archived = await graphql(
      gateway,
      'mutation ($id: ID!) { archiveLine(id: $id) { id } }',
      { id: made.data!.createLine.id },
      admin,
    );
    expect(archived.errors).toBeUndefined();

    const name = `Returns queue ${Date.now()}`;
    const created = await graphql<{ createCampaign: { id: string } }>(
      gateway,
      'mutation ($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }',
      { input: { name, targeting: { include: [{ kind: 'DISPLAY_TAG', value: 'queue' }] } } },
      token,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createCampaign.id;

    const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
    contexts.push(context);
    context.setDefaultTimeout(45_000);
    const page = await context.newPage();
    pages.push(page);
    await signIn(page, origin, 'editor@demo.test');
    await page.goto(`${origin}/hq/campaigns/${id}`);
    await page.getByRole('heading', { name, level: 1 }).waitFor();

    // The user targets the store, then picks its Returns line.
    await page.getByLabel('Rule kind').selectOption('STORE');
    await page.getByLabel('Store', { exact: true }).selectOption({ label: store.name });
    await page.getByRole('button', { name: 'Include', exact: true }).click();
    const queue = page.getByRole('group', { name: 'While the queue is long' });
    await queue.getByRole('button', { name: 'Add a queue condition' }).click();
    const row = queue.getByRole('listitem', { name: 'Queue condition 1' });
    const picker = row.getByLabel('Line', { exact: true });
    await picker.locator('option', { hasText: returns.name }).waitFor({ state: 'attached' });
    const offered = await picker.locator('option').allTextContents();
    expect(offered).toContain('Information');
    expect(offered).not.toContain(archivedName);
    expect(await picker.locator('optgroup').getAttribute('label')).toBe(store.name);
    await picker.selectOption({ label: returns.name });
    await row.getByLabel('People waiting, at least').fill('5');
    await row.getByText(`Counts only on the displays of ${store.name}.`).waitFor();

    // Finger-sized on the phone, nothing cut off or scrolling sideways; then the same at desktop size.
    for (const control of [picker, row.getByLabel('People waiting, at least'), row.getByRole('button')]) {
      expect((await control.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    }
    await expectAccessible(page, 'a queue condition with a line picked');
    await screenshots(page, 'editor-queue-line-picked', [PHONE, DESKTOP]);
    for (const size of [PHONE, DESKTOP]) {
      await page.setViewportSize(size);
      await queue.scrollIntoViewIfNeeded();
      await queue.screenshot({ path: path.join(ARTIFACTS, `queue-line-picked-${size.width}x${size.height}.png`) });
    }
    await page.setViewportSize(PHONE);

    // With its keyboard up a phone shows a short page, the Save button at the bottom: the error toast of a refused
    // save (it stays while touched) must leave the button free to tap again, and so must the success toast.
    await page.setViewportSize(PHONE_TYPING);
    const saveButton = page.getByRole('button', { name: 'Save changes' });
    const clearOfSave = async (toast: Locator, what: string) => {
      await toast.waitFor();
      const [t, b] = [(await toast.boundingBox())!, (await saveButton.boundingBox())!];
      const overlaps = t.x < b.x + b.width && b.x < t.x + t.width && t.y < b.y + b.height && b.y < t.y + t.height;
      expect(overlaps, `${what} covers the Save button`).toBe(false);
    };
    await row.getByLabel('People waiting, at least').fill('');
    await saveButton.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await saveButton.click();
    await clearOfSave(page.locator('.toaster .toast--error'), 'the error toast');
    await page.screenshot({ path: path.join(ARTIFACTS, `queue-line-refused-toast-390x${PHONE_TYPING.height}.png`) });
    await row.getByLabel('People waiting, at least').fill('5');
    await saveButton.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await saveButton.click();
    await page.getByText('You have unsaved changes.').waitFor({ state: 'hidden' });
    await clearOfSave(page.locator('.toaster .toast--success'), 'the success toast');
    await page.setViewportSize(PHONE);

    // The graph holds the line by id, the store rule beside it.
    const saved = await graphql<{
      campaign: { targeting: { include: { kind: string; value: string }[]; queue: Condition[] } };
    }>(
      gateway,
      'query ($id: ID!) { campaign(id: $id) { targeting { include { kind value } queue { lineId minWaiting minWaitMinutes } } } }',
      { id },
      token,
    );
    expect(saved.errors).toBeUndefined();
    expect(saved.data!.campaign.targeting).toEqual({
      include: [
        { kind: 'DISPLAY_TAG', value: 'queue' },
        { kind: 'STORE', value: store.id },
      ],
      queue: [{ lineId: returns.id, minWaiting: 5, minWaitMinutes: null }],
    });

    // After a reload the condition names its line; the summary does too.
    await page.reload();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await untilChosen(queue.getByRole('listitem', { name: 'Queue condition 1' }), returns.name);
    await page.goto(`${origin}/hq/campaigns/${id}/summary`);
    await page
      .getByText(
        `only while the queue is long (line “${returns.name}” of ${store.name} with at least 5 people waiting)`,
      )
      .waitFor();
  });
});
