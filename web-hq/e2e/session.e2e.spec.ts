import { launchChromium, PlatformProcess } from '@phub/e2e';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, expectAccessible, SIZES } from './layout.js';

/** Issue 17 item 13: one sign-in for every tab, surviving reloads, with no readable long-lived credential. */
describe('HQ sessions in Chromium', () => {
  let platform: PlatformProcess;
  let browser: Browser;
  let origin: string;
  let hq: string;
  const contexts: BrowserContext[] = [];

  const newContext = async (): Promise<BrowserContext> => {
    const context = await browser.newContext({ viewport: SIZES[0] });
    context.setDefaultTimeout(30_000);
    contexts.push(context);
    return context;
  };

  const signedInAs = (page: Page, email: string) => page.getByTestId('user-email').filter({ hasText: email }).waitFor();

  const signIn = async (page: Page, email: string) => {
    await page.goto(hq);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await signedInAs(page, email);
  };

  beforeAll(async () => {
    [platform, browser] = await Promise.all([PlatformProcess.start('all'), launchChromium()]);
    origin = new URL(platform.urls.gateway!).origin;
    hq = `${origin}/hq/`;
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const [i, c] of contexts.entries()) {
      for (const [j, p] of c.pages().entries()) {
        await p.screenshot({ path: path.join(ARTIFACTS, `failed-session-${i}-${j}.png`) }).catch(() => undefined);
      }
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
  }, 60_000);

  it('one sign-in serves every tab and survives reloads; page scripts never see the refresh token', async () => {
    const context = await newContext();
    const first = await context.newPage();
    await signIn(first, 'editor@demo.test');

    // The refresh token is an HttpOnly cookie scoped to the session endpoint: nothing a script can read holds it.
    const cookies = await context.cookies(`${origin}/auth/session/hq`);
    const session = cookies.find((c) => c.name === 'phub_session');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/auth/session/hq' });
    const visible = await first.evaluate(() => ({
      cookie: document.cookie,
      stored: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    }));
    expect(visible.cookie).not.toContain(session!.value);
    expect(visible.stored).not.toContain(session!.value);
    expect(visible.stored).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no access token (a JWT) at rest either

    // A reload keeps the session, and a new tab opens signed in.
    await first.reload();
    await signedInAs(first, 'editor@demo.test');
    const second = await context.newPage();
    await second.goto(`${hq}campaigns`);
    await signedInAs(second, 'editor@demo.test');

    // Both tabs reloading at once renew one after the other (a refresh token works once; two renewals with the
    // same cookie would end the session for safety), so both stay signed in.
    await Promise.all([first.reload(), second.reload()]);
    await Promise.all([signedInAs(first, 'editor@demo.test'), signedInAs(second, 'editor@demo.test')]);

    // The store app on the same origin keeps its own session: its cookie's path is its own (the store app is not
    // built before this suite runs in CI, so the cookie says it, not its page; session.routes.spec.ts holds the rest).
    expect(await context.cookies(`${origin}/auth/session/retail`)).toEqual([]);

    // Signing out in one tab signs every tab out.
    await second.getByRole('button', { name: 'Sign out' }).click();
    await second.getByRole('heading', { name: 'Sign in' }).waitFor();
    await first.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 10_000 });
    await first.reload();
    await first.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect((await context.cookies(`${origin}/auth/session/hq`)).find((c) => c.name === 'phub_session')).toBeUndefined();
  });

  it('a reload while the platform is unreachable says so and keeps the session, then carries on by itself', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page, 'hq@demo.test');

    // The network to the platform fails (the app's own files still load): the session endpoint and the graph.
    const down = (url: URL) => url.pathname.startsWith('/auth/') || url.pathname === '/graphql';
    await context.route(down, (route) => route.abort('connectionrefused'));
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'Cannot reach the platform' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Your session is kept');
    expect(await page.getByLabel('Password').count()).toBe(0);
    await expectAccessible(page, 'the unreachable page');
    // No navigation on this page (it is not signed in yet), so not the dashboard's screenshots() helper.
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const size of [SIZES[0], { width: 390, height: 844 }]) {
      await page.setViewportSize(size);
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(widths[0], `no sideways scrolling at ${size.width}px`).toBeLessThanOrEqual(widths[1]!);
      await page.screenshot({ path: path.join(ARTIFACTS, `session-unreachable-${size.width}x${size.height}.png`) });
    }

    // Back online: the page signs itself back in (it retries every few seconds) without a password.
    await context.unroute(down);
    await page.getByTestId('user-email').filter({ hasText: 'hq@demo.test' }).waitFor({ timeout: 15_000 });
  });

  it('a visitor without a session gets the sign-in page without a round trip to the platform', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const asked: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/auth/')) asked.push(r.url());
    });
    await page.goto(hq);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(asked).toEqual([]);
    // A wrong password is refused with words, and sets no cookie.
    await page.getByLabel('Email').fill('editor@demo.test');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Wrong email or password').waitFor();
    expect((await context.cookies(`${origin}/auth/session/hq`)).length).toBe(0);
  });
});
