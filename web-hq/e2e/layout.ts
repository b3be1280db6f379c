/** What every dashboard browser test checks of a page: accessibility, and that the layout holds at both sizes. */
import AxeBuilder from '@axe-core/playwright';
import { ROOT } from '@phub/e2e';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const ARTIFACTS = path.join(ROOT, 'artifacts/web-hq');
export const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
] as const;

/** WCAG 2 A/AA in the page as it is now; serious and critical violations fail the test. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  expect(report, `accessibility violations on ${what}`).toEqual([]);
}

/**
 * Screenshots at both sizes into artifacts/web-hq/<name>-<w>x<h>.png; the layout must hold: no horizontal
 * scrolling and the main navigation on screen.
 */
export async function screenshots(
  page: Page,
  name: string,
  sizes: readonly { width: number; height: number }[] = SIZES,
): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const size of sizes) {
    await page.setViewportSize(size);
    await page.waitForTimeout(400); // let the layout settle (charts resize on their own)
    const layout = await page.evaluate(() => ({
      scrollWidth: (document.scrollingElement ?? document.documentElement).scrollWidth,
      innerWidth: window.innerWidth,
    }));
    expect(layout.scrollWidth, `${name} at ${size.width}×${size.height} scrolls sideways`).toBeLessThanOrEqual(
      layout.innerWidth,
    );
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.isVisible(), `${name}: the main navigation is on screen`).toBe(true);
    const box = (await nav.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(size.width);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${size.width}x${size.height}.png`), fullPage: true });
  }
  await page.setViewportSize(sizes[0] ?? SIZES[0]);
}
