import { randomUUID } from 'node:crypto';
import { enqueue } from '@phub/kit';
import type { EntityManager } from 'typeorm';
import { lineEvent, QueueTopic, ticketEvent } from '../../events.js';
import type { Actor } from '../../scope.js';
import { tableName } from '../../tables.js';
import { Desk } from '../desk/desk.entity.js';
import { EstimateService } from '../estimate/estimate.service.js';
import { Line } from '../line/line.entity.js';
import type { LineService } from '../line/line.service.js';
import { KnownStore } from '../projection/projection.entity.js';
import { SmsKind } from '../sms/sms.entity.js';
import { smsText } from '../sms/sms.rules.js';
import type { SmsService } from '../sms/sms.service.js';
import type { WebhookService } from '../webhook/webhook.service.js';
import { Ticket, TicketActionKind, TicketState } from './ticket.entity.js';

/** How a ticket stood before a change; null for the change that issued it. */
export interface TicketBefore {
  state: TicketState;
  parked: boolean;
  lineId: string;
}

export interface TicketChange {
  ticket: Ticket;
  action: TicketActionKind;
  actor: Actor;
  at: Date;
  before: TicketBefore | null;
}

/** What a committed change left for the worker (so only then is it woken). */
export interface Pending {
  sms: boolean;
  webhooks: boolean;
}

/** Wakes whoever sends what a change queued: the outbox relay, and the worker's SMS and webhook jobs. */
export interface Wakers {
  outbox(): void;
  jobs(pending: Pending): void;
}

const waitingIn = (b: TicketBefore | null, lineId: string) =>
  !!b && b.lineId === lineId && b.state === TicketState.NEW && !b.parked;

/**
 * Everything a ticket change causes besides itself, written in its transaction: the `queue.ticket.v1` event
 * and each touched line's `queue.line.v1` (transactional outbox), a webhook delivery per matching endpoint,
 * and the visitors' SMS ("it is your turn" for the called ticket, "you are next" for a ticket that became
 * first in its line).
 */
export class TicketEvents {
  constructor(
    private readonly estimates: EstimateService,
    private readonly lines: LineService,
    private readonly sms: SmsService,
    private readonly webhooks: WebhookService,
    private readonly wakers: Wakers,
  ) {}

  async record(m: EntityManager, change: TicketChange): Promise<Pending> {
    const { ticket: t, action, before, at } = change;
    const pending: Pending = { sms: false, webhooks: false };
    const eventId = randomUUID();
    const fromLineId = before && before.lineId !== t.lineId ? before.lineId : null;
    const event = ticketEvent(eventId, t, action, before?.state ?? null, change.actor, at, fromLineId);
    await enqueue(m, { topic: QueueTopic.ticket, key: t.id, payload: event });
    pending.webhooks = (await this.webhooks.fanOut(m, t, action, eventId, event)) > 0;
    if (action === TicketActionKind.CALLED) {
      const desk = t.deskId ? await m.findOneBy(Desk, { id: t.deskId }) : null;
      pending.sms = await this.sms.queueForTicket(m, t, SmsKind.CALLED, smsText.called(t.number, desk?.name ?? null));
    }
    // A note changes no line.
    if (action === TicketActionKind.NOTE) return pending;
    // Lines in id order, so two transfers between the same lines cannot deadlock on their rows.
    for (const lineId of [...new Set([t.lineId, fromLineId ?? t.lineId])].sort()) {
      await this.lineChanged(m, lineId, t, action, at);
      if (await this.youAreNext(m, lineId, change)) pending.sms = true;
    }
    return pending;
  }

  afterCommit(pending: Pending): void {
    this.wakers.outbox();
    if (pending.sms || pending.webhooks) this.wakers.jobs(pending);
  }

  /**
   * The line's state after the change as `queue.line.v1`. Its row is locked (the version bump) first, so the
   * line's events are written one transaction at a time, each seeing the one before: versions and outbox order
   * follow commit order.
   */
  private async lineChanged(
    m: EntityManager,
    lineId: string,
    t: Ticket,
    action: TicketActionKind,
    at: Date,
  ): Promise<void> {
    const [rows] = (await m.query(
      `UPDATE ${tableName(m, 'line')} SET "state_version" = "state_version" + 1 WHERE "id" = $1 RETURNING "state_version"`,
      [lineId],
    )) as [{ state_version: string }[], number];
    const line = await m.findOneByOrFail(Line, { id: lineId });
    const store = await m.findOneBy(KnownStore, { id: line.storeId, tenantId: line.tenantId });
    const load = (await this.estimates.loadMany([lineId], m)).get(lineId)!;
    const [parked] = (await m.query(
      `SELECT count(*)::int AS "n" FROM ${tableName(m, 'ticket')} WHERE "line_id" = $1 AND "state" = 'NEW' AND "parked"`,
      [lineId],
    )) as { n: number }[];
    const event = lineEvent(
      {
        tenantId: line.tenantId,
        storeId: line.storeId,
        lineId,
        name: line.name,
        archived: line.archivedAt !== null,
        open: await this.lines.isOpen(line, m),
        timezone: store?.timezone ?? 'UTC',
        openingHours: line.openingHours ?? store?.openingHours ?? [],
        waiting: load.waiting,
        parked: parked?.n ?? 0,
        called: load.busy,
        staffedDesks: load.staffedDesks,
        estimatedWaitMinutes: EstimateService.minutes(load, load.waiting),
        version: Number(rows[0]!.state_version),
        cause: { ticketId: t.id, action },
      },
      at,
    );
    await enqueue(m, { topic: QueueTopic.line, key: lineId, payload: event });
  }

  /**
   * "You are next" goes to the ticket that became first in its line through this change: first among the
   * line's waiting tickets (NEW, not parked — what `position` 1 means) now, and not before. So it goes when the
   * ticket ahead was called, cancelled, parked or moved away, or when the ticket itself came back (returned,
   * unparked, transferred in) at the head; not to a ticket that is first the moment it is issued (the visitor
   * sees that on joining). Once per ticket; checked again when it is sent (skipped if called meanwhile).
   */
  private async youAreNext(m: EntityManager, lineId: string, change: TicketChange): Promise<boolean> {
    const { ticket: t, before } = change;
    const [head] = (await m.query(
      `SELECT "id", "queued_at", "seq" FROM ${tableName(m, 'ticket')}
       WHERE "line_id" = $1 AND "state" = 'NEW' AND NOT "parked" ORDER BY "queued_at", "seq" LIMIT 1`,
      [lineId],
    )) as { id: string; queued_at: Date; seq: string }[];
    if (!head) return false;
    let became: boolean;
    if (head.id === t.id) {
      became = before !== null && !waitingIn(before, lineId);
    } else {
      const ahead =
        t.queuedAt.getTime() < head.queued_at.getTime() ||
        (t.queuedAt.getTime() === head.queued_at.getTime() && BigInt(t.seq) < BigInt(head.seq));
      became = waitingIn(before, lineId) && ahead;
    }
    if (!became) return false;
    const first = await m.findOneByOrFail(Ticket, { id: head.id });
    const line = await m.findOneByOrFail(Line, { id: lineId });
    return this.sms.queueForTicket(m, first, SmsKind.NEXT, smsText.next(first.number, line.name));
  }
}
