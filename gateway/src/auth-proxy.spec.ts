import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, GATEWAY_SECRET_HEADER } from '@phub/kit';
import express from 'express';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountAuthProxy, mountMistProxy } from './auth-proxy.js';

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

describe('the auth and Mist passes of the gateway', () => {
  let upstream: Server;
  let gateway: Server;
  let base: string;
  const seen: { path: string; cookie?: string; secret?: string }[] = [];

  beforeAll(async () => {
    // Stands in for auth's session endpoint: echoes the cookie it got and sets one.
    upstream = createServer((req, res) => {
      seen.push({ path: req.url!, cookie: req.headers.cookie, secret: req.headers[GATEWAY_SECRET_HEADER] as string });
      res.setHeader('set-cookie', ['phub_session=next; Path=/auth/session/hq; HttpOnly', 'other=1; Path=/']);
      res.setHeader('content-type', 'application/json');
      res.end('{"accessToken":"a"}');
    });
    const upstreamBase = await listen(upstream);
    const app = express();
    app.set('trust proxy', false);
    const common = {
      agent: new Agent(),
      timeoutMs: 2_000,
      secret: 's'.repeat(32),
      logger: createLogger('test', 'silent'),
    };
    mountAuthProxy(app, { ...common, authBase: () => upstreamBase });
    // Nothing listens on port 9 here: the proximity subgraph is down.
    mountMistProxy(app, { ...common, proximityBase: () => 'http://127.0.0.1:9' });
    gateway = createServer(app);
    base = await listen(gateway);
  });

  afterAll(() => {
    upstream?.close();
    gateway?.close();
  });

  it('passes a browser session request with its cookie, and its answer with the cookies it sets', async () => {
    const res = await fetch(`${base}/auth/session/hq/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'phub_session=old' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([
      'phub_session=next; Path=/auth/session/hq; HttpOnly',
      'other=1; Path=/',
    ]);
    expect(seen.at(-1)).toMatchObject({ path: '/auth/session/hq/refresh', cookie: 'phub_session=old' });
    expect(seen.at(-1)!.secret).toBeDefined();
  });

  it('passes only the session paths auth serves: no other action, and no cookie on the token endpoint', async () => {
    const before = seen.length;
    const other = await fetch(`${base}/auth/session/hq/other`, { method: 'POST', body: '{}' });
    expect(other.status).toBe(404);
    expect(seen.length).toBe(before);
    const token = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'phub_session=old' },
      body: '{}',
    });
    expect(token.headers.getSetCookie()).toEqual([]);
    expect(seen.at(-1)).toMatchObject({ path: '/oauth/token', cookie: undefined });
  });

  it('says which service is down when the proximity subgraph cannot be reached', async () => {
    const res = await fetch(`${base}/webhooks/mist/00000000-0000-4000-8000-000000000001`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"topic":"zone","events":[]}',
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toMatchObject({
      message: 'The proximity service is unavailable; retry shortly',
      extensions: { code: 'UNAVAILABLE' },
    });
  });
});
