import DataLoader from 'dataloader';
import type { EstimateService, LineState } from './modules/estimate/estimate.service.js';
import type { Line } from './modules/line/line.entity.js';
import type { LineService } from './modules/line/line.service.js';
import type { SmsMessage } from './modules/sms/sms.entity.js';
import type { SmsService } from './modules/sms/sms.service.js';
import type { Ticket } from './modules/ticket/ticket.entity.js';
import type { TicketService } from './modules/ticket/ticket.service.js';

/**
 * Batches the per-ticket and per-line figures of one response into a few queries (a board of 100 tickets
 * is not 400 queries). No cache: a subscription keeps its context for its whole life, and every event
 * must read the queue as it is now.
 */
export interface QueueLoaders {
  /** Waiting tickets before each ticket in its line; null unless it waits. */
  ahead: DataLoader<Ticket, number | null>;
  /** A line's load and waiting count. */
  line: DataLoader<string, LineState>;
  /** Lines by id (a ticket's line). */
  lineById: DataLoader<string, Line | null>;
  /** A ticket's SMS, oldest first. */
  smsByTicket: DataLoader<string, SmsMessage[]>;
}

export function createLoaders(
  tickets: TicketService,
  estimates: EstimateService,
  lines: LineService,
  sms: SmsService,
): QueueLoaders {
  return {
    ahead: new DataLoader(
      async (list) => {
        const found = await tickets.aheadMany(list);
        return list.map((t) => found.get(t.id) ?? null);
      },
      { cache: false },
    ),
    line: new DataLoader(
      async (ids) => {
        const found = await estimates.loadMany(ids);
        return ids.map((id) => found.get(id)!);
      },
      { cache: false },
    ),
    lineById: new DataLoader(
      async (ids) => {
        const found = await lines.findMany(ids);
        return ids.map((id) => found.find((l) => l.id === id) ?? null);
      },
      { cache: false },
    ),
    smsByTicket: new DataLoader(
      async (ids) => {
        const found = await sms.forTickets(ids);
        return ids.map((id) => found.filter((m) => m.ticketId === id));
      },
      { cache: false },
    ),
  };
}
