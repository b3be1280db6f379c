import { type Clock, DEMO_TENANT_ID, type Logger } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import { Appointment, AppointmentSource, AppointmentState } from '../modules/appointment/appointment.entity.js';
import { slotsOfDay } from '../modules/appointment/appointment.slots.js';
import { CollectOrder, CollectOrderState } from '../modules/collect/collect.entity.js';
import { Desk } from '../modules/desk/desk.entity.js';
import { Line, LineKind } from '../modules/line/line.entity.js';
import { localDay, type OpeningWindow } from '../modules/line/line.hours.js';
import { KnownStore } from '../modules/projection/projection.entity.js';
import { Ticket, TicketAction, TicketActionKind, TicketSource, TicketState } from '../modules/ticket/ticket.entity.js';
import { ticketNumber } from '../modules/ticket/ticket.rules.js';
import type { PersonalData } from '../personal-data.js';
import { tableName } from '../tables.js';
import { hashToken, newVisitorToken } from '../tokens.js';

/**
 * Location's demo ids follow one public formula (see location's demo data and kit's DEMO_FIRST_STORE_ID);
 * repeated here because subgraphs never import each other. The queue's own rows use the same formula with
 * kinds of their own, so every restart finds the rows it wrote before.
 */
const demoId = (kind: string, n: number) => `00000000-0000-4000-8000-${`${kind}${n.toString(16)}`.padStart(12, '0')}`;
export const demoStoreId = (n: number) => demoId('5a', n);
export const demoLineId = (store: number, n: number) => demoId('c1', store * 16 + n);
export const demoDeskId = (store: number, n: number) => demoId('c2', store * 16 + n);
export const demoTicketId = (store: number, n: number) => demoId('c3', store * 16 + n);
const demoActionId = (store: number, n: number) => demoId('c4', store * 16 + n);
export const demoAppointmentId = (store: number, n: number) => demoId('c5', store * 16 + n);
export const demoOrderId = (store: number, n: number) => demoId('c6', store * 16 + n);

// Auth's demo store staff (its demoUserId(4), Sam Taylor of London Oxford Street) added the demo tickets.
const DEMO_STAFF_ID = '00000000-0000-4000-8000-00000000a5e4';

type Day = OpeningWindow['day'];
const week = (opens: string, closes: string, sat: [string, string], sun?: [string, string]): OpeningWindow[] => [
  ...(['MON', 'TUE', 'WED', 'THU', 'FRI'] as Day[]).map((day) => ({ day, opens, closes })),
  { day: 'SAT', opens: sat[0], closes: sat[1] },
  ...(sun ? [{ day: 'SUN' as Day, opens: sun[0], closes: sun[1] }] : []),
];

/** Location's demo stores (subgraphs/location/src/demo/demo-data.ts): their zones and hours, as it publishes them. */
export const DEMO_STORES = [
  {
    n: 1,
    name: 'London Oxford Street',
    timezone: 'Europe/London',
    hours: week('09:00', '21:00', ['09:00', '21:00'], ['12:00', '18:00']),
  },
  {
    n: 2,
    name: 'Manchester Arndale',
    timezone: 'Europe/London',
    hours: week('09:00', '20:00', ['09:00', '20:00'], ['11:00', '17:00']),
  },
  { n: 3, name: 'Dublin Grafton Street', timezone: 'Europe/Dublin', hours: week('09:30', '19:00', ['09:30', '19:00']) },
  {
    n: 4,
    name: 'New York Fifth Avenue',
    timezone: 'America/New_York',
    hours: week('10:00', '21:00', ['10:00', '21:00'], ['11:00', '19:00']),
  },
  {
    n: 5,
    name: 'Chicago Michigan Avenue',
    timezone: 'America/Chicago',
    hours: week('10:00', '20:00', ['10:00', '20:00']),
  },
  {
    n: 6,
    name: 'San Francisco Airport',
    timezone: 'America/Los_Angeles',
    hours: week('06:00', '22:00', ['06:00', '22:00'], ['06:00', '22:00']),
  },
] as const;

const INFORMATION = 1;
const RETURNS = 2;
const TELLERS = 3;
const COLLECT = 4;
/** Dublin's store doubles as a bank-branch-like counter: a Tellers line of its own. */
const TELLERS_STORE = 3;
/** The store whose queue is live on a fresh demo platform. */
export const DEMO_LIVE_STORE = 1;

/** Information takes 20-minute appointments, two at a time; London also has a Click&Collect pickup line. */
const linesOf = (store: number) => [
  { n: INFORMATION, name: 'Information', prefix: 'A', kind: LineKind.WALK_IN, slotMinutes: 20, slotCapacity: 2 },
  { n: RETURNS, name: 'Returns', prefix: 'R', kind: LineKind.WALK_IN, slotMinutes: null, slotCapacity: null },
  ...(store === TELLERS_STORE
    ? [{ n: TELLERS, name: 'Tellers', prefix: 'T', kind: LineKind.WALK_IN, slotMinutes: null, slotCapacity: null }]
    : []),
  ...(store === DEMO_LIVE_STORE
    ? [
        {
          n: COLLECT,
          name: 'Click & Collect',
          prefix: 'C',
          kind: LineKind.COLLECT,
          slotMinutes: null,
          slotCapacity: null,
        },
      ]
    : []),
];

/** London's booked appointments on Information, with the codes visitors check in with at a kiosk. */
export const DEMO_APPOINTMENTS = [
  { n: 1, name: 'Charles Babbage', code: 'APPT2345' },
  { n: 2, name: 'Hedy Lamarr', code: 'APPT2346' },
  { n: 3, name: 'Tim Berners-Lee', code: 'APPT2347' },
] as const;

/** London's collect orders waiting for their customers, with their pickup codes. */
export const DEMO_ORDERS = [
  { n: 1, reference: 'WEB-10001', name: 'Margaret Hamilton', code: 'PKUP2345' },
  { n: 2, reference: 'WEB-10002', name: 'Claude Shannon', code: 'PKUP2346' },
] as const;

/** Desk 1 serves every line (empty list); the Returns counter only returns. */
const desksOf = (store: number) => [
  { n: 1, name: 'Desk 1', lineIds: [] as string[] },
  { n: 2, name: 'Returns counter', lineIds: [demoLineId(store, RETURNS)] },
];

/** London's waiting visitors, in the order they arrived (minutes ago). */
export const DEMO_TICKETS = [
  { n: 1, line: INFORMATION, name: 'Ada Lovelace', minutesAgo: 14 },
  { n: 2, line: RETURNS, name: 'Alan Turing', minutesAgo: 11 },
  { n: 3, line: INFORMATION, name: 'Grace Hopper', minutesAgo: 7 },
  { n: 4, line: INFORMATION, name: 'Katherine Johnson', minutesAgo: 3 },
  { n: 5, line: RETURNS, name: 'Edsger Dijkstra', minutesAgo: 1 },
] as const;

/**
 * Seeds the demo tenant's queues: lines and desks in every demo store, and a few waiting tickets in London.
 * Every row has a fixed id and is inserted with ON CONFLICT DO NOTHING, so a restart never duplicates or
 * overwrites anything (tickets staff have served since stay served).
 */
export async function seedDemoData(
  dataSource: DataSource,
  personal: PersonalData,
  clock: Clock,
  logger: Logger,
): Promise<number> {
  const now = clock.now();
  const tenantId = DEMO_TENANT_ID;
  return dataSource.transaction(async (m) => {
    // Location's events may not have arrived yet on a first start; these stand-ins are dated at the epoch,
    // so the first real event of each store replaces them (the projection keeps the newest).
    await m
      .createQueryBuilder()
      .insert()
      .into(KnownStore)
      .values(
        DEMO_STORES.map((s) => ({
          id: demoStoreId(s.n),
          tenantId,
          timezone: s.timezone,
          openingHours: s.hours.map((h) => ({ ...h })),
          archivedAt: null,
          occurredAt: new Date(0),
        })),
      )
      .orIgnore()
      .execute();
    const created = new Date(now);
    await m
      .createQueryBuilder()
      .insert()
      .into(Line)
      .values(
        DEMO_STORES.flatMap((s) =>
          linesOf(s.n).map((l) => ({
            id: demoLineId(s.n, l.n),
            tenantId,
            storeId: demoStoreId(s.n),
            name: l.name,
            prefix: l.prefix,
            openingHours: null,
            capacity: null,
            kind: l.kind,
            slotMinutes: l.slotMinutes,
            slotCapacity: l.slotCapacity,
            archivedAt: null,
            createdAt: created,
          })),
        ),
      )
      .orIgnore()
      .execute();
    await m
      .createQueryBuilder()
      .insert()
      .into(Desk)
      .values(
        DEMO_STORES.flatMap((s) =>
          desksOf(s.n).map((d) => ({
            id: demoDeskId(s.n, d.n),
            tenantId,
            storeId: demoStoreId(s.n),
            name: d.name,
            lineIds: d.lineIds,
            staffUserId: null,
            staffedAt: null,
            archivedAt: null,
            createdAt: created,
          })),
        ),
      )
      .orIgnore()
      .execute();
    const tickets = await seedTickets(m, personal, now);
    await seedVisits(m, personal, now);
    logger.info({ stores: DEMO_STORES.length, tickets }, 'queue demo data created');
    return tickets;
  });
}

/** London's waiting tickets, numbered per line on the store's own day; returns how many were new. */
async function seedTickets(m: EntityManager, personal: PersonalData, now: number): Promise<number> {
  const store = DEMO_STORES.find((s) => s.n === DEMO_LIVE_STORE)!;
  const day = localDay(store.timezone, now);
  const perLine = new Map<number, number>();
  let inserted = 0;
  for (const t of DEMO_TICKETS) {
    const n = (perLine.get(t.line) ?? 0) + 1;
    perLine.set(t.line, n);
    const line = linesOf(store.n).find((l) => l.n === t.line)!;
    const id = demoTicketId(store.n, t.n);
    const at = new Date(now - t.minutesAgo * 60_000);
    const result = await m
      .createQueryBuilder()
      .insert()
      .into(Ticket)
      .values({
        id,
        tenantId: DEMO_TENANT_ID,
        storeId: demoStoreId(store.n),
        lineId: demoLineId(store.n, t.line),
        deskId: null,
        number: ticketNumber(line.prefix, n),
        day,
        state: TicketState.NEW,
        parked: false,
        source: TicketSource.DESK,
        queuedAt: at,
        createdAt: at,
        calledAt: null,
        recalledAt: null,
        recallCount: 0,
        parkedAt: null,
        servedAt: null,
        noShowAt: null,
        cancelledAt: null,
        // Sealed like every visitor's name: bound to this ticket id and field.
        visitorName: personal.seal(id, 'visitorName', t.name),
        visitorPhone: null,
        phoneHash: null,
        note: null,
        tokenHash: null,
        updatedAt: at,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    // Already there from an earlier start: neither its audit row nor the line's counter move again.
    if (!(result.raw as unknown[]).length) continue;
    inserted++;
    await m
      .createQueryBuilder()
      .insert()
      .into(TicketAction)
      .values({
        id: demoActionId(store.n, t.n),
        tenantId: DEMO_TENANT_ID,
        storeId: demoStoreId(store.n),
        ticketId: id,
        action: TicketActionKind.CREATED,
        actorKind: 'user',
        actorId: DEMO_STAFF_ID,
        fromState: null,
        toState: TicketState.NEW,
        detail: { lineId: demoLineId(store.n, t.line) },
        at,
      })
      .orIgnore()
      .execute();
    // The next ticket staff add today follows the demo ones (A004, not a second A001).
    await m.query(
      `INSERT INTO ${tableName(m, 'line_counter')} AS c ("line_id", "day", "last") VALUES ($1, $2, $3)
       ON CONFLICT ("line_id", "day") DO UPDATE SET "last" = GREATEST(c."last", EXCLUDED."last")`,
      [demoLineId(store.n, t.line), day, n],
    );
  }
  return inserted;
}

/**
 * London's appointments (the next three Information slots at least half an hour ahead, by the store's own
 * hours and zone, spread over the slots) and collect orders. Fixed ids and codes, inserted once: a restart
 * never moves or duplicates them. Their visitor links are random (nobody holds them); the codes work at a kiosk.
 */
async function seedVisits(m: EntityManager, personal: PersonalData, now: number): Promise<void> {
  const store = DEMO_STORES.find((s) => s.n === DEMO_LIVE_STORE)!;
  const info = linesOf(store.n).find((l) => l.n === INFORMATION)!;
  const hours = store.hours.map((h) => ({ ...h }));
  const upcoming = [];
  for (let d = 0; d < 8 && upcoming.length < DEMO_APPOINTMENTS.length; d++) {
    const day = localDay(store.timezone, now + d * 86_400_000);
    for (const slot of slotsOfDay(hours, store.timezone, day, info.slotMinutes!)) {
      if (slot.start.getTime() >= now + 30 * 60_000 && upcoming.length < DEMO_APPOINTMENTS.length) {
        upcoming.push({ ...slot, day });
      }
    }
  }
  const at = new Date(now);
  for (const [i, a] of DEMO_APPOINTMENTS.entries()) {
    const slot = upcoming[i];
    if (!slot) break;
    const id = demoAppointmentId(store.n, a.n);
    await m
      .createQueryBuilder()
      .insert()
      .into(Appointment)
      .values({
        id,
        tenantId: DEMO_TENANT_ID,
        storeId: demoStoreId(store.n),
        lineId: demoLineId(store.n, INFORMATION),
        start: slot.start,
        end: slot.end,
        day: slot.day,
        state: AppointmentState.BOOKED,
        source: AppointmentSource.STAFF,
        visitorName: personal.seal(id, 'visitorName', a.name),
        visitorPhone: null,
        phoneHash: null,
        tokenHash: hashToken(newVisitorToken()),
        codeHash: personal.codeHash(a.code),
        ticketId: null,
        bookedByKind: 'user',
        bookedById: DEMO_STAFF_ID,
        remindedAt: null,
        checkedInAt: null,
        cancelledAt: null,
        noShowAt: null,
        createdAt: at,
        updatedAt: at,
      })
      .orIgnore()
      .execute();
  }
  for (const o of DEMO_ORDERS) {
    const id = demoOrderId(store.n, o.n);
    await m
      .createQueryBuilder()
      .insert()
      .into(CollectOrder)
      .values({
        id,
        tenantId: DEMO_TENANT_ID,
        storeId: demoStoreId(store.n),
        lineId: demoLineId(store.n, COLLECT),
        reference: o.reference,
        state: CollectOrderState.READY,
        customerName: personal.seal(id, 'customerName', o.name),
        customerPhone: null,
        phoneHash: null,
        codeHash: personal.codeHash(o.code),
        ticketId: null,
        createdByKind: 'partner',
        createdById: null,
        createdAt: at,
        checkedInAt: null,
        collectedAt: null,
        cancelledAt: null,
        updatedAt: at,
      })
      .orIgnore()
      .execute();
  }
}
