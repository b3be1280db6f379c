import { randomUUID } from 'node:crypto';
import { type Clock, forbidden } from '@phub/kit';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { QueueScope } from '../../scope.js';
import { isUuid } from '../../tables.js';
import { KnownStore } from '../projection/projection.entity.js';
import { Line, LineKind } from './line.entity.js';
import { hoursInvalid, lineNotFound, storeNotKnown } from './line.errors.js';
import { invalidWindow, isOpenAt, type OpeningWindow } from './line.hours.js';
import type { CreateLineInput, LineHoursInput, UpdateLineInput } from './line.input.js';

const copyHours = (hours: LineHoursInput[]): OpeningWindow[] =>
  hours.map((h) => ({ day: h.day, opens: h.opens, closes: h.closes }));

function checkHours(hours: LineHoursInput[] | null | undefined): void {
  const bad = invalidWindow(hours ? copyHours(hours) : null);
  if (bad) throw hoursInvalid(bad.day);
}

/**
 * Writes a line's `queue.line.v1` in the transaction that changed its settings, as ticket changes write theirs
 * (TicketEvents), and wakes the outbox relay after commit.
 */
export interface LineEvents {
  lineSettingsChanged(m: EntityManager, lineId: string, at: Date): Promise<void>;
  afterCommit(pending: { sms: boolean; webhooks: boolean }): void;
}

/**
 * Lines of a store: configuration by managers, reads by everyone who may see the store's queue. Every change of
 * a line's settings emits its state (`queue.line.v1`) through the outbox, so consumers (campaign's queue
 * conditions) see a renamed, re-timed or archived line without waiting for its next ticket.
 */
export class LineService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    /** The event writer, wired once the ticket events exist (see index.ts). */
    private readonly events: () => LineEvents,
  ) {}

  /** Saves a line and writes its new state to the outbox in one transaction. */
  private async write(line: Line): Promise<Line> {
    const events = this.events();
    const saved = await this.dataSource.transaction(async (m) => {
      const row = await m.save(line);
      await events.lineSettingsChanged(m, row.id, new Date(this.clock.now()));
      return row;
    });
    events.afterCommit({ sms: false, webhooks: false });
    return saved;
  }

  /** A store location told us about, in the given tenant; NOT_FOUND otherwise (also across tenants). */
  async knownStore(tenantId: string, storeId: string, manager: EntityManager = this.dataSource.manager) {
    if (!isUuid(storeId)) throw storeNotKnown(storeId);
    const store = await manager.findOneBy(KnownStore, { id: storeId, tenantId });
    if (!store || store.archivedAt) throw storeNotKnown(storeId);
    return store;
  }

  /** The lines of a store, empty when the viewer may not see it. */
  async list(scope: QueueScope, storeId: string, includeArchived = false): Promise<Line[]> {
    if (!isUuid(storeId) || !scope.canReadLines(scope.tenantId, storeId)) return [];
    const qb = this.dataSource
      .getRepository(Line)
      .createQueryBuilder('l')
      .where('l.tenantId = :t AND l.storeId = :s', { t: scope.tenantId, s: storeId });
    if (!includeArchived) qb.andWhere('l.archivedAt IS NULL');
    return qb.orderBy('l.prefix').addOrderBy('l.name').getMany();
  }

  /** A line the viewer may see; NOT_FOUND otherwise. */
  async get(scope: QueueScope, id: string, manager: EntityManager = this.dataSource.manager): Promise<Line> {
    const line = await this.find(id, manager);
    if (!line || !scope.canReadLines(line.tenantId, line.storeId)) throw lineNotFound(id);
    return line;
  }

  /** A line by id whoever asks (visitors joining by link); NOT_FOUND when unknown. */
  async find(id: string, manager: EntityManager = this.dataSource.manager): Promise<Line | null> {
    if (!isUuid(id)) return null;
    return manager.findOneBy(Line, { id });
  }

  findMany(ids: readonly string[]): Promise<Line[]> {
    const valid = [...new Set(ids)].filter(isUuid);
    return valid.length ? this.dataSource.manager.findBy(Line, { id: In(valid) }) : Promise.resolve([]);
  }

  async create(scope: QueueScope, input: CreateLineInput): Promise<Line> {
    if (!scope.canConfigure(input.storeId))
      throw forbidden(`You may not configure the queue of store ${input.storeId}`);
    checkHours(input.openingHours);
    await this.knownStore(scope.tenantId, input.storeId);
    const line = this.dataSource.manager.create(Line, {
      id: randomUUID(),
      tenantId: scope.tenantId,
      storeId: input.storeId,
      name: input.name.trim(),
      prefix: input.prefix,
      openingHours: input.openingHours?.length ? copyHours(input.openingHours) : null,
      capacity: input.capacity ?? null,
      kind: input.kind ?? LineKind.WALK_IN,
      slotMinutes: input.slotMinutes ?? null,
      slotCapacity: input.slotCapacity ?? null,
      archivedAt: null,
      createdAt: new Date(this.clock.now()),
    });
    return this.write(line);
  }

  async update(scope: QueueScope, input: UpdateLineInput): Promise<Line> {
    const line = await this.get(scope, input.id);
    if (!scope.canConfigure(line.storeId)) throw forbidden(`You may not configure the queue of store ${line.storeId}`);
    checkHours(input.openingHours);
    if (input.name != null) line.name = input.name.trim();
    if (input.prefix != null) line.prefix = input.prefix;
    if (input.openingHours != null)
      line.openingHours = input.openingHours.length ? copyHours(input.openingHours) : null;
    if (input.capacity !== undefined) line.capacity = input.capacity;
    if (input.slotMinutes !== undefined) line.slotMinutes = input.slotMinutes;
    if (input.slotCapacity !== undefined) line.slotCapacity = input.slotCapacity;
    return this.write(line);
  }

  /** Archived lines take no new tickets; the tickets already in them can still be served. */
  async archive(scope: QueueScope, id: string): Promise<Line> {
    const line = await this.get(scope, id);
    if (!scope.canConfigure(line.storeId)) throw forbidden(`You may not configure the queue of store ${line.storeId}`);
    // Archiving twice changes nothing, and says nothing new.
    if (line.archivedAt) return line;
    line.archivedAt = new Date(this.clock.now());
    return this.write(line);
  }

  /** Whether the line takes remote joins now, by its own hours or its store's, in the store's zone. */
  async isOpen(line: Line, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    if (line.archivedAt) return false;
    const store = await manager.findOneBy(KnownStore, { id: line.storeId, tenantId: line.tenantId });
    if (!store || store.archivedAt) return false;
    return isOpenAt(line.openingHours ?? store.openingHours, store.timezone, this.clock.now());
  }
}
