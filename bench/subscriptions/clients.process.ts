// Many graphql-transport-ws subscribers in one process: plain `ws`, no client library, so the
// clients cost as little as possible and every received event records its latency.
import { WebSocket } from 'ws';
import { now, serve, statsHandlers } from './ipc.js';

interface ConnectArgs {
  url: string;
  count: number;
  query: string;
  /** One per connection, or none (anonymous). */
  authorizations?: string[];
  /** Handshakes in flight at once. */
  concurrency: number;
}

const sockets: WebSocket[] = [];
/** Latencies in ms by the version of the change. */
const latencies = new Map<number, number[]>();
const failures: string[] = [];

function open({ url, query }: ConnectArgs, authorization: string | undefined): Promise<void> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    sockets.push(socket);
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: authorization ? { authorization } : {} })),
    );
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as {
        type: string;
        payload?: { data?: { productChanged?: { version: number; publishedAt: number } }; errors?: unknown };
      };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        resolve();
      } else if (message.type === 'next') {
        const change = message.payload?.data?.productChanged;
        if (!change) return void failures.push(JSON.stringify(message.payload));
        const list = latencies.get(change.version) ?? [];
        list.push(now() - change.publishedAt);
        latencies.set(change.version, list);
      } else if (message.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
      }
    });
    socket.on('error', (err) => {
      failures.push(err.message);
      resolve();
    });
    socket.on('close', (code, reason) => {
      if (code !== 1000 && code !== 1005) failures.push(`closed ${code} ${String(reason)}`);
      resolve();
    });
  });
}

serve({
  connect: async (args: ConnectArgs) => {
    let next = 0;
    const worker = async () => {
      while (next < args.count) {
        const authorization = args.authorizations?.[next];
        next++;
        await open(args, authorization);
      }
    };
    await Promise.all(Array.from({ length: args.concurrency }, worker));
    return { open: sockets.filter((s) => s.readyState === WebSocket.OPEN).length, failures: failures.slice(0, 5) };
  },
  received: (args: { version: number }) => latencies.get(args.version)?.length ?? 0,
  latencies: (args: { version: number }) => ({
    latencies: latencies.get(args.version) ?? [],
    failures: failures.slice(0, 5),
  }),
  ...statsHandlers,
});
