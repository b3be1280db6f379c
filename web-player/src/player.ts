import { createClient, type Client } from 'graphql-ws';
import { ASSET_CACHE, cacheAll, pruneAssets } from './assets.js';
import { backoffDelay, refreshDelay } from './backoff.js';
import { isBuiltIn, QUEUE_BOARD_MIME } from './board.js';
import { captureStage, type CommandHost, type DisplayCommand, runCommand, showIdentify } from './commands.js';
import { QueueBoardFeed } from './board-feed.js';
import type { PlayerConfig } from './config.js';
import { gql, GraphQLRequestError, NetworkError, Q } from './graphql.js';
import { showIdle } from './idle.js';
import { layoutStage, stageStyle } from './orientation.js';
import { activeLayout, layoutKey, LayoutStage } from './layout.js';
import { EventQueue, type QueueStorage } from './queue.js';
import { show, type Shown } from './renderer.js';
import { Scheduler } from './scheduler.js';
import type {
  Credential,
  DisplayInfo,
  HeartbeatEvent,
  Playlist,
  PlayEvent,
  PlaylistItem,
  QueuedEvent,
  RecordPlaybackResult,
} from './types.js';

export const APP_VERSION = __APP_VERSION__;

const KEY = {
  credential: 'phub.player.credential',
  playlist: 'phub.player.playlist',
  display: 'phub.player.display',
  tenant: 'phub.player.tenant',
  queue: 'phub.player.queue',
};

/**
 * The service worker's shell caches (sw-policy.ts's SHELL_CACHE_PREFIX). Written out, not imported: a module shared
 * by the page and the worker becomes a chunk the worker (a classic script) cannot load, and it would never install.
 */
const SHELL_CACHE = 'phub-player-shell-';
const HEARTBEAT_MS = 30_000;
const FLUSH_MS = 10_000;
const SAFETY_POLL_MS = 5 * 60_000;
/**
 * How long withdrawn content (a paused, ended or outranked campaign's item) may stay on screen once the playlist
 * without it has arrived: long enough for its successor's files to be cached and loaded for a seamless swap
 * (half of it for caching), short enough to count as "at once". Then the neutral screen replaces it.
 */
const WITHDRAW_GRACE_MS = 800;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function readJson<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function writeJson(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch (err) {
    console.warn('could not persist', key, err);
  }
}

const localQueueStorage: QueueStorage = {
  load: () => readJson<QueuedEvent[]>(KEY.queue) ?? [],
  save: (events) => localStorage.setItem(KEY.queue, JSON.stringify(events)),
};

export interface PlayerElements {
  root: HTMLElement;
  stage: HTMLElement;
  pairing: HTMLElement;
  pairingCode: HTMLElement;
  pairingHint: HTMLElement;
  message: HTMLElement;
  status: HTMLElement;
}

/** The display player: pairing, playback, live changes, offline cache, proof-of-play. */
export class Player {
  private credential: Credential | null = readJson<Credential>(KEY.credential);
  private display: DisplayInfo | null = readJson<DisplayInfo>(KEY.display);
  /** The tenant's name, for the neutral screen shown when there is nothing to play. */
  private tenantName: string | null = readJson<string>(KEY.tenant);
  private readonly scheduler = new Scheduler();
  private readonly queue = new EventQueue(localQueueStorage);
  private readonly startedAt = Date.now();
  private ws: Client | null = null;
  /** The live feeds' unsubscribe functions, by feed. */
  private readonly unsubscribe = new Map<string, () => void>();
  /** Commands carried out by this page (a resubscription sends those still pending again). */
  private readonly commandsDone = new Set<string>();
  private wsConnected = false;
  private lastRequestOk = navigator.onLine;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private validUntilTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | null = null;
  private flushing = false;
  private wake: (() => void) | null = null;
  /** Ends the item on screen before its time: set while it plays, called when a playlist withdraws it. */
  private interrupt: (() => void) | null = null;
  private withdrawTimer: ReturnType<typeof setTimeout> | undefined;
  private current: { shown: Shown; item: PlaylistItem; creativeId: string; version: string } | null = null;
  private playCount = 0;
  /** The store's live queue board, while a playlist (playing or pending) has a board item or board region. */
  private board: QueueBoardFeed | null = null;
  /** The layout on the stage, when the playlist has one; the main loop plays into its main region. */
  private layoutStage: LayoutStage | null = null;
  private lastFlush = '';
  private playing = false;
  /** Orders playlists from racing sources: an answer to a request older than the last applied one is stale. */
  private seq = 0;
  private appliedSeq = 0;

  constructor(
    private readonly config: PlayerConfig,
    private readonly el: PlayerElements,
  ) {}

  async start(): Promise<void> {
    this.layout();
    window.addEventListener('resize', () => this.layout());
    window.addEventListener('online', () => this.onOnline());
    window.addEventListener('offline', () => this.renderStatus());
    window.addEventListener('keydown', (e) => {
      if (e.key === 's' || e.key === 'S' || e.key === 'F2') this.el.status.classList.toggle('visible');
    });
    setInterval(() => this.heartbeat(), HEARTBEAT_MS);
    setInterval(() => void this.flush(), FLUSH_MS);
    setInterval(() => void this.fetchPlaylist(), SAFETY_POLL_MS);
    setInterval(() => this.renderStatus(), 1000);

    if (!this.credential || Date.parse(this.credential.refreshTokenExpiresAt) <= Date.now()) {
      this.credential = null;
      await this.pair();
    }
    this.afterPaired();
  }

  // ── pairing and tokens ──────────────────────────────────────────────────────────────────────────

  private async pair(): Promise<void> {
    this.el.pairing.hidden = false;
    let attempt = 0;
    for (;;) {
      let request: { code: string; secret: string; expiresAt: string; pollIntervalSeconds?: number };
      try {
        request = (await gql<{ requestPairingCode: typeof request }>(this.config.gatewayUrl, Q.requestPairingCode))
          .requestPairingCode;
        attempt = 0;
        this.online(true);
      } catch (err) {
        this.online(!(err instanceof NetworkError));
        this.el.pairingCode.textContent = '······';
        this.el.pairingHint.textContent = 'Waiting for the network…';
        await sleep(backoffDelay(attempt++, 2000, 30_000));
        continue;
      }
      this.el.pairingCode.textContent = request.code;
      this.el.pairingCode.dataset.code = request.code;
      this.el.pairingHint.textContent = 'Enter this code in the dashboard';
      const interval = Math.min(2000, (request.pollIntervalSeconds ?? 2) * 1000);
      while (Date.parse(request.expiresAt) > Date.now()) {
        await sleep(interval);
        try {
          const { pollPairing } = await gql<{
            pollPairing: { status: string; credential: Credential | null };
          }>(this.config.gatewayUrl, Q.pollPairing, { code: request.code, secret: request.secret });
          this.online(true);
          if (pollPairing.status === 'COMPLETED' && pollPairing.credential) {
            this.setCredential(pollPairing.credential);
            this.el.pairing.hidden = true;
            return;
          }
          if (pollPairing.status === 'EXPIRED') break;
        } catch (err) {
          this.online(!(err instanceof NetworkError));
          // a COMPLETED poll whose answer got lost cannot be repeated: the code expires and we ask again
        }
      }
    }
  }

  private setCredential(credential: Credential): void {
    this.credential = credential;
    writeJson(KEY.credential, credential);
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), refreshDelay(credential.expiresAt, Date.now()));
  }

  /** Exchanges the refresh token; false when the credential is gone for good (revoked): pair again. */
  private refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    const credential = this.credential;
    if (!credential) return false;
    for (let attempt = 0; ; attempt++) {
      try {
        const { refreshToken } = await gql<{ refreshToken: Omit<Credential, 'displayId'> & { displayId?: string } }>(
          this.config.gatewayUrl,
          Q.refreshToken,
          { refreshToken: credential.refreshToken },
        );
        this.setCredential({ ...refreshToken, displayId: refreshToken.displayId ?? credential.displayId });
        this.online(true);
        return true;
      } catch (err) {
        if (err instanceof GraphQLRequestError) {
          // Refresh token revoked, reused or expired: this screen must be paired again.
          console.warn('credential refused; pairing again', err.message);
          localStorage.removeItem(KEY.credential);
          this.credential = null;
          this.teardownLive();
          await this.pair();
          this.afterPaired();
          return false;
        }
        this.online(false);
        await sleep(backoffDelay(attempt, 5000, 60_000));
      }
    }
  }

  /** A gateway call as the device; refreshes once on UNAUTHENTICATED. */
  private async deviceGql<T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
    try {
      const data = await gql<T>(url, query, variables, this.credential?.accessToken);
      this.online(true);
      return data;
    } catch (err) {
      this.online(!(err instanceof NetworkError));
      if (err instanceof GraphQLRequestError && err.unauthenticated && (await this.refresh())) {
        return gql<T>(url, query, variables, this.credential?.accessToken);
      }
      throw err;
    }
  }

  // ── playlist ────────────────────────────────────────────────────────────────────────────────────

  private afterPaired(): void {
    this.el.pairing.hidden = true;
    if (this.credential) this.setCredential(this.credential);
    const stored = readJson<Playlist>(KEY.playlist);
    if (stored) this.offer(stored, false);
    void this.fetchPlaylist();
    this.subscribe();
    this.heartbeat();
    if (!this.playing) void this.loop();
  }

  private async fetchPlaylist(): Promise<void> {
    const credential = this.credential;
    if (!credential) return;
    const seq = ++this.seq;
    try {
      const { displayPlaylist } = await this.deviceGql<{ displayPlaylist: Playlist & { display: DisplayInfo } }>(
        this.config.gatewayUrl,
        Q.displayPlaylist,
        { displayId: credential.displayId },
      );
      const { display, ...playlist } = displayPlaylist;
      this.display = display;
      writeJson(KEY.display, display);
      this.layout();
      this.syncBoard();
      if (!this.tenantName) void this.fetchTenantName();
      await this.offer(playlist, true, seq);
    } catch (err) {
      console.warn('playlist fetch failed; playing what we have', (err as Error).message);
    }
  }

  /** Best effort: the neutral screen names the tenant when it knows it, the store otherwise. */
  private async fetchTenantName(): Promise<void> {
    try {
      const { tenant } = await this.deviceGql<{ tenant: { name: string } }>(this.config.gatewayUrl, Q.tenant, {});
      this.tenantName = tenant.name;
      writeJson(KEY.tenant, tenant.name);
    } catch (err) {
      console.warn('tenant name not fetched', (err as Error).message);
    }
  }

  /**
   * Takes a playlist from the network or storage: caches its assets first, then hands it to the scheduler. When
   * it withdraws the item on screen, the files get only a moment: the withdrawn item must go now, and its
   * successor plays from the network if its file is not cached yet.
   */
  private async offer(playlist: Playlist, fresh: boolean, seq = ++this.seq): Promise<void> {
    const withdraws = this.scheduler.withdraws(playlist);
    if (withdraws) {
      clearTimeout(this.withdrawTimer);
      // Whatever happens next (slow files, a successor that fails to load), the withdrawn item goes by then.
      this.withdrawTimer = setTimeout(() => {
        if (this.current && !this.scheduler.plays(this.current.item)) this.takeDown();
      }, WITHDRAW_GRACE_MS);
    }
    if (fresh && playlist.version !== this.scheduler.targetVersion) {
      const regionItems = (playlist.layout?.regions ?? []).flatMap((r) => (r.main ? [] : r.items));
      const caching = cacheAll([...playlist.items, ...regionItems].filter((i) => !isBuiltIn(i)));
      await (withdraws ? Promise.race([caching, sleep(WITHDRAW_GRACE_MS / 2)]) : caching);
    }
    if (seq < this.appliedSeq) return;
    this.appliedSeq = seq;
    const outcome = this.scheduler.offer(playlist);
    writeJson(KEY.playlist, this.scheduler.pending ?? this.scheduler.playlist);
    this.scheduleValidUntil(playlist.validUntil);
    if (outcome === 'immediate') {
      this.wake?.();
      this.interrupt?.();
    }
    if (outcome !== 'ignored') void pruneAssets(this.scheduler.wantedUrls()).catch(() => {});
    this.syncBoard();
    this.syncLayout(playlist);
    this.renderStatus();
  }

  /** Where the main loop plays: the layout's main region, or the whole stage. */
  private get mainStage(): HTMLElement {
    return this.layoutStage?.main ?? this.el.stage;
  }

  /**
   * Draws the newest playlist's layout. Regions that stay as they were take their new items in their own loops;
   * a new or changed layout (or none, or a takeover) is drawn at once and the main loop starts again inside it.
   */
  private syncLayout(playlist: Playlist): void {
    const layout = activeLayout(playlist);
    const key = layoutKey(layout);
    if (key === (this.layoutStage?.key ?? '')) {
      if (layout) this.layoutStage?.update(layout, playlist);
      return;
    }
    const previous = this.current;
    this.current = null;
    previous?.shown.dispose();
    this.layoutStage?.dispose();
    this.layoutStage = null;
    for (const old of [...this.el.stage.children]) old.remove();
    if (layout) {
      this.layoutStage = new LayoutStage(this.el.stage, layout, playlist, {
        board: () => this.board,
        played: (item, playlistVersion, startedAt, endedAt) =>
          this.record({
            id: crypto.randomUUID(),
            displayId: this.credential?.displayId ?? '',
            campaignId: item.campaignId ?? null,
            creativeId: item.creativeId,
            playlistVersion,
            startedAt: startedAt.toISOString(),
            endedAt: endedAt.toISOString(),
            durationMs: endedAt.getTime() - startedAt.getTime(),
          }),
      });
    }
    this.el.stage.dataset.layout = layout?.name ?? '';
    // The main loop shows its next item in the new place.
    this.wake?.();
    this.interrupt?.();
  }

  /** Runs the queue board's feed while a playlist has a board item and the store is known; stops it otherwise. */
  private syncBoard(): void {
    const playlists = [this.scheduler.playlist, this.scheduler.pending];
    const items = playlists.flatMap((p) => p?.items ?? []);
    const wanted =
      items.some((i) => i.mimeType.toLowerCase() === QUEUE_BOARD_MIME) ||
      playlists.some((p) => p?.layout?.regions.some((r) => r.kind === 'QUEUE_BOARD'));
    const storeId = this.display?.store?.id ?? null;
    if (this.board && (!wanted || this.board.storeId !== storeId)) {
      this.board.stop();
      this.board = null;
      this.layoutStage?.boardChanged();
    }
    if (!wanted || !storeId || this.board || !this.credential) return;
    this.board = new QueueBoardFeed(storeId, {
      query: (query, variables) => this.deviceGql(this.config.gatewayUrl, query, variables),
      subscribe: <T>(
        query: string,
        variables: Record<string, unknown>,
        sink: { next: (data: T) => void; error: (err: unknown) => void; complete: () => void },
      ) =>
        this.ws?.subscribe<T>(
          { query, variables },
          {
            next: (result) => (result.data ? sink.next(result.data) : sink.error(result.errors)),
            error: sink.error,
            complete: sink.complete,
          },
        ) ?? null,
    });
    this.board.start();
    if (this.wsConnected) this.board.connectedChanged(true);
    this.layoutStage?.boardChanged();
  }

  private scheduleValidUntil(validUntil: string | null): void {
    clearTimeout(this.validUntilTimer);
    if (!validUntil) return;
    const delay = Date.parse(validUntil) - Date.now();
    if (Number.isFinite(delay))
      this.validUntilTimer = setTimeout(() => void this.fetchPlaylist(), Math.max(0, delay) + 500);
  }

  // ── live changes ────────────────────────────────────────────────────────────────────────────────

  private subscribe(): void {
    if (this.ws || !this.credential) return;
    const displayId = this.credential.displayId;
    this.ws = createClient({
      url: this.config.wsUrl,
      lazy: false,
      keepAlive: 15_000,
      retryAttempts: Infinity,
      shouldRetry: () => true,
      retryWait: (retries) => sleep(backoffDelay(retries, 1000, 30_000)),
      connectionParams: () => ({ authorization: `Bearer ${this.credential?.accessToken ?? ''}` }),
      on: {
        connected: () => {
          this.wsConnected = true;
          this.board?.connectedChanged(true);
          this.renderStatus();
          // Catch up on anything missed while disconnected (the subscription also sends `current`).
          void this.fetchPlaylist();
          void this.flush();
        },
        closed: (event) => {
          this.wsConnected = false;
          this.board?.connectedChanged(false);
          this.renderStatus();
          const code = (event as { code?: number } | undefined)?.code;
          if (code === 4401 || code === 4403) void this.refresh();
        },
      },
    });
    // Each feed is subscribed again with backoff when it fails or ends (the client reconnects by itself).
    const listen = <T>(name: string, query: string, onData: (data: T) => void) => {
      let attempt = 0;
      const go = () => {
        const client = this.ws;
        if (!client) return;
        this.unsubscribe.set(
          name,
          client.subscribe<T>(
            { query, variables: { displayId } },
            {
              next: (msg) => {
                attempt = 0;
                if (msg.data) onData(msg.data as T);
              },
              error: (err) => {
                console.warn(`${name} failed; subscribing again`, err);
                if (Array.isArray(err) && err.some((e) => e?.extensions?.code === 'UNAUTHENTICATED'))
                  void this.refresh();
                setTimeout(() => this.ws === client && go(), backoffDelay(attempt++, 1000, 30_000));
              },
              complete: () => {
                setTimeout(() => this.ws === client && go(), backoffDelay(attempt++, 1000, 30_000));
              },
            },
          ),
        );
      };
      go();
    };
    listen<{ playlistChanged: { version: string; playlist: Playlist } }>('playlistChanged', Q.playlistChanged, (d) => {
      void this.offer(d.playlistChanged.playlist, true);
    });
    // Pending commands come first on every (re)subscription; each is carried out once per page.
    listen<{ displayCommandSent: DisplayCommand }>('displayCommandSent', Q.displayCommandSent, (d) => {
      const c = d.displayCommandSent;
      if (this.commandsDone.has(c.id)) return;
      this.commandsDone.add(c.id);
      void runCommand(c, this.commandHost()).catch((err: unknown) =>
        console.warn(`command ${c.kind} not answered`, (err as Error).message),
      );
    });
  }

  private commandHost(): CommandHost {
    return {
      answer: async (id, answer) => {
        await this.deviceGql(this.config.gatewayUrl, Q.answerDisplayCommand, { id, answer });
      },
      reload: () => window.location.reload(),
      clearCaches: async () => {
        // The unsent plays and the credential stay: proof of play is owed, and the display stays paired.
        for (const key of [KEY.playlist, KEY.display, KEY.tenant]) localStorage.removeItem(key);
        const names = await caches.keys();
        await Promise.all(
          names.filter((n) => n === ASSET_CACHE || n.startsWith(SHELL_CACHE)).map((n) => caches.delete(n)),
        );
      },
      identify: (ms) => showIdentify(this.el.root, this.display, ms),
      capture: () => captureStage(this.el.stage),
    };
  }

  private teardownLive(): void {
    this.board?.stop();
    this.board = null;
    for (const stop of this.unsubscribe.values()) stop();
    this.unsubscribe.clear();
    void this.ws?.dispose();
    this.ws = null;
    this.wsConnected = false;
  }

  private onOnline(): void {
    this.renderStatus();
    void this.fetchPlaylist();
    void this.flush();
  }

  // ── playback ────────────────────────────────────────────────────────────────────────────────────

  private async loop(): Promise<void> {
    this.playing = true;
    for (;;) {
      const slot = this.scheduler.next();
      if (!slot) {
        // Nothing to play (all withdrawn, or no playlist yet): the neutral screen, never the last creative.
        this.takeDown();
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, 5000);
        });
        this.wake = null;
        continue;
      }
      let shown: Shown;
      try {
        shown = await show(this.mainStage, slot.item, { board: this.board });
      } catch (err) {
        console.warn('skipping item', slot.item.creativeId, (err as Error).message);
        // A withdrawn item may stay only while its successor loads (and at most WITHDRAW_GRACE_MS, see offer).
        if (this.current && !this.scheduler.plays(this.current.item)) this.takeDown();
        await sleep(1000); // never spin when every item fails (offline and nothing cached)
        continue;
      }
      if (!shown.element.isConnected || shown.element.parentElement !== this.mainStage) {
        // The layout was redrawn while it loaded: show it again in the new place.
        shown.element.remove();
        shown.dispose();
        continue;
      }
      this.showMessage('');
      const previous = this.current;
      this.current = { shown, item: slot.item, creativeId: slot.item.creativeId, version: slot.playlist.version };
      previous?.shown.dispose();
      this.playCount++;
      const playStart = new Date();
      shown.element.dataset.startedAt = String(playStart.getTime());
      shown.element.dataset.durationMs = String(slot.item.durationMs);
      shown.element.dataset.seq = String(this.playCount);
      this.el.stage.dataset.version = slot.playlist.version;
      this.renderStatus();
      // A playlist that arrived while it loaded may have withdrawn it already: then it goes at once, unreported.
      if (!this.scheduler.plays(slot.item)) continue;
      await Promise.race([shown.ended, new Promise<void>((resolve) => (this.interrupt = resolve))]);
      this.interrupt = null;
      const endedAt = new Date();
      this.record({
        id: crypto.randomUUID(),
        displayId: this.credential?.displayId ?? '',
        campaignId: slot.item.campaignId ?? null, // null: a display override, reported all the same
        creativeId: slot.item.creativeId,
        playlistVersion: slot.playlist.version,
        startedAt: playStart.toISOString(),
        endedAt: endedAt.toISOString(),
        durationMs: endedAt.getTime() - playStart.getTime(),
      });
    }
  }

  /** Takes the item on screen down (disposed, no longer reported as playing) and shows the neutral screen. */
  private takeDown(): void {
    const current = this.current;
    this.current = null;
    if (current) {
      current.shown.element.remove();
      current.shown.dispose();
    }
    this.showMessage('');
    showIdle(this.mainStage, {
      tenant: this.tenantName,
      display: this.display?.name ?? null,
      store: this.display?.store?.name ?? null,
    });
    this.el.stage.dataset.version = this.scheduler.playlist?.version ?? '';
    this.renderStatus();
  }

  private showMessage(text: string): void {
    this.el.message.textContent = text;
    this.el.message.hidden = !text;
  }

  private layout(): void {
    const orientation = this.display?.orientation ?? 'LANDSCAPE';
    const w = window.innerWidth;
    const h = window.innerHeight;
    const layout = layoutStage(orientation, w, h, this.config.clockwise);
    Object.assign(this.el.stage.style, stageStyle(layout, w, h));
    this.el.stage.dataset.rotate = String(layout.rotate);
    this.el.stage.dataset.orientation = orientation;
  }

  // ── proof-of-play and heartbeats ────────────────────────────────────────────────────────────────

  private record(play: PlayEvent): void {
    if (!play.displayId) return;
    this.queue.push({ kind: 'play', event: play });
    this.renderStatus();
    if (this.queue.length >= this.queue.batchSize) void this.flush();
  }

  private heartbeat(): void {
    if (!this.credential) return;
    const beat: HeartbeatEvent = {
      id: crypto.randomUUID(),
      displayId: this.credential.displayId,
      at: new Date().toISOString(),
      currentCreativeId: this.current?.creativeId ?? null,
      playlistVersion: this.current?.version ?? this.scheduler.playlist?.version ?? null,
      appVersion: APP_VERSION,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
    this.queue.push({ kind: 'heartbeat', event: beat });
    void this.flush();
  }

  /** Sends the queue in batches; stops at the first failure and keeps what was not settled. */
  async flush(): Promise<void> {
    if (this.flushing || !this.credential) return;
    this.flushing = true;
    try {
      for (let batch = this.queue.nextBatch(); batch; batch = this.queue.nextBatch()) {
        const { recordPlayback } = await this.deviceGql<{ recordPlayback: RecordPlaybackResult }>(
          this.config.playbackUrl,
          Q.recordPlayback,
          { input: batch.input },
        );
        const outcome = this.queue.settle(batch, recordPlayback);
        this.lastFlush = `${new Date().toISOString()} sent ${batch.events.length}, accepted ${recordPlayback.accepted}, duplicates ${recordPlayback.duplicates ?? 0}, rejected ${recordPlayback.rejected.length}`;
        if (outcome.removed === 0) break; // everything rejected for retry: try again later
      }
    } catch (err) {
      // Offline, platform down, or no recordPlayback yet: everything stays queued.
      this.lastFlush = `${new Date().toISOString()} failed: ${(err as Error).message}`;
    } finally {
      this.flushing = false;
      this.renderStatus();
    }
  }

  // ── status ──────────────────────────────────────────────────────────────────────────────────────

  private online(ok: boolean): void {
    if (this.lastRequestOk !== ok) {
      this.lastRequestOk = ok;
      this.renderStatus();
    }
  }

  private renderStatus(): void {
    const online = navigator.onLine && this.lastRequestOk;
    const s = this.el.status;
    const info: Record<string, string> = {
      display: this.display?.name ?? '—',
      displayId: this.credential?.displayId ?? 'not paired',
      version: this.current?.version ?? this.scheduler.playlist?.version ?? '—',
      pending: this.scheduler.pending?.version ?? '—',
      online: String(online),
      live: String(this.wsConnected),
      queue: String(this.queue.length),
      plays: String(this.playCount),
      creative: this.current?.creativeId ?? '—',
      app: APP_VERSION,
      flush: this.lastFlush || '—',
    };
    for (const [k, v] of Object.entries(info)) s.dataset[k] = v;
    s.textContent = Object.entries(info)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n');
    this.el.root.dataset.online = String(online);
  }
}
