/** What every store-app browser test checks of a page: accessibility, and that the layout holds at three sizes. */
import AxeBuilder from '@axe-core/playwright';
import { ROOT } from '@phub/e2e';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export const ARTIFACTS = path.join(ROOT, 'artifacts/web-retail');
/** A phone, a tablet, a desk screen. */
export const SIZES = [
  { width: 390, height: 844 },
  { width: 768, height: 1024 },
  { width: 1440, height: 900 },
] as const;
export const PHONE = SIZES[0];

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
 * Screenshots at every size into artifacts/web-retail/<name>-<w>x<h>.png; no size may scroll sideways, and the
 * store's navigation (when the page has one) stays on screen. Ends at `restore` (the page's own size).
 */
export async function screenshots(
  page: Page,
  name: string,
  restore: { width: number; height: number },
  sizes: readonly { width: number; height: number }[] = SIZES,
): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const size of sizes) {
    await page.setViewportSize(size);
    await page.waitForTimeout(300);
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    expect(layout.scrollWidth, `${name} at ${size.width}×${size.height} scrolls sideways`).toBeLessThanOrEqual(
      layout.innerWidth,
    );
    const nav = page.getByRole('navigation', { name: 'Main' });
    if (await nav.count()) {
      const box = (await nav.boundingBox())!;
      expect(box.x + box.width, `${name}: the navigation fits`).toBeLessThanOrEqual(size.width);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${size.width}x${size.height}.png`), fullPage: true });
  }
  await page.setViewportSize(restore);
}
