import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer, get as httpsGet } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQUID_BIN, SquidProxy } from '../testing/squid.js';
import { Egress, EgressRefusedError, egressOptionsFromEnv } from './egress.js';

// CI installs Debian's squid (.ci/run): there a missing squid is a failure, not a skip.
const skipSquid = spawnSync(SQUID_BIN, ['-v']).status !== 0 && !process.env.CI;

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** An outside party: answers every request and records what reached it (Squid adds its `Via`). */
async function outsideParty(handler?: (path: string) => { type: string; body: string }) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    const reply = handler?.(req.url!) ?? { type: 'application/json', body: '{"ok":true}' };
    res.writeHead(200, { 'content-type': reply.type });
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('egress decisions', () => {
  const egress = new Egress({
    httpsProxy: 'http://proxy.internal:3128',
    httpProxy: 'http://proxy.internal:3128',
    noProxy: 'localhost, .svc.cluster.local, internal.example:8443, *.corp.example',
  });

  it.each([
    ['https://author.adobeaemcloud.com/content/x.json', 'http://proxy.internal:3128'],
    ['http://localhost:4000/graphql', undefined],
    ['http://queue.phub.svc.cluster.local/graphql', undefined],
    ['https://internal.example:8443/x', undefined],
    ['https://internal.example/x', 'http://proxy.internal:3128'],
    ['https://a.b.corp.example/x', undefined],
    ['https://corp.example.evil.com/x', 'http://proxy.internal:3128'],
  ])('%s → %s', (url, proxy) => {
    expect(egress.proxyFor(url)).toBe(proxy);
  });

  it('reads lower-case names first, as undici and curl do, and NO_PROXY=* sends everything direct', () => {
    const opts = egressOptionsFromEnv({ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2', NO_PROXY: '*' });
    expect(opts.httpsProxy).toBe('http://a:1');
    expect(new Egress(opts).proxyFor('https://example.com')).toBeUndefined();
  });
});

describe.skipIf(skipSquid)('egress through a real Squid', () => {
  let squid: SquidProxy;
  let party: Awaited<ReturnType<typeof outsideParty>>;

  beforeAll(async () => {
    squid = await SquidProxy.start();
    // A JSON body both fetch and the KMS client (ListKeys) accept.
    party = await outsideParty(() => ({ type: 'application/x-amz-json-1.1', body: '{"Keys":[]}' }));
  }, 30_000);
  afterAll(async () => {
    await party?.close();
    await squid?.stop();
  });

  it('sends fetch through the proxy: the party sees Squid’s Via and Squid logs the request', async () => {
    const egress = new Egress({ httpProxy: squid.url, httpsProxy: squid.url });
    try {
      const res = await egress.fetch(`${party.url}/content/we-retail.json?x=1`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ Keys: [] });
    } finally {
      await egress.close();
    }
    const hit = party.seen.find((s) => s.url === '/content/we-retail.json?x=1');
    expect(hit?.headers.via).toMatch(/squid/i);
    await expect.poll(() => squid.accessLog().join('\n')).toContain(`GET ${party.url}/content/we-retail.json`);
  });

  it('gives the AWS SDK the same route: a KMS call leaves through Squid', async () => {
    const egress = new Egress({ httpProxy: squid.url, httpsProxy: squid.url });
    const kms = new KMSClient({
      endpoint: `${party.url}/kms`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      requestHandler: egress.awsRequestHandler(),
      maxAttempts: 1,
    });
    try {
      await expect(kms.send(new ListKeysCommand({}))).resolves.toMatchObject({ Keys: [] });
    } finally {
      kms.destroy();
      await egress.close();
    }
    const hit = party.seen.find((s) => s.headers['x-amz-target'] === 'TrentService.ListKeys');
    expect(hit?.headers.via).toMatch(/squid/i);
    await expect.poll(() => squid.accessLog().join('\n')).toContain(`POST ${party.url}/kms`);
  });

  it('tunnels HTTPS with CONNECT through Squid for node clients', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phub-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=DNS:localhost',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const cert = readFileSync(join(dir, 'cert.pem'));
      const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (_req, res) => {
        res.end('tls ok');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      const egress = new Egress({ httpsProxy: squid.url });
      try {
        const body = await new Promise<string>((resolve, reject) => {
          httpsGet({ host: 'localhost', port, path: '/secure', agent: egress.agent(), ca: cert }, (res) => {
            let data = '';
            res.on('data', (d: Buffer) => (data += d.toString()));
            res.on('end', () => resolve(data));
          }).on('error', reject);
        });
        expect(body).toBe('tls ok');
      } finally {
        await egress.close();
        await new Promise((resolve) => server.close(resolve));
      }
      await expect.poll(() => squid.accessLog().join('\n')).toContain(`CONNECT localhost:${port}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('goes direct for NO_PROXY hosts: nothing in Squid’s log, no Via', async () => {
    const egress = new Egress({ httpProxy: squid.url, noProxy: '127.0.0.1' });
    const before = squid.accessLog().length;
    try {
      expect((await egress.fetch(`${party.url}/direct`)).status).toBe(200);
    } finally {
      await egress.close();
    }
    expect(party.seen.find((s) => s.url === '/direct')?.headers.via).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(squid.accessLog().slice(before).join('\n')).not.toContain('/direct');
  });

  it('refuses a direct connection when the proxy is required, before anything is sent', async () => {
    const egress = new Egress({ required: true });
    try {
      const refused = await egress.fetch(`${party.url}/leak`).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(EgressRefusedError);
      expect(refused).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'EGRESS_PROXY_REQUIRED' } });
      const kms = new KMSClient({
        endpoint: `${party.url}/leak-kms`,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
        requestHandler: egress.awsRequestHandler(),
        maxAttempts: 1,
      });
      await expect(kms.send(new ListKeysCommand({}))).rejects.toThrow(/egress proxy is required/);
      kms.destroy();
    } finally {
      await egress.close();
    }
    expect(party.seen.filter((s) => s.url.startsWith('/leak'))).toEqual([]);
  });
});
