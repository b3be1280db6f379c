import { describe, expect, it } from 'vitest';
import { applyTicketChange, currentAtDesk, roundWait, sortQueue, type QueueTicket } from './queue';

const t = (
  id: string,
  over: Partial<QueueTicket & { calledAt: string }> = {},
): QueueTicket & { calledAt?: string } => ({
  id,
  lineId: 'L1',
  number: `A${id}`,
  state: 'NEW',
  parked: false,
  queuedAt: `2026-01-01T10:0${id}:00Z`,
  position: Number(id),
  ...over,
});

describe(sortQueue.name, () => {
  it('puts called tickets first, then the line in order, then parked ones', () => {
    const sorted = sortQueue([t('3'), t('1', { parked: true }), t('2', { state: 'CALLED', position: null }), t('4')]);
    expect(sorted.map((x) => x.id)).toEqual(['2', '3', '4', '1']);
  });
});

describe(applyTicketChange.name, () => {
  it('adds a joining ticket in its place', () => {
    expect(applyTicketChange([t('1'), t('3')], t('2')).map((x) => x.id)).toEqual(['1', '2', '3']);
  });

  it('replaces a changed ticket and drops a finished one', () => {
    const called = applyTicketChange([t('1'), t('2')], t('2', { state: 'CALLED' }));
    expect(called.map((x) => [x.id, x.state])).toEqual([
      ['2', 'CALLED'],
      ['1', 'NEW'],
    ]);
    expect(applyTicketChange(called, t('2', { state: 'SERVED' })).map((x) => x.id)).toEqual(['1']);
  });

  it('drops a ticket transferred out of the line being watched', () => {
    expect(applyTicketChange([t('1'), t('2')], t('2', { lineId: 'L2' }), 'L1').map((x) => x.id)).toEqual(['1']);
    expect(applyTicketChange([t('1'), t('2')], t('2', { lineId: 'L2' })).map((x) => x.id)).toEqual(['1', '2']);
  });
});

describe(currentAtDesk.name, () => {
  it('is the desk’s most recent call still open', () => {
    const list = [
      t('1', { state: 'CALLED', deskId: 'D1', calledAt: '2026-01-01T10:00:00Z' }),
      t('2', { state: 'CALLED', deskId: 'D1', calledAt: '2026-01-01T10:05:00Z' }),
      t('3', { state: 'CALLED', deskId: 'D2', calledAt: '2026-01-01T10:09:00Z' }),
    ];
    expect(currentAtDesk(list, 'D1')?.id).toBe('2');
    expect(currentAtDesk(list, 'D3')).toBeUndefined();
  });
});

describe(roundWait.name, () => {
  it.each([
    [0, 1],
    [0.2, 1],
    [4.1, 5],
    [null, null],
    [Number.NaN, null],
  ])('%s → %s', (m, expected) => {
    expect(roundWait(m)).toBe(expected);
  });
});
