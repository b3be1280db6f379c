import { backoffDelay } from './backoff.js';
import {
  BOARD_FIELDS,
  isNewer,
  newCalls,
  NEXT_SHOWN,
  type BoardCall,
  type BoardLine,
  type QueueBoard,
} from './board.js';

/** What the feed needs of the player: a device query over HTTP and a subscription on its graphql-ws client. */
export interface BoardGraph {
  query<T>(query: string, variables: Record<string, unknown>): Promise<T>;
  /** Null when the live connection is not up yet (the feed tries again). */
  subscribe<T>(
    query: string,
    variables: Record<string, unknown>,
    sink: { next: (data: T) => void; error: (err: unknown) => void; complete: () => void },
  ): (() => void) | null;
}

export interface BoardState {
  board: QueueBoard | null;
  /** Calls that are new in this update (to highlight), newest first. */
  fresh: { line: BoardLine; call: BoardCall }[];
  /** When `fresh` arrived (ms): a board shown later does not flash old calls. */
  freshAt: number;
  /** False while the feed cannot vouch that the board is current (offline, reconnecting). */
  live: boolean;
}

const QUERY = `query ($s: ID!) { queueBoard(storeId: $s, next: ${NEXT_SHOWN}) { ${BOARD_FIELDS} } }`;
// The board comes with every change: one message per change, no query after it.
const SUBSCRIPTION = `subscription ($s: ID!) { queueUpdated(storeId: $s) { action board(next: ${NEXT_SHOWN}) { ${BOARD_FIELDS} } } }`;
const storageKey = (storeId: string) => `phub.player.board.${storeId}`;

/**
 * The live board of one store while the playlist has a board item: the last board is kept in storage (shown
 * at once, also offline), a query catches up whenever the connection comes (back), and `queueUpdated`
 * brings every change; a failed subscription is opened again with backoff.
 */
export class QueueBoardFeed {
  private state: BoardState;
  private readonly listeners = new Set<(state: BoardState) => void>();
  private unsubscribe: (() => void) | null = null;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private stopped = false;
  private connected = false;

  constructor(
    readonly storeId: string,
    private readonly graph: BoardGraph,
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage,
  ) {
    this.state = { board: this.load(), fresh: [], freshAt: 0, live: false };
  }

  get current(): BoardState {
    return this.state;
  }

  /** Calls `listener` with every change (and now); returns the way to stop. */
  watch(listener: (state: BoardState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.stopped = false;
    this.listen();
    void this.catchUp();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.listeners.clear();
  }

  /** The player's live connection came up (again): catch up on what was missed, and listen if not yet. */
  connectedChanged(up: boolean): void {
    this.connected = up;
    if (!up) return this.set({ live: false });
    if (!this.unsubscribe) this.listen();
    void this.catchUp();
  }

  private listen(): void {
    if (this.stopped || this.unsubscribe) return;
    clearTimeout(this.retry);
    const again = () => {
      this.unsubscribe = null;
      this.set({ live: false });
      if (!this.stopped) this.retry = setTimeout(() => this.listen(), backoffDelay(this.attempt++, 1000, 30_000));
    };
    this.unsubscribe = this.graph.subscribe<{ queueUpdated: { board: QueueBoard } }>(
      SUBSCRIPTION,
      { s: this.storeId },
      {
        next: (data) => {
          this.attempt = 0;
          if (data?.queueUpdated?.board) this.accept(data.queueUpdated.board, true);
        },
        error: (err) => {
          console.warn('queueUpdated failed; subscribing again', err);
          again();
        },
        complete: again,
      },
    );
    if (!this.unsubscribe) again();
  }

  private async catchUp(): Promise<void> {
    try {
      const { queueBoard } = await this.graph.query<{ queueBoard: QueueBoard }>(QUERY, { s: this.storeId });
      if (this.stopped) return;
      this.accept(queueBoard, this.connected && !!this.unsubscribe);
    } catch (err) {
      console.warn('queue board fetch failed; showing the last one', (err as Error).message);
      this.set({ live: false });
    }
  }

  private accept(board: QueueBoard, live: boolean): void {
    if (!isNewer(board, this.state.board)) return this.set({ live: live || this.state.live });
    const fresh = newCalls(this.state.board, board);
    // An update without new calls (someone joined) keeps the last calls highlighted until their time is up.
    this.state = fresh.length ? { board, fresh, freshAt: Date.now(), live } : { ...this.state, board, live };
    try {
      this.storage.setItem(storageKey(this.storeId), JSON.stringify(board));
    } catch {
      // storage full: the board still shows, it just will not survive a reload
    }
    this.emit();
  }

  private set(patch: Partial<BoardState>): void {
    const next = { ...this.state, ...patch };
    if (next.live === this.state.live && next.board === this.state.board) return;
    this.state = next;
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l(this.state);
  }

  private load(): QueueBoard | null {
    try {
      const raw = this.storage.getItem(storageKey(this.storeId));
      return raw ? (JSON.parse(raw) as QueueBoard) : null;
    } catch {
      return null;
    }
  }
}
