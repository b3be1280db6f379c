/** A display player in the browser tests: paired from HQ through the graph, and what its stage shows. */
import { graphql } from '@phub/e2e';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The item the stage shows now: the renderer adds an item hidden while it loads, then shows it. */
export const VISIBLE_ITEM = '#stage .item[data-seq]:not([style*="hidden"])';

/** Opens the player and claims its pairing code for the display, as an HQ admin (`token`) does. */
export async function pairPlayer(
  player: Page,
  origin: string,
  gateway: string,
  displayId: string,
  token: string,
): Promise<void> {
  await player.goto(`${origin}/player/`);
  const codeEl = player.locator('#pairing-code[data-code]');
  await codeEl.waitFor();
  const claimed = await graphql(
    gateway,
    'mutation ($code: String!, $d: ID!) { claimPairingCode(code: $code, displayId: $d) { status } }',
    { code: await codeEl.getAttribute('data-code'), d: displayId },
    token,
  );
  expect(claimed.errors).toBeUndefined();
}

/** The creative on a player's stage now (its visible item), or null between items. */
export const onStage = (player: Page) =>
  player.evaluate((sel) => document.querySelector<HTMLElement>(sel)?.dataset.creativeId ?? null, VISIBLE_ITEM);

/** Waits until the creative is the visible item on the player's stage. */
export const untilOnStage = (player: Page, creativeId: string, timeout: number) =>
  player.waitForFunction(
    ([sel, c]) => document.querySelector<HTMLElement>(sel!)?.dataset.creativeId === c,
    [VISIBLE_ITEM, creativeId],
    { timeout },
  );

/** Signs in to the dashboard at `origin`/hq/ and waits for the signed-in banner. */
export async function signIn(page: Page, origin: string, email: string): Promise<void> {
  await page.goto(`${origin}/hq/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('user-email').filter({ hasText: email }).waitFor();
}
