import { DEMO_TENANT_ID, DomainError, outboundMetrics } from '@phub/kit';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTHER_TENANT, STORE_1, STORE_2, T0, startQueue, type QueueHarness, type Who } from '../../testing/harness.js';
import { SnsStandIn } from '@phub/kit/testing';
import { QUEUE_SMS_JOB } from '../delivery/delivery.job.js';
import { SmsService } from './sms.service.js';

let h: QueueHarness;
let sns: SnsStandIn;
let viaSns: Awaited<ReturnType<QueueHarness['openJobs']>>;
let viaOutbox: Awaited<ReturnType<QueueHarness['openJobs']>>;
const SETTINGS = { QUEUE_SMS_MAX_ATTEMPTS: '3', QUEUE_RETRY_BASE_SECONDS: '30', QUEUE_REMINDER_LEAD_MINUTES: '60' };
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

beforeAll(async () => {
  h = await startQueue(SETTINGS);
  sns = await SnsStandIn.start();
  // The SDK's default credential chain (environment), as in a pod with keys in its environment.
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'example-secret';
  viaSns = await h.openJobs({
    ...SETTINGS,
    QUEUE_SNS_REGION: 'eu-west-1',
    QUEUE_SNS_ENDPOINT: sns.url,
    QUEUE_SMS_SENDER_ID: 'PHUB',
  });
  viaOutbox = await h.openJobs(SETTINGS);
});
afterAll(async () => {
  await h?.stop();
  await sns?.stop();
  process.env.AWS_ACCESS_KEY_ID = saved.id;
  process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
});

const JOIN = `mutation($l: ID!, $p: String, $c: Boolean) { joinQueue(lineId: $l, phone: $p, smsConsent: $c) { token ticket { id number smsConsent } } }`;
async function join(line: string, phone?: string, consent?: boolean) {
  const res = await h.gql<{ joinQueue: { token: string; ticket: { id: string; number: string } } }>(JOIN, {
    l: line,
    p: phone,
    c: consent,
  });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.joinQueue;
}
const callNext = (line: string, desk?: string) =>
  h.as<{ callNext: { id: string } | null }>(
    'staff',
    `mutation($l: ID!, $d: ID) { callNext(lineId: $l, deskId: $d) { id } }`,
    {
      l: line,
      d: desk,
    },
  );
interface Row {
  kind: string;
  status: string;
  ticket_id: string | null;
  body: string;
  attempts: number;
  last_error: string | null;
  provider_message_id: string | null;
  transport: string | null;
}
async function messages(where = 'TRUE', params: unknown[] = []): Promise<Row[]> {
  const res = await h.db.query(`SELECT * FROM queue.sms_message WHERE ${where} ORDER BY created_at, kind`, params);
  return res.rows as Row[];
}
const MY_SMS = `query($t: String!) { myTicket(token: $t) { sms { status notice messages { kind status recipient body transport providerMessageId attempts sentAt } } } }`;

describe(`${SmsService.name} for tickets`, () => {
  it('sends "it is your turn" with the desk to the called ticket and "you are next" to the one that became first, with consent only', async () => {
    const line = await h.createLine(STORE_1, { prefix: 'S', name: 'Returns' });
    const desk = await h.createDesk(STORE_1, [line]);
    const deskName = (
      (await h.db.query(`SELECT name FROM queue.desk WHERE id = $1`, [desk])).rows[0] as { name: string }
    ).name;
    const a = await join(line, '+44 7700 900101', true);
    const b = await join(line, '+447700900102', true);
    const c = await join(line, '+447700900103', false);
    const d = await join(line, undefined, true);
    // A is first the moment it is issued: that is on its join screen, not worth an SMS.
    expect(
      await messages(`store_id = $1 AND ticket_id = ANY($2)`, [STORE_1, [a, b, c, d].map((t) => t.ticket.id)]),
    ).toEqual([]);

    h.clock.advance(1_000);
    await callNext(line, desk);
    const afterFirstCall = await messages(`ticket_id = ANY($1)`, [[a, b, c, d].map((t) => t.ticket.id)]);
    expect(afterFirstCall.map((m) => [m.ticket_id, m.kind, m.status])).toEqual([
      [a.ticket.id, 'CALLED', 'QUEUED'],
      [b.ticket.id, 'NEXT', 'QUEUED'],
    ]);
    expect(afterFirstCall[0]!.body).toBe(`Ticket ${a.ticket.number}: it is your turn. Please go to ${deskName} now.`);
    expect(afterFirstCall[1]!.body).toContain(`Ticket ${b.ticket.number}: you are next in line for Returns`);

    // The worker's job sends them through SNS and records SNS's message ids.
    const before = sns.requests.length;
    await viaSns.run(QUEUE_SMS_JOB);
    // B is called; C is now first but did not consent, D gave no number: neither gets anything.
    h.clock.advance(1_000);
    await callNext(line, desk);
    expect((await messages(`ticket_id = ANY($1)`, [[c.ticket.id, d.ticket.id]])).length).toBe(0);
    const cSms = await h.gql<{ myTicket: { sms: { status: string; notice: string; messages: unknown[] } } }>(MY_SMS, {
      t: c.token,
    });
    expect(cSms.data?.myTicket.sms).toMatchObject({ status: 'NO_CONSENT', messages: [] });
    expect(cSms.data?.myTicket.sms.notice).toMatch(/did not agree/);
    const dSms = await h.gql<{ myTicket: { sms: { status: string } } }>(MY_SMS, { t: d.token });
    expect(dSms.data?.myTicket.sms.status).toBe('NO_PHONE');

    await viaSns.run(QUEUE_SMS_JOB);
    const sent = sns.requests.slice(before);
    expect(sent.map((r) => r.phoneNumber).sort()).toEqual(['+447700900101', '+447700900102', '+447700900102']);
    expect(sent.every((r) => r.attributes['AWS.SNS.SMS.SenderID'] === 'PHUB')).toBe(true);
    const rows = await messages(`ticket_id = ANY($1)`, [[a.ticket.id, b.ticket.id]]);
    expect(rows.every((m) => m.status === 'SENT' && m.transport === 'SNS' && m.attempts === 1)).toBe(true);
    expect(rows.map((m) => m.provider_message_id).sort()).toEqual(sns.messageIds.slice(-3).sort());

    // The visitor's own ticket shows what went to them, the number masked.
    const mine = await h.gql<{ myTicket: { sms: { status: string; messages: Record<string, unknown>[] } } }>(MY_SMS, {
      t: a.token,
    });
    expect(mine.data?.myTicket.sms.status).toBe('ON');
    expect(mine.data?.myTicket.sms.messages).toEqual([
      expect.objectContaining({
        kind: 'CALLED',
        status: 'SENT',
        recipient: '+44•••••••101',
        transport: 'SNS',
        attempts: 1,
      }),
    ]);
    // Phone numbers are sealed at rest like the tickets' own.
    const raw = await h.db.query(`SELECT recipient FROM queue.sms_message WHERE ticket_id = $1`, [a.ticket.id]);
    expect((raw.rows[0] as { recipient: string }).recipient).toMatch(/^v1:/);
  });

  it('says "you are next" when the ticket ahead leaves, and when a ticket comes back at the head; once per ticket', async () => {
    const line = await h.createLine(STORE_1, { prefix: 'N' });
    const a = await join(line, '+447700900201', true);
    const b = await join(line, '+447700900202', true);
    const c = await join(line, '+447700900203', true);
    // The head visitor cancels: B becomes first.
    await h.gql(`mutation($t: String!) { cancelMyTicket(token: $t) { id } }`, { t: a.token });
    expect((await messages(`ticket_id = $1`, [b.ticket.id])).map((m) => m.kind)).toEqual(['NEXT']);
    // B is parked: C becomes first. B is unparked and is first again, but has had its "you are next".
    await h.as('staff', `mutation($id: ID!) { parkTicket(id: $id) { id } }`, { id: b.ticket.id });
    expect((await messages(`ticket_id = $1`, [c.ticket.id])).map((m) => m.kind)).toEqual(['NEXT']);
    await h.as('staff', `mutation($id: ID!) { unparkTicket(id: $id) { id } }`, { id: b.ticket.id });
    expect((await messages(`ticket_id = $1`, [b.ticket.id])).map((m) => m.kind)).toEqual(['NEXT']);
    // A note on the head changes nobody's place.
    await h.as('staff', `mutation($id: ID!) { addTicketNote(id: $id, note: "wheelchair") { id } }`, {
      id: b.ticket.id,
    });
    expect(await h.count('sms_message', `ticket_id = ANY($1)`, [[a, b, c].map((t) => t.ticket.id)])).toBe(2);
  });

  it('cancels a "you are next" that is overtaken before it goes (the ticket was called meanwhile)', async () => {
    const line = await h.createLine(STORE_1, { prefix: 'O' });
    const x = await join(line, '+447700900301', true);
    const y = await join(line, '+447700900302', true);
    await callNext(line);
    h.clock.advance(1_000);
    await callNext(line);
    await viaOutbox.run(QUEUE_SMS_JOB);
    const rows = await messages(`ticket_id = ANY($1)`, [[x.ticket.id, y.ticket.id]]);
    expect(rows.map((m) => [m.ticket_id, m.kind, m.status, m.transport])).toEqual([
      [x.ticket.id, 'CALLED', 'SENT', 'OUTBOX'],
      [y.ticket.id, 'NEXT', 'CANCELLED', null],
      [y.ticket.id, 'CALLED', 'SENT', 'OUTBOX'],
    ]);
    expect(rows[1]!.last_error).toMatch(/CALLED before the SMS went/);
  });
});

describe(`${SmsService.name} appointment reminders and delivery`, () => {
  const reminder = (over: Partial<Parameters<SmsService['scheduleReminder']>[0]> = {}) =>
    h.service.sms.scheduleReminder({
      tenantId: DEMO_TENANT_ID,
      storeId: STORE_1,
      phone: '+44 7700 900555',
      appointmentAt: new Date(h.clock.now() + 24 * 3_600_000),
      reference: `appt-${Math.random()}`,
      smsConsent: true,
      ...over,
    });

  it('queues a reminder for its time, in the store’s zone, once per reference; none without consent', async () => {
    const line = await h.createLine(STORE_1, { name: 'Mortgages' });
    const first = await reminder({ reference: 'appt-1', lineId: line });
    expect(first).toMatchObject({ kind: 'REMINDER', status: 'QUEUED', recipientMasked: '+44•••••••555' });
    const now = h.clock.now();
    expect(first!.body).toBe(
      `Reminder: your appointment for Mortgages is on ${DateTime.fromMillis(now + 24 * 3_600_000, { zone: 'Europe/London' }).toFormat("ccc d LLL 'at' HH:mm")}.`,
    );
    expect(first!.sendAfter.toISOString()).toBe(new Date(now + 23 * 3_600_000).toISOString());
    expect((await reminder({ reference: 'appt-1', lineId: line }))!.id).toBe(first!.id);
    expect(await reminder({ smsConsent: false })).toBeNull();

    // Not before its time.
    const before = sns.requests.length;
    await viaSns.run(QUEUE_SMS_JOB);
    expect(sns.requests.length).toBe(before);
    h.clock.advance(23 * 3_600_000);
    await viaSns.run(QUEUE_SMS_JOB);
    expect(sns.requests.slice(before).map((r) => r.message)).toEqual([first!.body]);
    expect((await messages(`id = $1`, [first!.id]))[0]).toMatchObject({ status: 'SENT', transport: 'SNS' });
  });

  it('cancels a reminder that has not gone yet', async () => {
    const r = await reminder({ reference: 'appt-cancel' });
    expect(await h.service.sms.cancelReminder(DEMO_TENANT_ID, 'appt-cancel')).toBe(true);
    expect(await h.service.sms.cancelReminder(DEMO_TENANT_ID, 'appt-cancel')).toBe(false);
    expect((await messages(`id = $1`, [r!.id]))[0]!.status).toBe('CANCELLED');
  });

  it.each<[string, Parameters<typeof reminder>[0], string]>([
    ['a phone that is not one', { phone: '12' }, 'BAD_USER_INPUT'],
    ['an appointment in the past', { appointmentAt: new Date(T0 - 1) }, 'BAD_USER_INPUT'],
    ['an empty reference', { reference: '  ' }, 'BAD_USER_INPUT'],
    ['a store of another tenant', { tenantId: OTHER_TENANT }, 'NOT_FOUND'],
    ['a line of another store', { storeId: STORE_2, lineId: '00000000-0000-4000-8000-00000000ffff' }, 'BAD_USER_INPUT'],
  ])('refuses %s, queueing nothing', async (_what, over, code) => {
    const count = await h.count('sms_message');
    const err = await reminder(over).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(code);
    expect(await h.count('sms_message')).toBe(count);
  });

  it('retries with backoff when SNS fails, records each reason, and fails for good after the last attempt', async () => {
    const flaky = await reminder({ appointmentAt: new Date(h.clock.now() + 30 * 60_000), reference: 'flaky' });
    const run = () => viaSns.run(QUEUE_SMS_JOB);
    const row = async () => (await messages(`id = $1`, [flaky!.id]))[0]!;
    sns.script.push({ ok: false, status: 500, code: 'InternalError', message: 'try later' });
    sns.script.push({ ok: false, status: 400, code: 'Throttled', message: 'slow down' });
    await run();
    expect(await row()).toMatchObject({
      status: 'QUEUED',
      attempts: 1,
      last_error: expect.stringContaining('InternalError'),
    });
    // 30 s, then 60 s: not a moment before.
    h.clock.advance(29_000);
    await run();
    expect((await row()).attempts).toBe(1);
    h.clock.advance(1_000);
    await run();
    expect(await row()).toMatchObject({
      status: 'QUEUED',
      attempts: 2,
      last_error: expect.stringContaining('Throttled'),
    });
    h.clock.advance(60_000);
    await run();
    expect(await row()).toMatchObject({
      status: 'SENT',
      attempts: 3,
      last_error: null,
      provider_message_id: sns.messageIds.at(-1),
    });

    // Three failures: FAILED with the last reason. A refused number fails at once.
    const failedSms = async () =>
      (await outboundMetrics.deliveries.get()).values.find(
        (v) => v.labels.channel === 'sms' && v.labels.family === 'queue' && v.labels.outcome === 'failed',
      )?.value ?? 0;
    const failedBefore = await failedSms();
    const doomed = await reminder({ appointmentAt: new Date(h.clock.now() + 30 * 60_000), reference: 'doomed' });
    h.clock.advance(1_000); // tried after the one above: the script below answers them in that order
    const refused = await reminder({ appointmentAt: new Date(h.clock.now() + 30 * 60_000), reference: 'refused' });
    for (let n = 0; n < 3; n++)
      sns.script.push({ ok: false, status: 503, code: 'ServiceUnavailable', message: 'down' });
    sns.script.splice(1, 0, {
      ok: false,
      status: 400,
      code: 'InvalidParameter',
      message: 'Invalid parameter: PhoneNumber',
    });
    await run();
    h.clock.advance(30_000);
    await run();
    h.clock.advance(60_000);
    await run();
    expect((await messages(`id = $1`, [refused!.id]))[0]).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      last_error: expect.stringContaining('InvalidParameter'),
    });
    expect((await messages(`id = $1`, [doomed!.id]))[0]).toMatchObject({
      status: 'FAILED',
      attempts: 3,
      last_error: expect.stringContaining('ServiceUnavailable'),
    });
    // Both are counted for ops (`phub_outbound_deliveries_total{outcome="failed"}`, the failed-delivery alert).
    expect((await failedSms()) - failedBefore).toBe(2);
  });
});

describe('the SMS outbox in the graph', () => {
  const LIST = `query($s: ID) { smsMessages(storeId: $s, first: 100) { totalCount edges { node { storeId recipient status kind } } } }`;
  beforeAll(async () => {
    await h.service.sms.scheduleReminder({
      tenantId: DEMO_TENANT_ID,
      storeId: STORE_2,
      phone: '+12025550123',
      appointmentAt: new Date(h.clock.now() + 3_600_000 * 48),
      reference: 'store-2',
      smsConsent: true,
    });
  });

  it.each<[Who, string | null, 'both' | 'store1' | 'store2' | 'none']>([
    ['hqAdmin', null, 'both'],
    ['hqViewer', null, 'both'],
    ['manager', null, 'store1'],
    ['staff', null, 'store1'],
    ['staff', STORE_2, 'none'],
    ['staffStore2', null, 'store2'],
    ['otherAdmin', null, 'none'],
  ])('%s (store filter %s) reads %s', async (who, storeId, expected) => {
    const res = await h.as<{ smsMessages: { edges: { node: { storeId: string; recipient: string } }[] } }>(who, LIST, {
      s: storeId,
    });
    const stores = new Set(res.smsMessages.edges.map((e) => e.node.storeId));
    const want = { both: [STORE_1, STORE_2], store1: [STORE_1], store2: [STORE_2], none: [] }[expected];
    expect([...stores].sort()).toEqual([...want].sort());
    expect(res.smsMessages.edges.every((e) => e.node.recipient.includes('•'))).toBe(true);
  });

  it.each<[Who | null, string]>([
    ['partnerWrite', 'FORBIDDEN'],
    ['partnerRead', 'FORBIDDEN'],
    ['device', 'FORBIDDEN'],
    [null, 'UNAUTHENTICATED'],
  ])('refuses %s', async (who, code) => {
    const res = await h.gql(LIST, {}, who ? await h.token(who) : undefined);
    expect(res.errors?.[0]?.extensions?.code).toBe(code);
  });
});
