import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnsStandIn } from '@phub/kit/testing';
import { SmsSendError, SnsSmsTransport } from './sms.transport.js';

let sns: SnsStandIn;
let transport: SnsSmsTransport;
beforeAll(async () => {
  sns = await SnsStandIn.start();
  transport = new SnsSmsTransport({
    region: 'eu-west-1',
    endpoint: sns.url,
    senderId: 'PHUB',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example-secret' },
  });
});
afterAll(async () => {
  transport?.close();
  await sns?.stop();
});

describe(SnsSmsTransport.name, () => {
  it('publishes to the phone number as a transactional SMS with the sender id, and returns SNS’s MessageId', async () => {
    const id = await transport.send('+447700900123', 'Ticket A001: it is your turn.');
    expect(id).toBe(sns.messageIds.at(-1));
    const req = sns.requests.at(-1)!;
    expect(req).toMatchObject({
      phoneNumber: '+447700900123',
      message: 'Ticket A001: it is your turn.',
      attributes: { 'AWS.SNS.SMS.SMSType': 'Transactional', 'AWS.SNS.SMS.SenderID': 'PHUB' },
    });
    expect(req.fields['Action']).toBe('Publish');
    // Signed with SigV4 for SNS in the region, as AWS requires.
    expect(req.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/sns\/aws4_request/);
  });

  it.each([
    ['a number SNS refuses', 400, 'InvalidParameter', true],
    ['a refused credential', 403, 'AuthorizationError', true],
    ['throttling', 400, 'Throttled', false],
    ['an SNS outage', 500, 'InternalError', false],
  ])('turns %s into an error that is permanent: %s', async (_what, status, code, permanent) => {
    sns.script.push({ ok: false, status, code, message: `${code} for this test` });
    const err = await transport.send('+447700900123', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmsSendError);
    expect(err).toMatchObject({ permanent, message: expect.stringContaining(code) });
  });
});
