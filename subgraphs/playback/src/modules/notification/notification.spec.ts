import { outboundMetrics } from '@phub/kit';
import { SnsStandIn, waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPLAY_1, heartbeat, startPlayback, type PlaybackHarness } from '../../testing/harness.js';
import { NotificationService } from './notification.service.js';

const TOPIC = 'arn:aws:sns:eu-west-1:000000000000:phub-alerts';
const RECORD = `mutation($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted } }`;
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

/** `phub_outbound_deliveries_total` of playback's notifications, by channel and outcome. */
async function counted(): Promise<Record<string, number>> {
  const by: Record<string, number> = {};
  for (const v of (await outboundMetrics.deliveries.get()).values) {
    if (v.labels.family === 'playback') by[`${v.labels.channel} ${v.labels.outcome}`] = v.value;
  }
  return by;
}

describe(NotificationService.name, () => {
  let h: PlaybackHarness;
  let sns: SnsStandIn;
  beforeAll(async () => {
    sns = await SnsStandIn.start();
    // The SDK's default credential chain (environment), as in a pod with keys in its environment.
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'example-secret';
    h = await startPlayback({ SNS_TOPIC_ARN: TOPIC, SNS_REGION: 'eu-west-1', SNS_ENDPOINT: sns.url });
    await h.gql(
      `mutation { setNotificationSettings(input: { emails: ["ops@example.com"], phones: ["+447700900123"] }) { emails } }`,
      {},
      await h.token('hqAdmin'),
    );
  });
  afterAll(async () => {
    await h?.stop();
    await sns?.stop();
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  });

  /** A heartbeat now, then 91 s of silence and the health sweep: DISPLAY_1 goes OFFLINE and ops are told. */
  async function goOffline(): Promise<void> {
    const at = h.clock.now();
    await h.gql(RECORD, { i: { heartbeats: [heartbeat(at)] } }, await h.token('device'));
    await waitFor(async () => {
      const r = await h.db.query(`SELECT last_seen_at FROM playback.display_state WHERE display_id = $1`, [DISPLAY_1]);
      return (r.rows[0] as { last_seen_at: Date } | undefined)?.last_seen_at?.getTime() === at;
    });
    await h.evaluate();
    h.clock.advance(91_000);
    await h.evaluate();
  }

  it('publishes the alert to the topic and texts each phone through SNS, and counts each delivery for ops', async () => {
    const before = await counted();
    await goOffline();
    await waitFor(() => sns.requests.length === 2);
    expect(sns.requests.map((r) => [r.fields['TopicArn'] ?? null, r.phoneNumber || null])).toEqual([
      [TOPIC, null],
      [null, '+447700900123'],
    ]);
    const after = await counted();
    const grew = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
    expect([grew('email delivered'), grew('sms delivered'), grew('email failed')]).toEqual([1, 1, 0]);
  });

  it('counts a notification SNS refuses as failed deliveries; the alert itself stands', async () => {
    await h.gql(RECORD, { i: { heartbeats: [heartbeat(h.clock.now())] } }, await h.token('device'));
    await h.evaluate(); // back online: the OFFLINE alert resolves
    const before = await counted();
    const sent = sns.requests.length;
    sns.script.push({ ok: false, status: 403, code: 'AuthorizationError', message: 'not allowed to publish' });
    await goOffline();
    await waitFor(async () => (await counted())['email failed'] !== before['email failed']);
    expect(sns.requests.length).toBe(sent + 1); // the topic refused: the phones were not tried
    const after = await counted();
    const grew = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
    expect([grew('email failed'), grew('sms failed'), grew('email delivered')]).toEqual([1, 1, 0]);
    expect(await h.count('alert', `kind = 'OFFLINE' AND state = 'RAISED'`)).toBe(1);
  });
});
