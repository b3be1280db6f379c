import { randomUUID } from 'node:crypto';
import { type Clock, forbidden, Role } from '@phub/kit';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { QueueScope } from '../../scope.js';
import { isUuid } from '../../tables.js';
import { Line } from '../line/line.entity.js';
import type { LineService } from '../line/line.service.js';
import { Desk } from './desk.entity.js';
import { deskArchived, deskNotFound, deskNotForLine, lineOfOtherStore, staffOnlyThemselves } from './desk.errors.js';
import type { CreateDeskInput, UpdateDeskInput } from './desk.input.js';

/** Desks (service points) of a store and who works at them. */
export class DeskService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lines: LineService,
    private readonly clock: Clock,
  ) {}

  async list(scope: QueueScope, storeId: string): Promise<Desk[]> {
    if (!isUuid(storeId) || !scope.canRead(scope.tenantId, storeId)) return [];
    return this.dataSource
      .getRepository(Desk)
      .createQueryBuilder('d')
      .where('d.tenantId = :t AND d.storeId = :s AND d.archivedAt IS NULL', { t: scope.tenantId, s: storeId })
      .orderBy('d.name')
      .getMany();
  }

  async get(scope: QueueScope, id: string, manager: EntityManager = this.dataSource.manager): Promise<Desk> {
    const desk = isUuid(id) ? await manager.findOneBy(Desk, { id }) : null;
    if (!desk || !scope.canRead(desk.tenantId, desk.storeId)) throw deskNotFound(id);
    return desk;
  }

  /** A desk of the line's store that serves the line and is in use; BAD_USER_INPUT / CONFLICT otherwise. */
  async deskForLine(scope: QueueScope, deskId: string, line: Line, manager: EntityManager): Promise<Desk> {
    const desk = await this.get(scope, deskId, manager);
    if (desk.archivedAt) throw deskArchived(deskId);
    if (desk.storeId !== line.storeId || (desk.lineIds.length && !desk.lineIds.includes(line.id))) {
      throw deskNotForLine(deskId, line.id);
    }
    return desk;
  }

  async create(scope: QueueScope, input: CreateDeskInput): Promise<Desk> {
    if (!scope.canConfigure(input.storeId))
      throw forbidden(`You may not configure the queue of store ${input.storeId}`);
    await this.lines.knownStore(scope.tenantId, input.storeId);
    const lineIds = await this.checkLines(scope, input.storeId, input.lineIds ?? []);
    return this.dataSource.manager.save(
      this.dataSource.manager.create(Desk, {
        id: randomUUID(),
        tenantId: scope.tenantId,
        storeId: input.storeId,
        name: input.name.trim(),
        lineIds,
        staffUserId: null,
        staffedAt: null,
        archivedAt: null,
        createdAt: new Date(this.clock.now()),
      }),
    );
  }

  async update(scope: QueueScope, input: UpdateDeskInput): Promise<Desk> {
    const desk = await this.get(scope, input.id);
    if (!scope.canConfigure(desk.storeId)) throw forbidden(`You may not configure the queue of store ${desk.storeId}`);
    if (input.name != null) desk.name = input.name.trim();
    if (input.lineIds != null) desk.lineIds = await this.checkLines(scope, desk.storeId, input.lineIds);
    return this.dataSource.manager.save(desk);
  }

  async archive(scope: QueueScope, id: string): Promise<Desk> {
    const desk = await this.get(scope, id);
    if (!scope.canConfigure(desk.storeId)) throw forbidden(`You may not configure the queue of store ${desk.storeId}`);
    if (!desk.archivedAt) {
      desk.archivedAt = new Date(this.clock.now());
      desk.staffUserId = null;
      desk.staffedAt = null;
    }
    return this.dataSource.manager.save(desk);
  }

  /**
   * Signs a staff member in to a desk (or out, with null). Managers and HQ admins assign anyone in their
   * stores; staff only themselves. Staffed desks count towards the line's wait estimate.
   */
  async assign(scope: QueueScope, deskId: string, userId: string | null): Promise<Desk> {
    const desk = await this.get(scope, deskId);
    const v = scope.who;
    if (desk.archivedAt) throw deskArchived(deskId);
    if (!scope.canConfigure(desk.storeId)) {
      const self = userId === null ? desk.staffUserId === v.subject : userId === v.subject;
      if (!scope.canAct(desk.storeId) || !v.roles.includes(Role.STORE_STAFF)) {
        throw forbidden(`You may not staff desks of store ${desk.storeId}`);
      }
      if (!self) throw staffOnlyThemselves();
    }
    desk.staffUserId = userId;
    desk.staffedAt = userId ? new Date(this.clock.now()) : null;
    return this.dataSource.manager.save(desk);
  }

  private async checkLines(scope: QueueScope, storeId: string, lineIds: string[]): Promise<string[]> {
    const ids = [...new Set(lineIds)];
    for (const id of ids) if (!isUuid(id)) throw lineOfOtherStore(id);
    if (!ids.length) return [];
    const found = await this.dataSource.manager.findBy(Line, { id: In(ids), tenantId: scope.tenantId, storeId });
    const missing = ids.find((id) => !found.some((l) => l.id === id));
    if (missing) throw lineOfOtherStore(missing);
    return ids;
  }
}
