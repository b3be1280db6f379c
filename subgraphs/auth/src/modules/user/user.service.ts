import { paginate, Role, STORE_ROLES, type Connection, type Viewer } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { RequestMeta } from '../../context.js';
import type { AuthEnv } from '../../env.js';
import { emitUser } from '../../events.js';
import { isUniqueViolation, isUuid } from '../../ids.js';
import type { PasswordHasher } from '../../security/password.js';
import { randomSecret, sha256 } from '../../security/secrets.js';
import { findInTenant, inTenant } from '../../tenant-scope.js';
import { AuditEventType, AuditPartyType } from '../audit/audit.entity.js';
import { actorOf, type AuditService } from '../audit/audit.service.js';
import type { SessionRevoker } from '../session/session.service.js';
import { PERSON_ROLES, User, UserStatus, type CreateUserPayload } from './user.entity.js';
import {
  cannotChangeSelf,
  emailTaken,
  rolesNotForPeople,
  storesRequired,
  storesWithoutStoreRole,
  userNotFound,
  wrongCurrentPassword,
} from './user.errors.js';
import type { ChangePasswordInput, CreateUserInput, SetUserRolesInput, UsersArgs } from './user.input.js';

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** Checks a role set and its stores; returns them in canonical form. */
export function canonicalGrant(
  roles: Role[],
  storeIds: string[] | null | undefined,
): { roles: Role[]; storeIds: string[] } {
  const unique = [...new Set(roles)];
  const notForPeople = unique.filter((r) => !PERSON_ROLES.includes(r));
  if (notForPeople.length) throw rolesNotForPeople(notForPeople);
  const stores = [...new Set((storeIds ?? []).map((s) => s.toLowerCase()))].sort();
  const hasStoreRole = unique.some((r) => STORE_ROLES.includes(r));
  if (hasStoreRole && !stores.length) throw storesRequired();
  if (!hasStoreRole && stores.length) throw storesWithoutStoreRole();
  return { roles: PERSON_ROLES.filter((r) => unique.includes(r)), storeIds: stores };
}

export class UserService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly env: AuthEnv,
    private readonly clock: () => number,
    private readonly hasher: PasswordHasher,
    private readonly revoker: SessionRevoker,
    private readonly audit: AuditService,
    private readonly onCommit: () => void,
  ) {}

  async me(viewer: Viewer): Promise<User> {
    const user = await findInTenant(this.dataSource.manager, User, viewer.tenantId, viewer.subject);
    if (!user) throw userNotFound(viewer.subject);
    return user;
  }

  /** Batched, tenant-scoped lookup for DataLoaders and entity references. */
  async loadMany(tenantId: string, ids: readonly string[]): Promise<(User | null)[]> {
    const valid = ids.filter(isUuid);
    const rows = valid.length
      ? await inTenant(this.dataSource.manager, User, 'u', tenantId)
          .andWhere('u.id IN (:...ids)', { ids: valid })
          .getMany()
      : [];
    const byId = new Map(rows.map((u) => [u.id, u]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async list(viewer: Viewer, args: UsersArgs): Promise<Connection<User>> {
    const qb = inTenant(this.dataSource.manager, User, 'u', viewer.tenantId);
    const filter = args.filter ?? {};
    if (filter.role) qb.andWhere(':role = ANY(u.roles)', { role: filter.role });
    if (filter.storeId) qb.andWhere(':storeId = ANY(u.store_ids)', { storeId: filter.storeId.toLowerCase() });
    if (filter.status) qb.andWhere('u.status = :status', { status: filter.status });
    if (filter.search?.trim()) {
      const pattern = `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('(u.email ILIKE :pattern OR u.displayName ILIKE :pattern)', { pattern });
    }
    return paginate(qb, { first: args.first, after: args.after, sortColumn: 'email' });
  }

  async create(viewer: Viewer, input: CreateUserInput, meta: RequestMeta): Promise<CreateUserPayload> {
    const grant = canonicalGrant(input.roles, input.storeIds);
    const email = normaliseEmail(input.email);
    const passwordHash = input.password ? await this.hasher.hash(input.password) : null;
    const invitationToken = passwordHash ? null : randomSecret('inv');
    const invitationExpiresAt = invitationToken ? new Date(this.clock() + this.env.AUTH_INVITATION_TTL * 1000) : null;
    try {
      const user = await this.dataSource.transaction(async (manager) => {
        const created = manager.create(User, {
          tenantId: viewer.tenantId,
          email,
          displayName: input.displayName.trim(),
          passwordHash,
          status: passwordHash ? UserStatus.ACTIVE : UserStatus.INVITED,
          roles: grant.roles,
          storeIds: grant.storeIds,
          invitationHash: invitationToken ? sha256(invitationToken) : null,
          invitationExpiresAt,
        });
        await manager.save(created);
        await this.audit.record(manager, {
          type: AuditEventType.USER_CREATED,
          tenantId: viewer.tenantId,
          actor: actorOf(viewer),
          subject: { type: AuditPartyType.USER, id: created.id },
          meta,
          details: { email, roles: grant.roles, storeIds: grant.storeIds, invited: !passwordHash },
        });
        await emitUser(manager, created, new Date(this.clock()));
        return created;
      });
      this.onCommit();
      return { user, invitationToken, invitationExpiresAt };
    } catch (err) {
      if (isUniqueViolation(err)) throw emailTaken(email);
      throw err;
    }
  }

  /** Replaces the user's roles and stores; their sessions end so the change applies at once. */
  async setRoles(viewer: Viewer, input: SetUserRolesInput, meta: RequestMeta): Promise<User> {
    const grant = canonicalGrant(input.roles, input.storeIds);
    return this.change(viewer, input.userId, 'change the roles of', async (manager, user) => {
      const before = { roles: user.roles, storeIds: user.storeIds };
      user.roles = grant.roles;
      user.storeIds = grant.storeIds;
      await manager.save(user);
      const revoked = await this.revoker.revokeSessions(
        manager,
        { tenantId: user.tenantId, userId: user.id },
        'roles_changed',
      );
      await this.audit.record(manager, {
        type: AuditEventType.USER_ROLES_CHANGED,
        tenantId: user.tenantId,
        actor: actorOf(viewer),
        subject: { type: AuditPartyType.USER, id: user.id },
        meta,
        details: { before, after: grant, sessionsRevoked: revoked.length },
      });
    });
  }

  async deactivate(viewer: Viewer, userId: string, meta: RequestMeta): Promise<User> {
    return this.change(viewer, userId, 'deactivate', async (manager, user) => {
      if (user.status === UserStatus.DEACTIVATED) return;
      user.status = UserStatus.DEACTIVATED;
      user.invitationHash = null;
      await manager.save(user);
      const revoked = await this.revoker.revokeSessions(
        manager,
        { tenantId: user.tenantId, userId: user.id },
        'deactivated',
      );
      await this.audit.record(manager, {
        type: AuditEventType.USER_DEACTIVATED,
        tenantId: user.tenantId,
        actor: actorOf(viewer),
        subject: { type: AuditPartyType.USER, id: user.id },
        meta,
        details: { sessionsRevoked: revoked.length },
      });
    });
  }

  async reactivate(viewer: Viewer, userId: string, meta: RequestMeta): Promise<User> {
    return this.change(viewer, userId, 'reactivate', async (manager, user) => {
      if (user.status !== UserStatus.DEACTIVATED) return;
      user.status = user.passwordHash ? UserStatus.ACTIVE : UserStatus.INVITED;
      await manager.save(user);
      await this.audit.record(manager, {
        type: AuditEventType.USER_REACTIVATED,
        tenantId: user.tenantId,
        actor: actorOf(viewer),
        subject: { type: AuditPartyType.USER, id: user.id },
        meta,
      });
    });
  }

  /** Changes the caller's password and ends their other sessions. */
  async changePassword(viewer: Viewer, input: ChangePasswordInput, meta: RequestMeta): Promise<boolean> {
    const user = await this.me(viewer);
    if (!(await this.hasher.verify(input.currentPassword, user.passwordHash))) throw wrongCurrentPassword();
    const passwordHash = await this.hasher.hash(input.newPassword);
    await this.dataSource.transaction(async (manager) => {
      await manager.update(User, { id: user.id, tenantId: user.tenantId }, { passwordHash });
      const revoked = await this.revoker.revokeSessions(
        manager,
        { tenantId: user.tenantId, userId: user.id, exceptSessionId: viewer.sessionId },
        'password_changed',
      );
      await this.audit.record(manager, {
        type: AuditEventType.PASSWORD_CHANGED,
        tenantId: user.tenantId,
        actor: actorOf(viewer),
        subject: { type: AuditPartyType.USER, id: user.id },
        meta,
        details: { sessionsRevoked: revoked.length },
      });
    });
    return true;
  }

  private async change(
    viewer: Viewer,
    userId: string,
    what: string,
    apply: (manager: EntityManager, user: User) => Promise<void>,
  ): Promise<User> {
    if (userId === viewer.subject) throw cannotChangeSelf(what);
    const user = await this.dataSource.transaction(async (manager) => {
      const found = await findInTenant(manager, User, viewer.tenantId, userId, { lock: true });
      if (!found) throw userNotFound(userId);
      await apply(manager, found);
      await emitUser(manager, found, new Date(this.clock()));
      return found;
    });
    this.onCommit();
    return user;
  }
}
