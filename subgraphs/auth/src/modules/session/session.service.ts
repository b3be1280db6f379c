import { DomainError, Role, STORE_ROLES, type Viewer } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { RequestMeta } from '../../context.js';
import { maxAccessTokenTtl, type AuthEnv } from '../../env.js';
import type { AuthMetrics } from '../../metrics.js';
import type { PasswordHasher } from '../../security/password.js';
import type { RateLimiter } from '../../security/rate-limit.js';
import { randomSecret, sha256 } from '../../security/secrets.js';
import { AuditEventType, AuditPartyType } from '../audit/audit.entity.js';
import { PairingKind } from '../pairing/pairing.entity.js';
import { actorOf, type AuditService } from '../audit/audit.service.js';
import type { DisplayDirectory } from '../display/display.service.js';
import type { SigningKeyService } from '../signing-key/signing-key.service.js';
import type { RevocationList } from '../revocation/revocation.service.js';
import { User, UserStatus } from '../user/user.entity.js';
import { normaliseEmail } from '../user/user.service.js';
import { RefreshToken, Session } from './session.entity.js';
import {
  accountDeactivated,
  badCredentials,
  displayInactive,
  invitationInvalid,
  refreshTokenExpired,
  refreshTokenInvalid,
  refreshTokenReused,
  sessionRevoked,
} from './session.errors.js';
import type { AcceptInvitationInput } from './session.input.js';

export interface IssuedSession {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  refreshTokenExpiresAt: Date;
  user: User | null;
  displayId: string | null;
  sessionId: string;
}

export interface DeviceBinding {
  tenantId: string;
  displayId: string;
  storeId: string;
  /** DISPLAY when absent */
  kind?: PairingKind;
}

/**
 * Ends sessions and tells every subgraph: the session rows are marked revoked, and the
 * revocation is kept in the durable list (mirrored to the shared cache as `revoked:sid:<id>`)
 * for as long as any access token lives.
 */
export class SessionRevoker {
  constructor(
    private readonly revocations: RevocationList,
    private readonly env: AuthEnv,
    private readonly clock: () => number,
    private readonly metrics: AuthMetrics,
  ) {}

  /** Revokes the matching live sessions inside the caller's transaction; returns their ids. */
  async revokeSessions(
    manager: EntityManager,
    where: { tenantId: string; userId?: string; displayId?: string; sessionId?: string; exceptSessionId?: string },
    reason: string,
  ): Promise<string[]> {
    const qb = manager
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: new Date(this.clock()), revokedReason: reason })
      .where('tenant_id = :tenantId AND revoked_at IS NULL', { tenantId: where.tenantId });
    if (where.userId) qb.andWhere('user_id = :userId', { userId: where.userId });
    if (where.displayId) qb.andWhere('display_id = :displayId', { displayId: where.displayId });
    if (where.sessionId) qb.andWhere('id = :sessionId', { sessionId: where.sessionId });
    if (where.exceptSessionId) qb.andWhere('id <> :except', { except: where.exceptSessionId });
    const result = await qb.returning(['id']).execute();
    const ids = (result.raw as { id: string }[]).map((r) => r.id);
    await this.revokeFamilies(manager, ids, reason);
    return ids;
  }

  /** Marks token families revoked (sessions, or an API client's token family), in the caller's transaction. */
  async revokeFamilies(manager: EntityManager, familyIds: string[], reason: string): Promise<void> {
    await this.revocations.add(manager, 'sid', familyIds, reason, this.ttl());
    if (familyIds.length) this.metrics.revocations.inc({ reason }, familyIds.length);
  }

  async revokeToken(manager: EntityManager, tokenId: string, reason: string): Promise<void> {
    await this.revocations.add(manager, 'jti', [tokenId], reason, this.ttl());
    this.metrics.revocations.inc({ reason });
  }

  // Entries must outlive every access token they could stop.
  private ttl(): number {
    return maxAccessTokenTtl(this.env) + 60;
  }
}

/** How long ended sessions and finished pairing codes stay for inspection before they are deleted. */
export const ENDED_RETENTION_SECONDS = 7 * 24 * 60 * 60;

type Outcome<T> = { ok: T } | { error: DomainError; reused?: boolean };

/** Password login, refresh-token rotation with reuse detection, logout; sessions for people and players. */
export class SessionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly env: AuthEnv,
    private readonly clock: () => number,
    private readonly keys: SigningKeyService,
    private readonly hasher: PasswordHasher,
    private readonly limiter: RateLimiter,
    private readonly revoker: SessionRevoker,
    private readonly displays: DisplayDirectory,
    private readonly audit: AuditService,
    private readonly metrics: AuthMetrics,
  ) {}

  async login(emailInput: string, password: string, meta: RequestMeta): Promise<IssuedSession> {
    const email = normaliseEmail(emailInput);
    // Failures count per account and address: guesses from elsewhere must not lock the owner out.
    const accountLimit = {
      name: 'login_account',
      key: sha256(`${email}\n${meta.clientIp}`),
      max: this.env.AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT,
      windowSeconds: this.env.AUTH_LOGIN_WINDOW,
      message: 'Too many failed sign-in attempts for this account',
    };
    const accountCeiling = {
      name: 'login_account_total',
      key: sha256(email),
      max: this.env.AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT_TOTAL,
      windowSeconds: this.env.AUTH_LOGIN_WINDOW,
      message: 'Too many failed sign-in attempts for this account',
    };
    const user = await this.dataSource.manager.findOneBy(User, { email });
    try {
      await this.limiter.hit({
        name: 'login_ip',
        key: meta.clientIp,
        max: this.env.AUTH_LOGIN_MAX_ATTEMPTS_PER_IP,
        windowSeconds: this.env.AUTH_LOGIN_WINDOW,
        message: 'Too many sign-in attempts from your network address',
      });
      await this.limiter.check(accountLimit);
      await this.limiter.check(accountCeiling);
    } catch (err) {
      this.metrics.logins.inc({ outcome: 'rate_limited' });
      await this.audit.record(null, {
        type: AuditEventType.LOGIN_RATE_LIMITED,
        tenantId: user?.tenantId ?? null,
        subject: user ? { type: AuditPartyType.USER, id: user.id } : null,
        meta,
        details: { email },
      });
      throw err;
    }
    const passwordOk = await this.hasher.verify(password, user?.passwordHash ?? null);
    if (!user || !passwordOk || user.status !== UserStatus.ACTIVE) {
      await this.limiter.fail(accountLimit);
      await this.limiter.fail(accountCeiling);
      const reason = !user ? 'unknown_account' : !passwordOk ? 'wrong_password' : user.status.toLowerCase();
      this.metrics.logins.inc({ outcome: 'failed' });
      await this.audit.record(null, {
        type: AuditEventType.LOGIN_FAILED,
        tenantId: user?.tenantId ?? null,
        subject: user ? { type: AuditPartyType.USER, id: user.id } : null,
        meta,
        details: { email, reason },
      });
      throw passwordOk && user?.status === UserStatus.DEACTIVATED ? accountDeactivated() : badCredentials();
    }
    await this.limiter.reset(accountLimit);
    const rehash =
      user.passwordHash && this.hasher.needsRehash(user.passwordHash) ? await this.hasher.hash(password) : null;
    const issued = await this.dataSource.transaction(async (manager) => {
      user.lastLoginAt = new Date(this.clock());
      await manager.update(
        User,
        { id: user.id },
        { lastLoginAt: user.lastLoginAt, ...(rehash ? { passwordHash: rehash } : {}) },
      );
      const session = await this.startUserSession(manager, user, meta);
      await this.audit.record(manager, {
        type: AuditEventType.LOGIN_SUCCEEDED,
        tenantId: user.tenantId,
        actor: { type: AuditPartyType.USER, id: user.id },
        subject: { type: AuditPartyType.SESSION, id: session.sessionId },
        meta,
      });
      return session;
    });
    this.metrics.logins.inc({ outcome: 'succeeded' });
    return issued;
  }

  /** Sets the first password of an invited person and signs them in. */
  async acceptInvitation(input: AcceptInvitationInput, meta: RequestMeta): Promise<IssuedSession> {
    await this.limiter.hit({
      name: 'public_ip',
      key: meta.clientIp,
      max: this.env.AUTH_PUBLIC_MAX_REQUESTS_PER_IP,
      windowSeconds: this.env.AUTH_LOGIN_WINDOW,
      message: 'Too many requests from your network address',
    });
    const passwordHash = await this.hasher.hash(input.password);
    return this.dataSource.transaction(async (manager) => {
      const user = await manager.findOne(User, {
        where: { invitationHash: sha256(input.token) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!user || user.status !== UserStatus.INVITED || !user.invitationExpiresAt) throw invitationInvalid();
      if (user.invitationExpiresAt.getTime() <= this.clock()) throw invitationInvalid();
      user.passwordHash = passwordHash;
      user.status = UserStatus.ACTIVE;
      user.invitationHash = null;
      user.invitationExpiresAt = null;
      user.lastLoginAt = new Date(this.clock());
      await manager.save(user);
      const session = await this.startUserSession(manager, user, meta);
      await this.audit.record(manager, {
        type: AuditEventType.INVITATION_ACCEPTED,
        tenantId: user.tenantId,
        actor: { type: AuditPartyType.USER, id: user.id },
        subject: { type: AuditPartyType.SESSION, id: session.sessionId },
        meta,
      });
      return session;
    });
  }

  /**
   * Exchanges a refresh token for new tokens. Each refresh token works once: presenting
   * one that was already exchanged means it leaked, so the whole family is revoked.
   */
  async refresh(token: string, meta: RequestMeta): Promise<IssuedSession> {
    const outcome = await this.dataSource.transaction(async (manager): Promise<Outcome<IssuedSession>> => {
      const current = await manager.findOne(RefreshToken, {
        where: { tokenHash: sha256(token) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current) return { error: refreshTokenInvalid() };
      const session = await manager.findOne(Session, {
        where: { id: current.sessionId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!session) return { error: refreshTokenInvalid() };
      if (session.revokedAt) return { error: sessionRevoked() };
      const actor =
        session.kind === 'user'
          ? { type: AuditPartyType.USER, id: session.userId! }
          : { type: AuditPartyType.DEVICE, id: session.displayId! };
      if (current.usedAt) {
        await this.revoker.revokeSessions(
          manager,
          { tenantId: session.tenantId, sessionId: session.id },
          'refresh_reuse',
        );
        await this.audit.record(manager, {
          type: AuditEventType.REFRESH_TOKEN_REUSED,
          tenantId: session.tenantId,
          actor,
          subject: { type: AuditPartyType.SESSION, id: session.id },
          meta,
        });
        return { error: refreshTokenReused(), reused: true };
      }
      const now = this.clock();
      if (current.expiresAt.getTime() <= now || session.expiresAt.getTime() <= now) {
        return { error: refreshTokenExpired() };
      }
      await manager.update(RefreshToken, { id: current.id }, { usedAt: new Date(now) });
      const ended = async (reason: string, error: DomainError): Promise<Outcome<IssuedSession>> => {
        await this.revoker.revokeSessions(manager, { tenantId: session.tenantId, sessionId: session.id }, reason);
        return { error };
      };
      let issued: IssuedSession;
      if (session.kind === 'user') {
        const user = await manager.findOneBy(User, { id: session.userId!, tenantId: session.tenantId });
        if (!user || user.status !== UserStatus.ACTIVE) return ended('deactivated', accountDeactivated());
        issued = await this.issue(
          manager,
          session,
          this.userClaims(user),
          this.env.AUTH_ACCESS_TOKEN_TTL,
          session.expiresAt,
        );
        issued.user = user;
      } else {
        const display = await this.displays.get(session.displayId!, manager);
        if (!display || display.archivedAt || display.tenantId !== session.tenantId) {
          return ended('display_inactive', displayInactive());
        }
        // Player credentials slide: a player that keeps refreshing stays paired.
        const until = new Date(now + this.env.AUTH_DEVICE_REFRESH_TOKEN_TTL * 1000);
        await manager.update(Session, { id: session.id }, { expiresAt: until });
        issued = await this.issue(
          manager,
          session,
          this.deviceClaims({
            tenantId: display.tenantId,
            displayId: display.id,
            storeId: display.storeId,
            kind: session.deviceKind,
          }),
          this.env.AUTH_DEVICE_ACCESS_TOKEN_TTL,
          until,
        );
        issued.displayId = display.id;
      }
      await manager.update(Session, { id: session.id }, { lastUsedAt: new Date(now) });
      await this.audit.record(manager, {
        type: AuditEventType.TOKEN_REFRESHED,
        tenantId: session.tenantId,
        actor,
        subject: { type: AuditPartyType.SESSION, id: session.id },
        meta,
      });
      return { ok: issued };
    });
    if ('error' in outcome) {
      this.metrics.refreshes.inc({ outcome: outcome.reused ? 'reused' : 'refused' });
      throw outcome.error;
    }
    this.metrics.refreshes.inc({ outcome: 'succeeded' });
    return outcome.ok;
  }

  /** Ends the caller's session (or every session of the person); tokens without a session end alone. */
  async logout(viewer: Viewer, everywhere: boolean, meta: RequestMeta): Promise<boolean> {
    await this.dataSource.transaction(async (manager) => {
      let revoked: string[] = [];
      if (viewer.kind === 'user' && everywhere) {
        revoked = await this.revoker.revokeSessions(
          manager,
          { tenantId: viewer.tenantId, userId: viewer.subject },
          'logout',
        );
      } else if (viewer.kind !== 'partner' && viewer.sessionId) {
        revoked = await this.revoker.revokeSessions(
          manager,
          { tenantId: viewer.tenantId, sessionId: viewer.sessionId },
          'logout',
        );
      }
      await this.revoker.revokeToken(manager, viewer.tokenId, 'logout');
      await this.audit.record(manager, {
        type: revoked.length ? AuditEventType.SESSION_REVOKED : AuditEventType.TOKEN_REVOKED,
        tenantId: viewer.tenantId,
        actor: actorOf(viewer),
        subject: revoked.length === 1 ? { type: AuditPartyType.SESSION, id: revoked[0]! } : null,
        meta,
        details: { reason: 'logout', everywhere, sessionsRevoked: revoked.length },
      });
    });
    return true;
  }

  /**
   * Ends the session a refresh token belongs to (the browser's sign-out, which holds only the cookie's token).
   * An unknown or ended token ends nothing and is not an error: signing out must always succeed.
   */
  async logoutByRefreshToken(token: string, meta: RequestMeta): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const current = await manager.findOneBy(RefreshToken, { tokenHash: sha256(token) });
      if (!current) return false;
      const session = await manager.findOneBy(Session, { id: current.sessionId });
      if (!session || session.revokedAt || session.kind !== 'user') return false;
      const revoked = await this.revoker.revokeSessions(
        manager,
        { tenantId: session.tenantId, sessionId: session.id },
        'logout',
      );
      await this.audit.record(manager, {
        type: AuditEventType.SESSION_REVOKED,
        tenantId: session.tenantId,
        actor: { type: AuditPartyType.USER, id: session.userId! },
        subject: { type: AuditPartyType.SESSION, id: session.id },
        meta,
        details: { reason: 'logout', everywhere: false, sessionsRevoked: revoked.length },
      });
      return revoked.length > 0;
    });
  }

  /**
   * Deletes sessions (with their refresh tokens) that ended over a week ago. Used refresh
   * tokens are kept while their session lives: they are how reuse is recognised.
   */
  async purgeEnded(): Promise<number> {
    const before = new Date(this.clock() - ENDED_RETENTION_SECONDS * 1000);
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(Session)
      .where('expires_at < :before OR revoked_at < :before', { before })
      .execute();
    return result.affected ?? 0;
  }

  async startUserSession(manager: EntityManager, user: User, meta: RequestMeta): Promise<IssuedSession> {
    const expiresAt = new Date(this.clock() + this.env.AUTH_REFRESH_TOKEN_TTL * 1000);
    const session = await this.createSession(
      manager,
      { tenantId: user.tenantId, kind: 'user', userId: user.id, expiresAt },
      meta,
    );
    const issued = await this.issue(manager, session, this.userClaims(user), this.env.AUTH_ACCESS_TOKEN_TTL, expiresAt);
    issued.user = user;
    this.metrics.tokensIssued.inc({ kind: 'user' });
    return issued;
  }

  async startDeviceSession(manager: EntityManager, device: DeviceBinding, meta: RequestMeta): Promise<IssuedSession> {
    const expiresAt = new Date(this.clock() + this.env.AUTH_DEVICE_REFRESH_TOKEN_TTL * 1000);
    const session = await this.createSession(
      manager,
      {
        tenantId: device.tenantId,
        kind: 'device',
        displayId: device.displayId,
        deviceKind: device.kind ?? PairingKind.DISPLAY,
        expiresAt,
      },
      meta,
    );
    const issued = await this.issue(
      manager,
      session,
      this.deviceClaims(device),
      this.env.AUTH_DEVICE_ACCESS_TOKEN_TTL,
      expiresAt,
    );
    issued.displayId = device.displayId;
    this.metrics.tokensIssued.inc({ kind: 'device' });
    return issued;
  }

  private userClaims(user: User) {
    const storeScoped = user.roles.some((r) => STORE_ROLES.includes(r));
    return { sub: user.id, tid: user.tenantId, roles: user.roles, stores: storeScoped ? user.storeIds : [] };
  }

  private deviceClaims(device: DeviceBinding) {
    return {
      sub: device.displayId,
      tid: device.tenantId,
      // A kiosk carries KIOSK alone: rules written for display players (DEVICE) never apply to it.
      roles: [device.kind === PairingKind.KIOSK ? Role.KIOSK : Role.DEVICE],
      stores: [device.storeId],
      did: device.displayId,
    };
  }

  private async createSession(
    manager: EntityManager,
    fields: Pick<Session, 'tenantId' | 'kind' | 'expiresAt'> &
      Partial<Pick<Session, 'userId' | 'displayId' | 'deviceKind'>>,
    meta: RequestMeta,
  ): Promise<Session> {
    const session = manager.create(Session, {
      userId: null,
      displayId: null,
      ...fields,
      clientIp: meta.clientIp,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      lastUsedAt: new Date(this.clock()),
    });
    return manager.save(session);
  }

  private async issue(
    manager: EntityManager,
    session: Session,
    claims: Omit<Parameters<SigningKeyService['sign']>[0], 'jti' | 'sid'>,
    ttl: number,
    refreshExpiresAt: Date,
  ): Promise<IssuedSession> {
    const refreshToken = randomSecret('rt');
    await manager.insert(RefreshToken, {
      sessionId: session.id,
      tokenHash: sha256(refreshToken),
      expiresAt: refreshExpiresAt,
    });
    const signed = await this.keys.sign({ ...claims, jti: this.keys.newTokenId(), sid: session.id }, ttl, manager);
    return {
      accessToken: signed.token,
      refreshToken,
      expiresAt: signed.expiresAt,
      refreshTokenExpiresAt: refreshExpiresAt,
      user: null,
      displayId: null,
      sessionId: session.id,
    };
  }
}
