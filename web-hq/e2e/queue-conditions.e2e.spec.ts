import { graphql, launchChromium, login, PlatformProcess } from '@phub/e2e';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, expectAccessible, screenshots } from './layout.js';
import { signIn } from './player.js';

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

interface Condition {
  lineId: string | null;
  minWaiting: number | null;
  minWaitMinutes: number | null;
}

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
    // A line of a demo store, for a condition naming a specific line (HQ cannot choose one, but must keep it).
    const stores = await graphql<{ stores: { edges: { node: { id: string } }[] } }>(
      gateway,
      '{ stores(first: 1) { edges { node { id } } } }',
      {},
      token,
    );
    const storeId = stores.data!.stores.edges[0]!.node.id;
    const lines = await graphql<{ queueLines: { id: string; name: string }[] }>(
      gateway,
      'query ($s: ID!) { queueLines(storeId: $s) { id name } }',
      { s: storeId },
      token,
    );
    expect(lines.errors).toBeUndefined();
    const line = lines.data!.queueLines[0]!;
    // A line id the graph does not know (a line since deleted, say): shown as "a specific line", kept all the same.
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

    // Both conditions are shown: the any-line one with its threshold, the specific one by the line's name.
    const queue = page.getByRole('group', { name: 'While the queue is long' });
    const first = queue.getByRole('listitem', { name: 'Queue condition 1' });
    const second = queue.getByRole('listitem', { name: 'Queue condition 2' });
    expect(await first.getByText('Any line of the display’s store').count()).toBe(1);
    expect(await first.getByLabel('People waiting, at least').inputValue()).toBe('5');
    expect(await first.getByLabel('Minutes of wait, at least').inputValue()).toBe('');
    await second.getByText(`Line ${line.name}`).waitFor();
    expect(await second.getByLabel('Minutes of wait, at least').inputValue()).toBe('15');
    const third = queue.getByRole('listitem', { name: 'Queue condition 3' });
    await third.getByText('A specific line').waitFor();
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

    // An any-line condition added in HQ, and one removed, are saved as such.
    await queue.getByRole('button', { name: 'Add a queue condition' }).click();
    const added = queue.getByRole('listitem', { name: 'Queue condition 4' });
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
        `Display tag queue; only while the queue is long (a specific line with a wait of at least 15 minutes, or a specific line with at least 2 people waiting and a wait of at least 3 minutes, or any line of the store with a wait of at least 20 minutes)`,
      )
      .waitFor();
  });
});
