import { randomUUID } from 'node:crypto';
import { presenceMomentEventV1, queueTicketEventV1, type PresenceMomentEventV1 } from '@phub/contracts';
import {
  badInput,
  type BusSubscription,
  type Clock,
  type DeliveredMessage,
  enqueue,
  type EventBus,
  type Logger,
  type WebhookHub,
} from '@phub/kit';
import { type DataSource, In } from 'typeorm';
import { ConsumedTopic, TICKET_GROUP, VisitorTopic } from '../../events.js';
import type { VisitorMetrics } from '../../metrics.js';
import type { VisitorScope } from '../../scope.js';
import { isUniqueViolation, isUuid, tableName } from '../../tables.js';
import { AuditAction } from '../audit/audit.entity.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ConsentService } from '../consent/consent.service.js';
import { ConsentPurpose, Profile, ProfileSource } from '../profile/profile.entity.js';
import type { ProfileService } from '../profile/profile.service.js';
import type { SegmentService } from '../segment/segment.service.js';
import { Visit, type VisitorCard, type VisitorCheckInReceipt } from './checkin.entity.js';
import {
  checkInNotFound,
  noConsent,
  notYourStore,
  ticketAlreadyCheckedIn,
  ticketNotInStore,
} from './checkin.errors.js';
import type { CheckInVisitorInput, VisitorNoteInput } from './checkin.input.js';
import { checkInWebhookEvent } from './checkin.webhooks.js';

const FINAL_STATES = new Set(['SERVED', 'NO_SHOW', 'CANCELLED', 'CANCELLED_BY_CLERK']);

export interface CheckInSettings {
  momentSeconds: number;
  windowMinutes: number;
}

/**
 * Check-ins: a visitor recognised at the desk, a kiosk or an appointment becomes a visit; with PERSONALISED_SCREENS
 * consent it emits `presence.moment.v1` (their segment keys, nothing personal) in the same transaction (outbox).
 * The store's staff see consenting visitors' cards. The queue's ticket events (no personal data on the bus) give a
 * visit linked by its ticket id its outcome, and tell which store a ticket belongs to.
 */
export class CheckInService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly profiles: ProfileService,
    private readonly consents: ConsentService,
    private readonly segments: SegmentService,
    private readonly audit: AuditService,
    private readonly metrics: VisitorMetrics,
    private readonly settings: CheckInSettings,
    private readonly nudgeOutbox: () => void,
    private readonly webhooks: WebhookHub,
  ) {}

  async checkIn(scope: VisitorScope, input: CheckInVisitorInput): Promise<VisitorCheckInReceipt> {
    if (!isUuid(input.storeId)) throw badInput('storeId is not an id', { reason: 'INVALID_ID' });
    if (!scope.canCheckIn(input.storeId)) throw notYourStore(input.storeId);
    if (input.ticketId != null) await this.assertTicketOfStore(scope.tenantId, input.storeId, input.ticketId);
    const outcome = await this.ticketOutcome(input.ticketId ?? null);
    await this.profiles.personal.ready(scope.tenantId);
    const receipt = await this.dataSource
      .transaction(async (m) => {
        const { profile, record } = await this.profiles.recognise(
          m,
          scope.tenantId,
          input,
          ProfileSource.CHECK_IN,
          scope.actor,
          `CHECK_IN:${input.source}`,
        );
        const at = new Date(this.clock.now());
        const visit = Object.assign(new Visit(), {
          id: randomUUID(),
          tenantId: scope.tenantId,
          storeId: input.storeId,
          profileId: profile.id,
          source: input.source,
          ticketId: input.ticketId ?? null,
          outcome,
          momentId: null,
          at,
        });
        profile.visitCount += 1;
        await m.update(Profile, { id: profile.id }, { visitCount: profile.visitCount, lastSeenAt: at });
        await m.insert(Visit, visit);
        await this.segments.refreshFor(m, profile, record);
        await this.segments.devices.publish(m, profile, record);
        let momentEmitted = false;
        const personalised = await this.consents.granted(m, profile.id, ConsentPurpose.PERSONALISED_SCREENS);
        const segmentKeys = personalised ? await this.segments.keysOf(m, profile.id) : [];
        if (personalised) {
          const moment: PresenceMomentEventV1 = presenceMomentEventV1.schema.parse({
            tenantId: scope.tenantId,
            storeId: input.storeId,
            momentId: randomUUID(),
            source: 'CHECK_IN',
            zoneId: null,
            segmentKeys,
            occurredAt: at.toISOString(),
            expiresAt: new Date(at.getTime() + this.settings.momentSeconds * 1000).toISOString(),
          });
          await enqueue(m, { topic: VisitorTopic.moment, key: input.storeId, payload: moment });
          await m.update(Visit, { id: visit.id }, { momentId: moment.momentId });
          momentEmitted = true;
        }
        await this.webhooks.fanOut(
          m,
          checkInWebhookEvent({
            tenantId: scope.tenantId,
            storeId: input.storeId,
            checkInId: visit.id,
            visitorId: profile.id,
            source: input.source,
            ticketId: visit.ticketId,
            segmentKeys,
            at,
          }),
        );
        await this.audit.record(m, {
          tenantId: scope.tenantId,
          actor: scope.actor,
          action: AuditAction.CHECK_IN,
          profileId: profile.id,
          storeId: input.storeId,
          fields: [
            'identifiers',
            ...(input.name ? ['name'] : []),
            ...(input.attributes?.length ? ['attributes'] : []),
            ...(input.consents?.length ? ['consents'] : []),
          ],
        });
        return { checkInId: visit.id, visitorId: profile.id, momentEmitted, at };
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err) && input.ticketId) throw ticketAlreadyCheckedIn(input.ticketId);
        throw err;
      });
    if (receipt.momentEmitted) this.nudgeOutbox();
    this.metrics.checkIns.inc({ source: input.source, moment: String(receipt.momentEmitted) });
    return receipt;
  }

  /** A ticket the queue told us about must be of this tenant and store; one not heard of yet is taken on trust. */
  private async assertTicketOfStore(tenantId: string, storeId: string, ticketId: string): Promise<void> {
    if (!isUuid(ticketId)) throw ticketNotInStore(ticketId);
    const [known] = (await this.dataSource.query(
      `SELECT "tenant_id", "store_id" FROM ${tableName(this.dataSource, 'known_ticket')} WHERE "id" = $1`,
      [ticketId],
    )) as { tenant_id: string; store_id: string }[];
    if (known && (known.tenant_id !== tenantId || known.store_id !== storeId)) throw ticketNotInStore(ticketId);
  }

  private async ticketOutcome(ticketId: string | null): Promise<string | null> {
    if (!ticketId) return null;
    const [known] = (await this.dataSource.query(
      `SELECT "state" FROM ${tableName(this.dataSource, 'known_ticket')} WHERE "id" = $1`,
      [ticketId],
    )) as { state: string }[];
    return known && FINAL_STATES.has(known.state) ? known.state : null;
  }

  /** The store's recent check-ins: to its own managers and staff; a card only for consenting visitors (audited). */
  async recent(scope: VisitorScope, storeId: string): Promise<{ visit: Visit; card: VisitorCard | null }[]> {
    if (!isUuid(storeId) || !scope.canSeeCheckIns(storeId)) throw notYourStore(storeId);
    const since = new Date(new Date(this.clock.now()).getTime() - this.settings.windowMinutes * 60_000);
    const visits = await this.dataSource.manager
      .createQueryBuilder(Visit, 'v')
      .where('v.tenantId = :t AND v.storeId = :s AND v.at >= :since', { t: scope.tenantId, s: storeId, since })
      .orderBy('v.at', 'DESC')
      .take(200)
      .getMany();
    return this.withCards(scope, storeId, visits);
  }

  /** Cards of consenting visitors (one unseal each), each shown one audited. */
  private async withCards(
    scope: VisitorScope,
    storeId: string,
    visits: Visit[],
  ): Promise<{ visit: Visit; card: VisitorCard | null }[]> {
    const profileIds = [...new Set(visits.map((v) => v.profileId))];
    const profiles = profileIds.length ? await this.dataSource.manager.findBy(Profile, { id: In(profileIds) }) : [];
    const consents = await this.consents.current(this.dataSource, profileIds);
    const badges = await this.segments.segmentsOf(profileIds, true);
    const cards = new Map<string, VisitorCard | null>();
    const shown: string[] = [];
    for (const p of profiles) {
      const consenting = consents.get(p.id)?.get(ConsentPurpose.PERSONALISED_SCREENS)?.granted ?? false;
      const record =
        consenting && !p.erasedAt
          ? await this.profiles.personal.open(this.dataSource, p.tenantId, p.id, p.sealed)
          : null;
      if (!record) {
        cards.set(p.id, null);
        continue;
      }
      shown.push(p.id);
      cards.set(p.id, {
        name: record.name,
        badges: badges.get(p.id) ?? [],
        notes: record.notes.map((n) => ({ text: n.text, storeId: n.storeId, at: new Date(n.at) })),
      });
    }
    await this.audit.record(
      null,
      ...shown.map((profileId) => ({
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: AuditAction.READ_CHECK_IN_CARD,
        profileId,
        storeId,
        fields: ['name', 'badges', 'notes'],
      })),
    );
    return visits.map((visit) => ({ visit, card: cards.get(visit.profileId) ?? null }));
  }

  /** A staff note on a consenting visitor's record, by the staff of the store they checked in at. */
  async addNote(scope: VisitorScope, input: VisitorNoteInput): Promise<{ visit: Visit; card: VisitorCard | null }> {
    const visit = isUuid(input.checkInId)
      ? await this.dataSource.manager.findOneBy(Visit, { id: input.checkInId, tenantId: scope.tenantId })
      : null;
    if (!visit) throw checkInNotFound(input.checkInId);
    if (!scope.canSeeCheckIns(visit.storeId)) throw checkInNotFound(input.checkInId);
    await this.dataSource.transaction(async (m) => {
      const profile = await this.profiles.find(m, scope.tenantId, visit.profileId);
      if (profile.erasedAt || !(await this.consents.granted(m, profile.id, ConsentPurpose.PERSONALISED_SCREENS))) {
        throw noConsent();
      }
      await this.profiles.addNote(m, profile, visit.storeId, input.text.trim());
      await this.audit.record(m, {
        tenantId: scope.tenantId,
        actor: scope.actor,
        action: AuditAction.NOTE,
        profileId: profile.id,
        storeId: visit.storeId,
        fields: ['notes'],
      });
    });
    return (await this.withCards(scope, visit.storeId, [visit]))[0]!;
  }

  subscribe(bus: EventBus, logger: Logger): Promise<BusSubscription> {
    return bus.subscribe({
      groupId: TICKET_GROUP,
      topics: [ConsumedTopic.ticket],
      fromBeginning: true,
      handler: (message) => this.applyTicket(message, logger),
    });
  }

  /**
   * A queue ticket's change: remembered (tenant, store, state; older events never overwrite newer ones); a visit
   * linked to it takes its final state as outcome, and a link to a ticket of another store is dropped.
   */
  async applyTicket(message: DeliveredMessage, logger: Logger): Promise<void> {
    const parsed = queueTicketEventV1.schema.safeParse(message.value);
    if (!parsed.success) {
      logger.warn({ offset: message.offset, issues: parsed.error.issues }, 'skipping malformed ticket event');
      return;
    }
    const { ticket, occurredAt } = parsed.data;
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO ${tableName(m, 'known_ticket')} AS k ("id", "tenant_id", "store_id", "state", "occurred_at")
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT ("id") DO UPDATE SET "state" = EXCLUDED."state", "store_id" = EXCLUDED."store_id",
           "tenant_id" = EXCLUDED."tenant_id", "occurred_at" = EXCLUDED."occurred_at"
         WHERE k."occurred_at" <= EXCLUDED."occurred_at"`,
        [ticket.id, ticket.tenantId, ticket.storeId, ticket.state, occurredAt],
      );
      const visits = tableName(m, 'visit');
      await m.query(
        `UPDATE ${visits} SET "ticket_id" = NULL WHERE "ticket_id" = $1 AND ("tenant_id" <> $2 OR "store_id" <> $3)`,
        [ticket.id, ticket.tenantId, ticket.storeId],
      );
      if (FINAL_STATES.has(ticket.state)) {
        await m.query(`UPDATE ${visits} SET "outcome" = $2 WHERE "ticket_id" = $1`, [ticket.id, ticket.state]);
      }
    });
  }
}
