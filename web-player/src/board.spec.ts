import { describe, expect, it } from 'vitest';
import {
  formatWait,
  isBuiltIn,
  isNewer,
  newCalls,
  QUEUE_BOARD_MIME,
  renderBoardHtml,
  type QueueBoard,
} from './board.js';

const line = (over: Partial<QueueBoard['lines'][number]> = {}): QueueBoard['lines'][number] => ({
  lineId: 'l1',
  name: 'Information',
  prefix: 'A',
  isOpen: true,
  waiting: 3,
  estimatedWaitMinutes: 6.4,
  next: ['A004', 'A005', 'A006'],
  called: [
    {
      number: 'A003',
      desk: 'Desk 2',
      calledAt: '2030-03-12T10:00:00Z',
      lastCalledAt: '2030-03-12T10:00:00Z',
      recallCount: 0,
    },
  ],
  ...over,
});
const board = (lines = [line()], at = '2030-03-12T10:00:01Z'): QueueBoard => ({ storeId: 's1', at, lines });
const OPTIONS = { highlight: [], staleSince: null, formatTime: (iso: string) => iso.slice(11, 16) };

describe(renderBoardHtml.name, () => {
  it('shows each line with its called numbers and desks, the next numbers and the wait', () => {
    const html = renderBoardHtml(board(), OPTIONS);
    expect(html).toContain('<h2>Information</h2>');
    expect(html).toMatch(
      /<li class="qb-call" data-number="A003"><span class="qb-number">A003<\/span><span class="qb-desk">Desk 2<\/span>/,
    );
    expect(html).toContain('<ol class="qb-next"><li>A004</li><li>A005</li><li>A006</li></ol>');
    expect(html).toContain('3 waiting · About 6 min');
    expect(html).not.toContain('qb-banner');
    expect(html).not.toContain('qb-stale');
  });

  it('highlights a new call with a banner and a flashing tile', () => {
    const before = board();
    const after = board(
      [
        line({
          next: ['A005', 'A006'],
          called: [
            {
              number: 'A004',
              desk: 'Desk 1',
              calledAt: '2030-03-12T10:01:00Z',
              lastCalledAt: '2030-03-12T10:01:00Z',
              recallCount: 0,
            },
            ...line().called,
          ],
        }),
      ],
      '2030-03-12T10:01:00Z',
    );
    const fresh = newCalls(before, after);
    expect(fresh.map((f) => f.call.number)).toEqual(['A004']);
    const html = renderBoardHtml(after, { ...OPTIONS, highlight: fresh });
    expect(html).toContain(
      '<div class="qb-banner" data-number="A004"><span class="qb-banner-number">A004</span><span class="qb-banner-desk">Desk 1</span></div>',
    );
    expect(html).toContain('<li class="qb-call qb-fresh" data-number="A004">');
    expect(html).toContain('<li class="qb-call" data-number="A003">');
  });

  it('treats a recall as a new call, and nothing as new on the first board', () => {
    const recalled = board([
      line({ called: [{ ...line().called[0]!, lastCalledAt: '2030-03-12T10:02:00Z', recallCount: 1 }] }),
    ]);
    expect(newCalls(board(), recalled).map((f) => f.call.number)).toEqual(['A003']);
    expect(newCalls(null, board())).toEqual([]);
    expect(newCalls(board(), board())).toEqual([]);
  });

  it('escapes what store managers typed', () => {
    const html = renderBoardHtml(
      board([line({ name: '<img src=x onerror=alert(1)>', called: [{ ...line().called[0]!, desk: 'A & "B"' }] })]),
      OPTIONS,
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('A &amp; &quot;B&quot;');
  });

  it('says since when a board is shown while offline, and handles empty and closed lines', () => {
    expect(renderBoardHtml(board(), { ...OPTIONS, staleSince: '2030-03-12T10:00:01Z' })).toContain(
      '<div class="qb-stale">Reconnecting… shown as of 10:00</div>',
    );
    expect(renderBoardHtml(null, OPTIONS)).toContain('qb-empty');
    expect(renderBoardHtml(board([]), OPTIONS)).toContain('No queue is open');
    const closed = renderBoardHtml(board([line({ isOpen: false, waiting: 0, called: [], next: [] })]), OPTIONS);
    expect(closed).toContain('>Closed<');
    expect(closed).toContain('<span class="qb-number">—</span>');
  });
});

describe('board helpers', () => {
  it.each([
    [0, 'No wait'],
    [0.6, 'No wait'],
    [12.4, 'About 12 min'],
    [75, 'About 1 h 15 min'],
    [120, 'About 2 h'],
  ])('formatWait(%d) → %s', (minutes, text) => expect(formatWait(minutes)).toBe(text));

  it('orders boards by when they were read, so a late query answer does not undo an event', () => {
    const older = board(undefined, '2030-03-12T10:00:00Z');
    const newer = board(undefined, '2030-03-12T10:00:05Z');
    expect(isNewer(newer, older)).toBe(true);
    expect(isNewer(older, newer)).toBe(false);
    expect(isNewer(older, null)).toBe(true);
  });

  it('knows built-in items, which are never fetched', () => {
    expect(isBuiltIn({ url: 'phub:builtin/queue-board/v1', mimeType: QUEUE_BOARD_MIME })).toBe(true);
    expect(isBuiltIn({ url: 'https://cdn.example/a.png', mimeType: 'image/png' })).toBe(false);
  });
});
