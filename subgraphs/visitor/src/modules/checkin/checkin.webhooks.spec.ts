import { verifyWebhook } from '@phub/kit';
import { WebhookReceiver } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_1, startVisitor, type VisitorHarness } from '../../testing/harness.js';
import { VisitorWebhookEvent } from './checkin.webhooks.js';

const CREATE = `mutation($i: CreateVisitorWebhookEndpointInput!) { createVisitorWebhookEndpoint(input: $i) { secret endpoint { id } } }`;

describe(VisitorWebhookEvent.VISITOR_CHECKED_IN, () => {
  let h: VisitorHarness;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    [h, receiver] = await Promise.all([
      startVisitor({ VISITOR_WEBHOOK_ALLOW_PRIVATE: 'true' }),
      WebhookReceiver.start(),
    ]);
  });
  afterAll(async () => {
    await h?.stop();
    await receiver?.stop();
  });

  it('tells a partner’s endpoint of each check-in, signed, with ids and (with consent) segment keys, nothing personal', async () => {
    const { createVisitorWebhookEndpoint: created } = await h.as<{
      createVisitorWebhookEndpoint: { secret: string; endpoint: { id: string } };
    }>('partnerRead', CREATE, { i: { url: receiver.url('/cdp'), events: ['VISITOR_CHECKED_IN'] } });
    const consenting = await h.checkIn({
      identifiers: [{ kind: 'PHONE', value: '+447700900555' }],
      name: 'Wendy Webhook',
      consents: [{ purpose: 'PERSONALISED_SCREENS', granted: true }],
    });
    const anonymous = await h.checkIn({
      identifiers: [{ kind: 'LOYALTY_ID', value: 'L-HOOK-2' }],
      name: 'Noel Noconsent',
    });

    const jobs = await h.openJobs();
    try {
      await h.runJob(jobs, 'visitor.webhooks');
    } finally {
      await jobs.close();
    }
    const got = receiver.at('/cdp');
    expect(got).toHaveLength(2);
    for (const r of got) {
      expect(verifyWebhook(created.secret, r.body, r.headers['phub-signature'] as string, h.clock.now() / 1000)).toBe(
        true,
      );
      expect(r.headers['phub-event']).toBe('VISITOR_CHECKED_IN');
      // Nothing personal: no name, no phone, no loyalty number.
      expect(r.body).not.toMatch(/Wendy|Noel|\+447700900555|L-HOOK-2/);
    }
    const bodies = got.map((r) => JSON.parse(r.body) as { storeId: string; checkIn: Record<string, unknown> });
    // Deliveries of the same instant go in any order.
    const byId = new Map(bodies.map((b) => [b.checkIn['id'], b.checkIn]));
    expect(byId.get(consenting.checkInId)).toMatchObject({ visitorId: consenting.visitorId, source: 'DESK' });
    expect(byId.get(anonymous.checkInId)).toMatchObject({ visitorId: anonymous.visitorId, segmentKeys: [] });
    expect(bodies.every((b) => b.storeId === STORE_1)).toBe(true);
  });
});
