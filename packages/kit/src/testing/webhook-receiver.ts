import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A partner’s webhook endpoint on loopback (tests): records every request and answers each path as scripted. */
export class WebhookReceiver {
  readonly received: Received[] = [];
  /** Status codes to answer per path, in order; when a path's list is empty, 200. */
  readonly script = new Map<string, number[]>();
  private constructor(readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const receiver: WebhookReceiver = new WebhookReceiver(
      createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const path = req.url ?? '/';
          receiver.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
          res.statusCode = receiver.script.get(path)?.shift() ?? 200;
          res.end();
        });
      }),
    );
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
