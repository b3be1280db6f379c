import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { embeddedUrls } from './embedded-urls.js';
import type { Logger } from './logger.js';

type QueryQueue = ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'];

interface Pending {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
}

// Protocol messages after which a connection no longer needs the database to itself
// (unless it is inside a transaction): a simple Query, a Sync ending an extended-query
// sequence, and Terminate. Startup packets have no type byte (they start with 0).
const SEQUENCE_END = new Set(['Q', 'S', 'X', '\0']);

/**
 * Gives PGlite's single session to one client connection at a time, for as long as that
 * connection needs it: a whole extended-query sequence (Parse … Sync) and a whole transaction.
 * pglite-socket's own queue interleaves connections message by message outside transactions,
 * so two pooled connections preparing statements at once clobber each other's unnamed
 * statement ("unnamed prepared statement does not exist").
 */
export class SessionQueue {
  private readonly queue: Pending[] = [];
  private owner: number | null = null;
  private processing = false;

  constructor(
    private readonly db: PGlite,
    private readonly logger?: Logger,
    private readonly stallWarningMs = 5_000,
  ) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      // A real Postgres would run this query beside the open transaction; here it waits for it.
      // If the transaction is itself waiting for this query, nothing moves: say so.
      const timer = setTimeout(() => {
        this.logger?.warn(
          { waitingConnection: handlerId, owner: this.owner },
          'embedded Postgres: a query has waited %d ms for another connection; code that queries outside ' +
            "its transaction's EntityManager while the transaction is open deadlocks on PGlite",
          this.stallWarningMs,
        );
      }, this.stallWarningMs);
      timer.unref();
      const done =
        <T>(fn: (v: T) => void) =>
        (v: T) => {
          clearTimeout(timer);
          fn(v);
        };
      this.queue.push({ handlerId, message, onData, resolve: done(resolve), reject: done(reject) });
      void this.process();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const item = this.queue[i]!;
      if (item.handlerId === handlerId) {
        this.queue.splice(i, 1);
        item.reject(new Error('Handler disconnected'));
      }
    }
  }

  /** A client that went away mid-transaction or mid-sequence must not keep the session. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = null;
    await this.process();
  }

  private next(): Pending | undefined {
    if (this.owner === null) return this.queue.shift();
    const index = this.queue.findIndex((item) => item.handlerId === this.owner);
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item!.message, {
              onRawData: (data) => {
                bytes += data.length;
                item!.onData(data);
              },
            }),
          );
        } catch (err) {
          this.owner = this.db.isInTransaction() ? item.handlerId : null;
          item.reject(err);
          continue;
        }
        const type = String.fromCharCode(item.message[0] ?? 0);
        this.owner = SEQUENCE_END.has(type) && !this.db.isInTransaction() ? null : item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }
}

/** The socket file name the `pg` driver looks for in a socket directory (it always appends the port). */
const SOCKET_PORT = 5432;

/**
 * PGlite served on a Unix socket so that the ordinary `pg` driver (and so TypeORM) talks to
 * it exactly as it talks to a real Postgres. PGlite accepts any user without a password, so
 * the operating system is the lock: the socket lives in a fresh 0700 directory and is itself
 * 0600, and only this process's user can connect (a loopback port was open to everyone on
 * the machine, who could then read the signing keys).
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: Server,
    private readonly handlers: Set<PGLiteSocketHandler>,
    private readonly socketDir: string,
    readonly url: string,
  ) {}

  /** Where the socket is: `<socketDir>/.s.PGSQL.5432`. */
  get socketPath(): string {
    return path.join(this.socketDir, `.s.PGSQL.${SOCKET_PORT}`);
  }

  static async start(dataDir: string | null, logger?: Logger): Promise<EmbeddedPostgres> {
    let location: string | undefined;
    if (dataDir) {
      location = path.resolve(dataDir, 'pglite');
      mkdirSync(location, { recursive: true, mode: 0o700 });
    }
    const db = await PGlite.create(location);
    // The handler only calls the queue's public methods, which SessionQueue provides.
    const queryQueue = new SessionQueue(db, logger) as unknown as QueryQueue;
    const handlers = new Set<PGLiteSocketHandler>();
    const server = createServer((socket: Socket) => {
      const handler = new PGLiteSocketHandler({ queryQueue, closeOnDetach: true });
      handlers.add(handler);
      const forget = () => handlers.delete(handler);
      handler.addEventListener('close', forget);
      handler.addEventListener('error', forget);
      handler.attach(socket).catch(() => {
        forget();
        socket.destroy();
      });
    });
    // mkdtemp makes the directory 0700; a short path under the temp dir keeps within the
    // ~100-byte limit of socket paths, which a deep DATA_DIR could exceed.
    const socketDir = mkdtempSync(path.join(tmpdir(), 'phub-pg-'));
    const socketPath = path.join(socketDir, `.s.PGSQL.${SOCKET_PORT}`);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(socketPath, () => resolve());
      });
      chmodSync(socketPath, 0o600);
    } catch (err) {
      rmSync(socketDir, { recursive: true, force: true });
      await db.close();
      throw err;
    }
    const url = `postgres://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`;
    logger?.info(
      { dataDir: location ?? 'memory', socket: socketPath },
      'embedded PGlite serving on a private Unix socket',
    );
    embeddedUrls.add(url);
    return new EmbeddedPostgres(db, server, handlers, socketDir, url);
  }

  async stop(): Promise<void> {
    embeddedUrls.delete(this.url);
    for (const handler of this.handlers) await handler.detach(true);
    this.handlers.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.socketDir, { recursive: true, force: true });
    await this.db.close();
  }
}
