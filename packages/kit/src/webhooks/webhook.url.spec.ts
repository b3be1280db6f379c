import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { DomainError } from '../errors.js';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook.signature.js';
import { assertPublicHost, isPublicAddress, parseWebhookUrl, safeLookup } from './webhook.url.js';

const STRICT = { allowPrivate: false };
const DEV = { allowPrivate: true };

describe(parseWebhookUrl.name, () => {
  it.each([
    ['http://hooks.example.com/x', 'https only'],
    ['https://127.0.0.1/x', 'not a public address'],
    ['https://10.1.2.3/x', 'not a public address'],
    ['https://172.20.0.1/x', 'not a public address'],
    ['https://192.168.1.10/x', 'not a public address'],
    ['https://169.254.169.254/latest/meta-data', 'not a public address'],
    ['https://100.64.0.1/x', 'not a public address'],
    ['https://0.0.0.0/x', 'not a public address'],
    ['https://[::1]/x', 'not a public address'],
    ['https://[fd00::1]/x', 'not a public address'],
    ['https://[fe80::1]/x', 'not a public address'],
    ['https://[::ffff:127.0.0.1]/x', 'not a public address'],
    ['https://localhost/x', 'not a public host name'],
    ['https://api.localhost/x', 'not a public host name'],
    ['https://metadata.google.internal/x', 'not a public host name'],
    ['https://intranet/x', 'not a public host name'],
    ['https://user:pass@hooks.example.com/x', 'no credentials'],
    ['https://hooks.example.com/x#frag', 'no fragment'],
    ['ftp://hooks.example.com/x', 'https only'],
    ['not a url', 'not a URL'],
  ])('refuses %s (%s)', (url, why) => {
    const err = (() => {
      try {
        parseWebhookUrl(url, STRICT);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining(why) });
  });

  it('accepts public https URLs, and loopback http only when private networks are allowed (dev, tests)', () => {
    expect(parseWebhookUrl('https://hooks.example.com/queue?x=1', STRICT).toString()).toBe(
      'https://hooks.example.com/queue?x=1',
    );
    expect(parseWebhookUrl('https://93.184.216.34/x', STRICT).hostname).toBe('93.184.216.34');
    expect(parseWebhookUrl('http://127.0.0.1:8080/x', DEV).port).toBe('8080');
  });

  it('refuses a host name that resolves to a private address (and one that does not resolve)', async () => {
    const resolveTo = (address: string) => async () => [{ address, family: 4 }];
    const url = new URL('https://hooks.example.com/x');
    await expect(assertPublicHost(url, STRICT, resolveTo('93.184.216.34'))).resolves.toBeUndefined();
    await expect(assertPublicHost(url, STRICT, resolveTo('10.0.0.5'))).rejects.toMatchObject({
      message: expect.stringContaining('non-public address'),
    });
    await expect(
      assertPublicHost(url, STRICT, async () => {
        throw new Error('ENOTFOUND');
      }),
    ).rejects.toMatchObject({ message: expect.stringContaining('does not resolve') });
  });

  it.each([
    ['8.8.8.8', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['64:ff9b::a00:1', false],
  ])('judges %s public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe(safeLookup.name, () => {
  it('will not connect a delivery to a name that now resolves to loopback (DNS rebinding), unless allowed', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const get = (lookup: ReturnType<typeof safeLookup>) =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: 'localhost', port, path: '/', lookup, family: 4 }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    try {
      await expect(get(safeLookup(STRICT))).rejects.toMatchObject({ code: 'ENONPUBLIC' });
      await expect(get(safeLookup(DEV))).resolves.toBe(200);
    } finally {
      server.close();
    }
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = JSON.stringify({ eventId: 'e1', action: 'CALLED' });

  it('verifies what was signed, within the tolerance, and nothing else', () => {
    const header = signWebhook(secret, body, 1_900_000_000);
    expect(header).toMatch(/^t=1900000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(secret, body, header, 1_900_000_100)).toBe(true);
    expect(verifyWebhook(secret, body.replace('CALLED', 'SERVED'), header, 1_900_000_000)).toBe(false);
    expect(verifyWebhook('whsec_other', body, header, 1_900_000_000)).toBe(false);
    expect(verifyWebhook(secret, body, header, 1_900_000_301)).toBe(false);
    expect(verifyWebhook(secret, body, header.replace('t=1900000000', 't=1900000001'), 1_900_000_000)).toBe(false);
    expect(verifyWebhook(secret, body, undefined, 1_900_000_000)).toBe(false);
  });
});
