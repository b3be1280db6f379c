import { randomUUID } from 'node:crypto';
import { enqueue, enqueueWith, type OutboxEvent, preparedQuery, settledByCommit } from '@phub/kit';
import type { EntityManager } from 'typeorm';
import { lineEvent, QueueTopic, ticketEvent } from '../../events.js';
import type { Actor } from '../../scope.js';
import { tableName } from '../../tables.js';
import { Desk } from '../desk/desk.entity.js';
import { SERVICE_SAMPLES } from '../estimate/estimate.rules.js';
import { EstimateService, WINDOW_MS } from '../estimate/estimate.service.js';
import { isOpenAt, type OpeningWindow } from '../line/line.hours.js';
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

/** The first waiting ticket of a line, as the line's state query finds it. */
interface Head {
  id: string;
  queuedAt: number;
  seq: string;
}
interface LineRow {
  state_version: string;
  tenant_id: string;
  store_id: string;
  name: string;
  opening_hours: OpeningWindow[] | null;
  archived_at: Date | null;
}
interface StateRow {
  timezone: string | null;
  store_hours: OpeningWindow[] | null;
  store_archived: boolean | null;
  desks: number;
  waiting: number;
  parked: number;
  called: number;
  samples: (string | number)[];
  head: Head | null;
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
    /** Service time assumed before a line has served anyone (the estimate's default). */
    private readonly defaultServiceMs: number,
    private readonly sms: SmsService,
    private readonly webhooks: WebhookService,
    private readonly wakers: Wakers,
  ) {}

  /**
   * `lockedLineId`: the line whose row this transaction already holds locked (issuing, call-next and clerk actions
   * lock the ticket's line first); its version bump then goes in the same statement as its state query.
   * `written`: the change's own write, still in flight (pipeline mode): the line's state query goes out behind it
   * in the same round trip, and Postgres runs it after the write, so it sees the change. What the write returns
   * (an issued ticket's number) is on the ticket once it settles.
   */
  async record(
    m: EntityManager,
    change: TicketChange,
    lockedLineId: string | null = null,
    written?: Promise<unknown>,
  ): Promise<Pending> {
    const { ticket: t, action, before, at } = change;
    const pending: Pending = { sms: false, webhooks: false };
    const fromLineId = before && before.lineId !== t.lineId ? before.lineId : null;
    // A note changes no line. Lines in id order, so two transfers between the same lines cannot deadlock on their rows.
    const lineIds = action === TicketActionKind.NOTE ? [] : [...new Set([t.lineId, fromLineId ?? t.lineId])].sort();
    const cause = { ticketId: t.id, action };
    const states = lineIds.map((lineId, i) =>
      i === 0 ? this.lineChanged(m, lineId, cause, at, lineId === lockedLineId) : null,
    );
    states[0]?.catch(() => undefined);
    // The write's own error, if it failed (the statements behind it then fail as "transaction aborted").
    await written;
    const eventId = randomUUID();
    const event = ticketEvent(eventId, t, action, before?.state ?? null, change.actor, at, fromLineId);
    const events: OutboxEvent[] = [{ topic: QueueTopic.ticket, key: t.id, payload: event }];
    const deliveries = this.webhooks.fanOut(m, t, action, eventId, event);
    if (action === TicketActionKind.CALLED && t.smsConsent && t.visitorPhone) {
      const desk = t.deskId ? await m.findOneBy(Desk, { id: t.deskId }) : null;
      pending.sms = await this.sms.queueForTicket(m, t, SmsKind.CALLED, smsText.called(t.number, desk?.name ?? null));
    }
    for (const [i, lineId] of lineIds.entries()) {
      const { event: lineState, head } = await (states[i] ??
        this.lineChanged(m, lineId, cause, at, lineId === lockedLineId));
      events.push(lineState);
      if (
        head &&
        (await this.youAreNext(m, lineId, (lineState.payload as { name?: string }).name ?? '', head, change))
      ) {
        pending.sms = true;
      }
    }
    // The webhook deliveries and the events in one statement (this runs for every ticket change), and COMMIT right
    // behind it: nothing here needs its answer first.
    await settledByCommit(m, () =>
      enqueueWith(m, events, [deliveries]).then(([webhooks]) => void (pending.webhooks = webhooks! > 0)),
    );
    return pending;
  }

  /**
   * A line's settings changed (created, renamed, hours, capacity, slots, archived): its `queue.line.v1`, with no
   * ticket as the cause, in the transaction of the change; `afterCommit({ sms: false, webhooks: false })` then.
   */
  async lineSettingsChanged(m: EntityManager, lineId: string, at: Date): Promise<void> {
    await enqueue(m, (await this.lineChanged(m, lineId, null, at, false)).event);
  }

  afterCommit(pending: Pending): void {
    this.wakers.outbox();
    if (pending.sms || pending.webhooks) this.wakers.jobs(pending);
  }

  /**
   * The line's state after the change as `queue.line.v1`. Its row is locked (the version bump) first, so the
   * line's events are written one transaction at a time, each seeing the one before: versions and outbox order
   * follow commit order. This runs in every ticket change: one statement when the transaction holds the line's
   * lock already (the bump is a data-modifying WITH of the state query: the same snapshot, taken under the lock),
   * else the bump first, taking the lock, and then the state.
   */
  private async lineChanged(
    m: EntityManager,
    lineId: string,
    cause: { ticketId: string; action: TicketActionKind } | null,
    at: Date,
    locked: boolean,
  ): Promise<{ event: OutboxEvent; head: Head | null }> {
    const lines = tableName(m, 'line');
    const bump = `UPDATE ${lines} SET "state_version" = "state_version" + 1 WHERE "id" = $1`;
    const columns = `"state_version", "tenant_id", "store_id", "name", "opening_hours", "archived_at"`;
    if (!locked) await preparedQuery(m, bump, [lineId]);
    const ticket = tableName(m, 'ticket');
    const [state] = (await preparedQuery(
      m,
      `${locked ? `WITH "l" AS (${bump} RETURNING ${columns})` : ''}
       SELECT l.*,
         s."timezone", s."opening_hours" AS "store_hours", s."archived_at" IS NOT NULL AS "store_archived",
         (SELECT count(*) FROM ${tableName(m, 'desk')} d WHERE d."tenant_id" = l."tenant_id" AND d."store_id" = l."store_id"
            AND d."archived_at" IS NULL AND d."staff_user_id" IS NOT NULL
            AND (cardinality(d."line_ids") = 0 OR $1 = ANY(d."line_ids")))::int AS "desks",
         c."waiting", c."parked", c."called",
         (SELECT coalesce(array_agg(x."ms"), '{}') FROM (
            SELECT extract(epoch FROM ("served_at" - "called_at")) * 1000 AS "ms" FROM ${ticket}
            WHERE "line_id" = $1 AND "state" = 'SERVED' AND "served_at" >= $2 AND "called_at" IS NOT NULL
            ORDER BY "served_at" DESC LIMIT ${SERVICE_SAMPLES}) x) AS "samples",
         (SELECT json_build_object('id', h."id", 'queuedAt', (extract(epoch FROM h."queued_at") * 1000)::float8, 'seq', h."seq"::text)
            FROM ${ticket} h WHERE h."line_id" = $1 AND h."state" = 'NEW' AND NOT h."parked"
            ORDER BY h."queued_at", h."seq" LIMIT 1) AS "head"
       FROM ${locked ? '"l"' : `(SELECT ${columns} FROM ${lines} WHERE "id" = $1) l`}
       CROSS JOIN (SELECT count(*) FILTER (WHERE "state" = 'NEW' AND NOT "parked")::int AS "waiting",
                    count(*) FILTER (WHERE "state" = 'NEW' AND "parked")::int AS "parked",
                    count(*) FILTER (WHERE "state" = 'CALLED')::int AS "called"
             FROM ${ticket} WHERE "line_id" = $1 AND "state" IN ('NEW', 'CALLED')) c
       LEFT JOIN ${tableName(m, 'known_store')} s ON s."id" = l."store_id" AND s."tenant_id" = l."tenant_id"`,
      [lineId, new Date(at.getTime() - WINDOW_MS)],
    )) as (StateRow & LineRow)[];
    const s = state!;
    const line = s;
    const load = {
      recentServiceMs: s.samples.map((ms) => Math.max(0, Number(ms))),
      defaultServiceMs: this.defaultServiceMs,
      staffedDesks: s.desks,
      busy: s.called,
    };
    const hours = line.opening_hours ?? s.store_hours ?? [];
    // As LineService.isOpen: not archived, a store location knows, within the hours in its zone.
    const open =
      !line.archived_at && s.timezone !== null && !s.store_archived && isOpenAt(hours, s.timezone, at.getTime());
    const payload = lineEvent(
      {
        tenantId: line.tenant_id,
        storeId: line.store_id,
        lineId,
        name: line.name,
        archived: line.archived_at !== null,
        open,
        timezone: s.timezone ?? 'UTC',
        openingHours: hours,
        waiting: s.waiting,
        parked: s.parked,
        called: s.called,
        staffedDesks: s.desks,
        estimatedWaitMinutes: EstimateService.minutes(load, s.waiting),
        version: Number(line.state_version),
        cause,
      },
      at,
    );
    return { event: { topic: QueueTopic.line, key: lineId, payload }, head: s.head };
  }

  /**
   * "You are next" goes to the ticket that became first in its line through this change: first among the
   * line's waiting tickets (NEW, not parked — what `position` 1 means) now, and not before. So it goes when the
   * ticket ahead was called, cancelled, parked or moved away, or when the ticket itself came back (returned,
   * unparked, transferred in) at the head; not to a ticket that is first the moment it is issued (the visitor
   * sees that on joining). Once per ticket; checked again when it is sent (skipped if called meanwhile).
   */
  private async youAreNext(
    m: EntityManager,
    lineId: string,
    lineName: string,
    head: Head,
    change: TicketChange,
  ): Promise<boolean> {
    const { ticket: t, before } = change;
    let became: boolean;
    if (head.id === t.id) {
      became = before !== null && !waitingIn(before, lineId);
    } else {
      const mine = t.queuedAt.getTime();
      const ahead = mine < head.queuedAt || (mine === head.queuedAt && BigInt(t.seq) < BigInt(head.seq));
      became = waitingIn(before, lineId) && ahead;
    }
    if (!became) return false;
    const first = head.id === t.id ? t : await m.findOneByOrFail(Ticket, { id: head.id });
    return this.sms.queueForTicket(m, first, SmsKind.NEXT, smsText.next(first.number, lineName));
  }
}
