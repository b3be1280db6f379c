import { graphql, launchChromium, login, PlatformProcess } from '@phub/e2e';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, expectAccessible, PHONE, screenshots, SIZES } from './layout.js';

const STORE = 'London Oxford Street';
const TABLET = SIZES[1];
const DESK = SIZES[2];
const ALL_DAY = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].map((day) => ({
  day,
  opens: '00:00',
  closes: '24:00',
}));
const londonDay = (offsetDays: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

describe('Store data, bookings and campaign offers in the store app', () => {
  let platform: PlatformProcess;
  let browser: Browser;
  let gateway: string;
  let retail: string;
  let manager: string;
  let store: string;
  const contexts: BrowserContext[] = [];
  const pages: Page[] = [];
  const notes: string[] = [];

  const newPage = async (
    viewport: { width: number; height: number } = PHONE,
    options: { locale?: string } = {},
  ): Promise<Page> => {
    const context = await browser.newContext({ viewport, ...options });
    contexts.push(context);
    // The CPU is shared with other work: allow for slow steps rather than fail on them.
    context.setDefaultTimeout(45_000);
    const page = await context.newPage();
    pages.push(page);
    page.on('pageerror', (err) => notes.push(`page error: ${err.message}`));
    return page;
  };

  const signIn = async (page: Page, email: string): Promise<void> => {
    await page.goto(retail);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: STORE, level: 1 }).waitFor();
  };
  const tab = (page: Page, name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();

  beforeAll(async () => {
    [platform, browser] = await Promise.all([PlatformProcess.start('all'), launchChromium()]);
    gateway = platform.urls.gateway!;
    retail = `${new URL(gateway).origin}/retail/`;
    manager = await login(gateway, 'manager@demo.test');
    const stores = await graphql<{ stores: { edges: { node: { id: string; name: string } }[] } }>(
      gateway,
      '{ stores(first: 100) { edges { node { id name } } } }',
      {},
      manager,
    );
    store = stores.data!.stores.edges.map((e) => e.node).find((s) => s.name === STORE)!.id;
  }, 300_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      mkdirSync(ARTIFACTS, { recursive: true });
      for (const [i, p] of pages.entries()) {
        await p
          .screenshot({ path: path.join(ARTIFACTS, `failed-${ctx.task.name.slice(0, 20)}-${i}.png`), fullPage: true })
          .catch(() => undefined);
      }
    }
    pages.length = 0;
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
    if (notes.length) console.warn(`store data e2e:\n  ${notes.join('\n  ')}`);
  }, 60_000);

  it('a manager edits contact, a holiday, a zone and a display’s zone; staff read the same without controls', async () => {
    const page = await newPage();
    await signIn(page, 'manager@demo.test');
    await tab(page, 'Store');
    await page.getByRole('heading', { name: 'Store data', level: 1 }).waitFor();

    // Contact.
    await page.getByText('Edit contact and address').click();
    await page.getByLabel('Phone').fill('+44 20 7946 0000');
    await page.getByLabel('Email').fill('Oxford.Street@Demo.test');
    await page.getByRole('button', { name: 'Save contact and address' }).click();
    await page.locator('#contact-title').locator('..').getByRole('status').getByText('Saved.').waitFor();

    // A holiday: a bad row is explained before anything is sent, then the fixed one is saved.
    const holiday = londonDay(30);
    await page.getByText('Edit holidays and special hours').click();
    await page.getByRole('button', { name: 'Add a day' }).click();
    await page.getByRole('button', { name: 'Save special days' }).click();
    await page.getByText('Choose a date.').waitFor();
    const row = page.locator('li.exception').last();
    await row.getByLabel('Date').fill(holiday);
    await row.getByLabel('Note').fill('Stocktaking');
    await page.getByRole('button', { name: 'Save special days' }).click();
    await page.locator('#exceptions-title').locator('..').getByRole('status').getByText('Saved.').waitFor();

    // A zone, and a display moved into it.
    await page.getByLabel('New zone name').fill('Shoe corner');
    await page.getByRole('form', { name: 'Add a zone' }).getByLabel('Kind').selectOption('AISLE');
    await page.getByRole('button', { name: 'Add zone' }).click();
    await expect
      .poll(
        () => page.locator('li.zone input').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value)),
        { timeout: 30_000 },
      )
      .toContain('Shoe corner');
    const card = page.locator('li[data-store-display-id]').first();
    const displayId = (await card.getAttribute('data-store-display-id'))!;
    await card.getByText('Edit display').click();
    await card.getByLabel('Zone').selectOption({ label: 'Shoe corner' });
    await card.getByLabel('Placement').fill('Above the shoe shelves');
    await card.getByRole('button', { name: 'Save display' }).click();
    await card.getByRole('status').getByText('Saved.').waitFor();

    const saved = await graphql<{
      store: {
        contact: { phone: string; email: string };
        openingHoursExceptions: { date: string; closed: boolean; note: string }[];
        displays: { id: string; placement: string; zone: { name: string; kind: string } | null }[];
      };
    }>(
      gateway,
      `
        query ($id: ID!) {
          store(id: $id) {
            contact {
              phone
              email
            }
            openingHoursExceptions {
              date
              closed
              note
            }
            displays {
              id
              placement
              zone {
                name
                kind
              }
            }
          }
        }
      `,
      { id: store },
      manager,
    );
    expect(saved.data!.store.contact).toEqual({ phone: '+44 20 7946 0000', email: 'oxford.street@demo.test' });
    expect(saved.data!.store.openingHoursExceptions).toEqual([{ date: holiday, closed: true, note: 'Stocktaking' }]);
    expect(saved.data!.store.displays.find((d) => d.id === displayId)).toMatchObject({
      placement: 'Above the shoe shelves',
      zone: { name: 'Shoe corner', kind: 'AISLE' },
    });
    await expectAccessible(page, 'store data (manager)');
    await screenshots(page, 'store-data', PHONE);

    // Staff: the same facts, no forms.
    const staff = await newPage(TABLET);
    await signIn(staff, 'staff@demo.test');
    await tab(staff, 'Store');
    await staff.getByText('Only a store manager can change these details.').waitFor();
    await staff.getByText('+44 20 7946 0000').waitFor();
    await staff.getByText('Closed · Stocktaking').waitFor();
    expect(await staff.getByRole('button', { name: /Save/ }).count()).toBe(0);
    expect(await staff.getByText('Edit display').count()).toBe(0);
    await expectAccessible(staff, 'store data (staff)');
    await screenshots(staff, 'store-data-staff', TABLET);
  });

  it('staff check in an appointment from the day’s calendar and hand over a Click&Collect order', async () => {
    const createLine = (input: Record<string, unknown>) =>
      graphql<{ createLine: { id: string } }>(
        gateway,
        'mutation ($input: CreateLineInput!) { createLine(input: $input) { id } }',
        { input: { storeId: store, openingHours: ALL_DAY, ...input } },
        manager,
      );
    const consult = await createLine({ name: 'Consultations', prefix: 'K', slotMinutes: 15 });
    const collect = await createLine({ name: 'Pickups', prefix: 'P', kind: 'COLLECT' });
    expect(consult.errors ?? collect.errors).toBeUndefined();
    const slots = async (day: string) =>
      (
        await graphql<{ appointmentSlots: { start: string; free: number }[] }>(
          gateway,
          'query ($d: String!, $l: ID!) { appointmentSlots(day: $d, lineId: $l) { start free } }',
          { d: day, l: consult.data!.createLine.id },
          manager,
        )
      ).data!.appointmentSlots.map((s) => ({ ...s, day }));
    const next = [...(await slots(londonDay(0))), ...(await slots(londonDay(1)))].find(
      (s) => s.free > 0 && Date.parse(s.start) > Date.now() + 60_000,
    )!;
    const booked = await graphql<{ bookAppointment: { appointment: { id: string } } }>(
      gateway,
      'mutation ($input: BookAppointmentInput!) { bookAppointment(input: $input) { appointment { id } } }',
      { input: { lineId: consult.data!.createLine.id, start: next.start, visitorName: 'Ada Lovelace' } },
      manager,
    );
    expect(booked.errors).toBeUndefined();
    const appointmentId = booked.data!.bookAppointment.appointment.id;
    const order = await graphql<{ createCollectOrder: { order: { id: string } } }>(
      gateway,
      'mutation ($input: CreateCollectOrderInput!) { createCollectOrder(input: $input) { order { id } } }',
      { input: { lineId: collect.data!.createLine.id, reference: 'WEB-4711', customerName: 'Grace Hopper' } },
      manager,
    );
    expect(order.errors).toBeUndefined();
    const orderId = order.data!.createCollectOrder.order.id;

    const page = await newPage();
    await signIn(page, 'staff@demo.test');
    await tab(page, 'Bookings');
    await page.getByRole('heading', { name: 'Appointments' }).waitFor();
    // The calendar opens on the store's today; the booking may be on the next day.
    if (next.day !== londonDay(0)) await page.getByRole('button', { name: 'Next day' }).click();
    const appointment = page.locator(`li[data-appointment-id="${appointmentId}"]`);
    await appointment.getByText('Ada Lovelace').waitFor();
    const orderCard = page.locator(`li[data-order-id="${orderId}"]`);
    await orderCard.getByText('WEB-4711').waitFor();
    await expectAccessible(page, 'bookings');
    await screenshots(page, 'bookings', PHONE);

    await appointment.getByRole('button', { name: 'Check in' }).click();
    await appointment.getByText(/Ticket K\d+ is in the line/).waitFor();
    await appointment.getByText('Checked in', { exact: true }).waitFor();
    await orderCard.getByRole('button', { name: 'Hand over' }).click();
    await orderCard.waitFor({ state: 'detached' });

    const after = await graphql<{ appointment: { state: string; ticketId: string }; collectOrder: { state: string } }>(
      gateway,
      'query ($a: ID!, $o: ID!) { appointment(id: $a) { state ticketId } collectOrder(id: $o) { state } }',
      { a: appointmentId, o: orderId },
      manager,
    );
    expect(after.data!.appointment.state).toBe('CHECKED_IN');
    expect(after.data!.appointment.ticketId).toBeTruthy();
    expect(after.data!.collectOrder.state).toBe('COLLECTED');
    await screenshots(page, 'bookings-done', DESK, [DESK]);
  });

  it('a manager makes a store campaign with an offer page; its QR opens the offer on a visitor’s phone, counted once', async () => {
    const hq = await login(gateway, 'hq@demo.test');
    const own = await newPage();
    await signIn(own, 'manager@demo.test');
    await tab(own, 'Playback');
    await own.getByRole('button', { name: 'New store campaign' }).click();
    const form = own.getByRole('form', { name: 'New store campaign' });
    // Nothing is sent until the draft makes sense.
    await form.getByRole('button', { name: 'Create draft' }).click();
    await form.getByText('Give the campaign a name.').waitFor();
    await form.getByText('Choose at least one creative to play.').waitFor();
    await form.getByLabel('Name').fill('Winter coats');
    await form.getByRole('checkbox').first().check();
    await form.getByLabel('Offer headline').fill('20% off winter coats');
    await form.getByLabel('Offer details').fill('Show this page at the till.\nOne coat per customer.');
    await form.getByLabel('Button words').fill('See the coats');
    await form.getByLabel('Button link').fill('https://example.com/coats');
    await expectAccessible(own, 'a new store campaign');
    await screenshots(own, 'store-campaign-new', PHONE);
    await form.getByRole('button', { name: 'Create draft' }).click();
    const ownRow = own.locator('li.own-campaign').filter({ hasText: 'Winter coats' });
    await ownRow.getByText('Draft', { exact: true }).waitFor();
    const campaignId = (await ownRow.getAttribute('data-own-campaign-id'))!;
    await ownRow.getByRole('button', { name: 'Submit for review' }).click();
    await ownRow.getByText(/Waiting for HQ review|Live|Approved/).waitFor();
    // HQ approves it (unless the tenant approves store campaigns on submission); an approved one goes live here.
    const status = async () =>
      (
        await graphql<{ campaign: { status: string } }>(
          gateway,
          'query ($id: ID!) { campaign(id: $id) { status } }',
          { id: campaignId },
          manager,
        )
      ).data!.campaign.status;
    if ((await status()) === 'IN_REVIEW') {
      const approved = await graphql(
        gateway,
        'mutation ($id: ID!) { approveCampaign(id: $id, goLive: false) { status } }',
        { id: campaignId },
        hq,
      );
      expect(approved.errors).toBeUndefined();
      await own.reload();
      await ownRow.getByRole('button', { name: 'Go live' }).click();
    }
    await ownRow.getByText('Live', { exact: true }).waitFor();
    expect(await status()).toBe('LIVE');
    expect(await ownRow.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    await expectAccessible(own, 'store campaigns');
    await screenshots(own, 'store-campaigns', PHONE);

    // The manager finds the QR code on the Playback page.
    const page = await newPage(TABLET);
    await signIn(page, 'manager@demo.test');
    await tab(page, 'Playback');
    const row = page.locator(`li.row[data-campaign-id="${campaignId}"]`);
    await row.getByText('Offer page and QR code').click();
    await row.getByRole('img', { name: 'QR code for the offer “20% off winter coats”' }).waitFor();
    await row.getByText('Not scanned yet').waitFor();
    const url = (await row.getByRole('link', { name: /\/v\/offer\// }).getAttribute('href'))!;
    expect(url).toBe(`${retail}v/offer/${campaignId}`);
    await expectAccessible(page, 'playback with an offer QR');
    await screenshots(page, 'offer-qr', TABLET);

    // A visitor's phone, in German: the offer, its button; a reload is not a second scan.
    const visitor = await newPage(PHONE, { locale: 'de-DE' });
    await visitor.goto(url);
    await visitor.getByRole('heading', { name: '20% off winter coats', level: 1 }).waitFor();
    await visitor.getByText('Angebot', { exact: true }).waitFor();
    expect(await visitor.getByRole('link', { name: 'See the coats' }).getAttribute('href')).toBe(
      'https://example.com/coats',
    );
    await expectAccessible(visitor, 'the offer page');
    await screenshots(visitor, 'offer', PHONE);
    await visitor.reload();
    await visitor.getByRole('heading', { name: '20% off winter coats', level: 1 }).waitFor();
    const scans = await graphql<{ campaign: { landingScanCount: number } }>(
      gateway,
      'query ($id: ID!) { campaign(id: $id) { landingScanCount } }',
      { id: campaignId },
      manager,
    );
    expect(scans.data!.campaign.landingScanCount).toBe(1);

    // An unknown offer is explained.
    await visitor.goto(`${retail}v/offer/7b0a8f7e-1111-4111-8111-111111111111`);
    await visitor.getByRole('alert').getByText('Dieser Code führt zu keinem Angebot').waitFor();
  });
});
