/**
 * The "now serving" board: a built-in content kind the player draws itself from the graph (the queue
 * subgraph's queueBoard and queueUpdated), not a file. Pure parts here (tested in node); the live feed is
 * board-feed.ts, the DOM swap renderer.ts.
 */

/** The MIME type campaign gives QUEUE_BOARD playlist items (its URL names the content, nothing to fetch). */
export const QUEUE_BOARD_MIME = 'application/vnd.phub.queue-board';

/** Items whose URL is a built-in's name rather than a file: never fetched or cached. */
export const isBuiltIn = (item: { url: string; mimeType: string }): boolean =>
  item.mimeType.toLowerCase() === QUEUE_BOARD_MIME || item.url.startsWith('phub:');

export interface BoardCall {
  number: string;
  desk: string | null;
  calledAt: string;
  lastCalledAt: string;
  recallCount: number;
}

export interface BoardLine {
  lineId: string;
  name: string;
  prefix: string;
  isOpen: boolean;
  waiting: number;
  estimatedWaitMinutes: number;
  next: string[];
  called: BoardCall[];
}

export interface QueueBoard {
  storeId: string;
  at: string;
  lines: BoardLine[];
}

export const BOARD_FIELDS = `storeId at lines { lineId name prefix isOpen waiting estimatedWaitMinutes next
  called { number desk calledAt lastCalledAt recallCount } }`;

/** How many waiting numbers a line shows. */
export const NEXT_SHOWN = 5;

/** A call as the screen knows it: the same number called again (a recall) is a new call. */
const callKey = (line: BoardLine, call: BoardCall) => `${line.lineId}|${call.number}|${call.lastCalledAt}`;

/**
 * The calls on `next` that were not on `previous` (a number just called, or called again), newest first:
 * the screen highlights them. Nothing is new on the first board a screen shows (no flashing at start-up).
 */
export function newCalls(previous: QueueBoard | null, next: QueueBoard): { line: BoardLine; call: BoardCall }[] {
  if (!previous || previous.storeId !== next.storeId) return [];
  const seen = new Set(previous.lines.flatMap((l) => l.called.map((c) => callKey(l, c))));
  return next.lines
    .flatMap((line) => line.called.map((call) => ({ line, call })))
    .filter(({ line, call }) => !seen.has(callKey(line, call)))
    .sort((a, b) => Date.parse(b.call.lastCalledAt) - Date.parse(a.call.lastCalledAt));
}

/** Which of two boards is newer (boards from the query and from events may arrive out of order). */
export const isNewer = (candidate: QueueBoard, current: QueueBoard | null): boolean =>
  !current || current.storeId !== candidate.storeId || Date.parse(candidate.at) >= Date.parse(current.at);

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Names come from store managers: never HTML. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export function formatWait(minutes: number): string {
  if (minutes < 1) return 'No wait';
  if (minutes < 60) return `About ${Math.round(minutes)} min`;
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - h * 60);
  return `About ${h} h${m ? ` ${m} min` : ''}`;
}

export interface BoardViewOptions {
  /** Calls to highlight (newCalls of the last update). */
  highlight: { line: BoardLine; call: BoardCall }[];
  /** The feed is not live: say since when the board is shown as it was. */
  staleSince: string | null;
  /** Local time formatter for the stale note (tests pass a fixed one). */
  formatTime?: (iso: string) => string;
}

const defaultTime = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * The board as HTML: one panel per line with the numbers being called (large, with their desk), the next
 * waiting numbers and the estimated wait; a banner with the latest new call. Every text is escaped.
 */
export function renderBoardHtml(board: QueueBoard | null, options: BoardViewOptions): string {
  const fmt = options.formatTime ?? defaultTime;
  if (!board) {
    return `<div class="qb-empty">Queue information will appear here shortly</div>`;
  }
  const highlighted = new Set(options.highlight.map(({ line, call }) => callKey(line, call)));
  const latest = options.highlight[0];
  const banner = latest
    ? `<div class="qb-banner" data-number="${escapeHtml(latest.call.number)}">` +
      `<span class="qb-banner-number">${escapeHtml(latest.call.number)}</span>` +
      (latest.call.desk ? `<span class="qb-banner-desk">${escapeHtml(latest.call.desk)}</span>` : '') +
      `</div>`
    : '';
  const lines = board.lines.length
    ? board.lines
        .map((line) => {
          const called = line.called.length
            ? line.called
                .map((call) => {
                  const fresh = highlighted.has(callKey(line, call));
                  return (
                    `<li class="qb-call${fresh ? ' qb-fresh' : ''}" data-number="${escapeHtml(call.number)}">` +
                    `<span class="qb-number">${escapeHtml(call.number)}</span>` +
                    `<span class="qb-desk">${call.desk ? escapeHtml(call.desk) : ''}</span></li>`
                  );
                })
                .join('')
            : `<li class="qb-call qb-none"><span class="qb-number">—</span></li>`;
          const next = line.next
            .slice(0, NEXT_SHOWN)
            .map((n) => `<li>${escapeHtml(n)}</li>`)
            .join('');
          const wait = line.isOpen
            ? `${line.waiting} waiting · ${formatWait(line.estimatedWaitMinutes)}`
            : line.waiting
              ? `${line.waiting} waiting · closed to new visitors`
              : 'Closed';
          return (
            `<section class="qb-line" data-line-id="${escapeHtml(line.lineId)}">` +
            `<h2>${escapeHtml(line.name)}</h2>` +
            `<div class="qb-label">Now serving</div><ol class="qb-called">${called}</ol>` +
            `<div class="qb-label">Next</div><ol class="qb-next">${next || '<li class="qb-none">—</li>'}</ol>` +
            `<div class="qb-wait">${escapeHtml(wait)}</div></section>`
          );
        })
        .join('')
    : `<div class="qb-empty">No queue is open</div>`;
  const stale = options.staleSince
    ? `<div class="qb-stale">Reconnecting… shown as of ${escapeHtml(fmt(options.staleSince))}</div>`
    : '';
  return `${banner}<div class="qb-lines" data-lines="${board.lines.length}">${lines}</div>${stale}`;
}
