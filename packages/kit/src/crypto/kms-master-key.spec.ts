import { KMSClient } from '@aws-sdk/client-kms';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Envelope } from './envelope.js';
import { KmsMasterKey } from './kms-master-key.js';

const KEY_ID = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const NEXT_KEY_ID = 'arn:aws:kms:eu-west-1:111122223333:key/5678efgh-56ef-78gh-90ij-5678901234ef';

/**
 * A small server speaking the KMS JSON protocol (Encrypt / Decrypt, `X-Amz-Target`), so the real
 * SDK client is exercised end to end; AWS itself cannot be reached from CI. It binds the
 * encryption context to the ciphertext, as KMS does.
 */
function fakeKms() {
  const keyIds = [KEY_ID, NEXT_KEY_ID];
  const keys = keyIds.map(() => randomBytes(32));
  const calls: { target: string; body: Record<string, unknown> }[] = [];
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>;
  };
  const server = createServer((req, res) => {
    void (async () => {
      const target = String(req.headers['x-amz-target']);
      const body = await read(req);
      calls.push({ target, body });
      const aad = Buffer.from(JSON.stringify(body.EncryptionContext ?? {}));
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      const keyIndex = keyIds.indexOf(String(body.KeyId));
      if (keyIndex < 0) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'NotFoundException', message: 'no such key' }));
      } else if (target === 'TrentService.Encrypt') {
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', keys[keyIndex]!, iv).setAAD(aad);
        const ct = Buffer.concat([cipher.update(Buffer.from(String(body.Plaintext), 'base64')), cipher.final()]);
        // Like KMS, the blob says which key made it (here: its index in the first byte).
        const blob = Buffer.concat([Buffer.from([keyIndex]), iv, cipher.getAuthTag(), ct]).toString('base64');
        res.end(JSON.stringify({ CiphertextBlob: blob, KeyId: body.KeyId, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }));
      } else if (target === 'TrentService.Decrypt') {
        const blob = Buffer.from(String(body.CiphertextBlob), 'base64');
        if (blob[0] !== keyIndex) {
          res.statusCode = 400;
          res.end(JSON.stringify({ __type: 'IncorrectKeyException', message: 'blob made by another key' }));
          return;
        }
        try {
          const decipher = createDecipheriv('aes-256-gcm', keys[keyIndex]!, blob.subarray(1, 13)).setAAD(aad);
          decipher.setAuthTag(blob.subarray(13, 29));
          const pt = Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]);
          res.end(JSON.stringify({ Plaintext: pt.toString('base64'), KeyId: body.KeyId }));
        } catch {
          res.statusCode = 400;
          res.end(JSON.stringify({ __type: 'InvalidCiphertextException', message: 'bad ciphertext or context' }));
        }
      } else {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'UnknownOperationException' }));
      }
    })();
  });
  return { server, calls };
}

describe(KmsMasterKey.name, () => {
  let kms: ReturnType<typeof fakeKms>;
  let client: KMSClient;

  beforeAll(async () => {
    kms = fakeKms();
    await new Promise<void>((resolve) => kms.server.listen(0, '127.0.0.1', resolve));
    client = new KMSClient({
      endpoint: `http://127.0.0.1:${(kms.server.address() as AddressInfo).port}`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client?.destroy();
    await new Promise<void>((resolve) => kms.server.close(() => resolve()));
  });

  it('wraps data keys with KMS Encrypt and unwraps them with Decrypt, with the context as encryption context', async () => {
    const envelope = new Envelope(new KmsMasterKey(KEY_ID, client));
    const sealed = await envelope.seal('private jwk', 'auth.signing_key:k1');
    expect(sealed.kek).toBe(`kms:${KEY_ID}`);
    expect((await envelope.open(sealed, 'auth.signing_key:k1')).toString()).toBe('private jwk');
    expect(kms.calls.map((c) => c.target)).toEqual(['TrentService.Encrypt', 'TrentService.Decrypt']);
    expect(kms.calls[0]!.body).toMatchObject({ KeyId: KEY_ID, EncryptionContext: { context: 'auth.signing_key:k1' } });
    // KMS itself refuses the data key for another row.
    await expect(envelope.open(sealed, 'auth.signing_key:k2')).rejects.toThrow(/bad ciphertext or context/);
  });

  it('after KMS_KEY_ID points to a new key: opens data keys of the old one and re-wraps them to the new one', async () => {
    const sealed = await new Envelope(new KmsMasterKey(KEY_ID, client)).seal('private jwk', 'ctx');
    const next = new Envelope(new KmsMasterKey(NEXT_KEY_ID, client));
    expect((await next.open(sealed, 'ctx')).toString()).toBe('private jwk');
    const rewrapped = (await next.rewrap(sealed, 'ctx'))!;
    expect(rewrapped).toMatchObject({ kek: `kms:${NEXT_KEY_ID}`, ct: sealed.ct, iv: sealed.iv, tag: sealed.tag });
    expect(rewrapped.edk).not.toBe(sealed.edk);
    expect(await next.rewrap(rewrapped, 'ctx')).toBeNull();
    kms.calls.length = 0;
    expect((await next.open(rewrapped, 'ctx')).toString()).toBe('private jwk');
    expect(kms.calls.map((c) => c.body.KeyId)).toEqual([NEXT_KEY_ID]);
  });

  it('fails loudly with KMS’s error when the key is not there', async () => {
    const envelope = new Envelope(new KmsMasterKey('alias/missing', client));
    await expect(envelope.seal('x', 'c')).rejects.toThrow(/no such key/);
  });
});
