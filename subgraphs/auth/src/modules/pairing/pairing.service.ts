import type { Viewer } from '@phub/kit';
import { In, LessThanOrEqual, type DataSource } from 'typeorm';
import type { RequestMeta } from '../../context.js';
import type { AuthEnv } from '../../env.js';
import { emitDevice } from '../../events.js';
import { isUniqueViolation } from '../../ids.js';
import type { AuthMetrics } from '../../metrics.js';
import type { RateLimiter } from '../../security/rate-limit.js';
import { normalisePairingCode, pairingCode, randomSecret, sha256 } from '../../security/secrets.js';
import { AuditEventType, AuditPartyType } from '../audit/audit.entity.js';
import { actorOf, type AuditService } from '../audit/audit.service.js';
import type { DisplayDirectory } from '../display/display.service.js';
import { ENDED_RETENTION_SECONDS, type SessionRevoker, type SessionService } from '../session/session.service.js';
import {
  PairingKind,
  PairingCode,
  PairingStatus,
  type Pairing,
  type PairingPoll,
  type PairingRequest,
} from './pairing.entity.js';
import { pairingCodeUnknown, pairingSecretInvalid } from './pairing.errors.js';

export const PAIRING_POLL_INTERVAL_SECONDS = 5;
const OPEN = [PairingStatus.PENDING, PairingStatus.CLAIMED];

/**
 * Display pairing: the player asks for a code and shows it; a person allowed to manage the
 * display claims it; the player's next poll collects a credential bound to that display.
 */
export class PairingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly env: AuthEnv,
    private readonly clock: () => number,
    private readonly displays: DisplayDirectory,
    private readonly sessions: SessionService,
    private readonly revoker: SessionRevoker,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditService,
    private readonly metrics: AuthMetrics,
    private readonly onCommit: () => void,
  ) {}

  async request(meta: RequestMeta): Promise<PairingRequest> {
    await this.publicLimit(meta);
    const now = this.clock();
    // Expired open codes free their code for reuse.
    await this.dataSource.manager.update(
      PairingCode,
      { status: In(OPEN), expiresAt: LessThanOrEqual(new Date(now)) },
      { status: PairingStatus.EXPIRED },
    );
    const secret = randomSecret('pps');
    const expiresAt = new Date(now + this.env.AUTH_PAIRING_CODE_TTL * 1000);
    for (let attempt = 0; ; attempt++) {
      const code = pairingCode();
      try {
        const row = await this.dataSource.manager.save(
          this.dataSource.manager.create(PairingCode, {
            code,
            secretHash: sha256(secret),
            status: PairingStatus.PENDING,
            expiresAt,
            clientIp: meta.clientIp,
          }),
        );
        await this.audit.record(null, {
          type: AuditEventType.PAIRING_REQUESTED,
          tenantId: null,
          subject: { type: AuditPartyType.PAIRING, id: row.id },
          meta,
        });
        this.metrics.pairings.inc({ step: 'requested' });
        return { code, secret, expiresAt, pollIntervalSeconds: PAIRING_POLL_INTERVAL_SECONDS };
      } catch (err) {
        // 31^6 codes: a clash with an open code is rare; try another.
        if (!isUniqueViolation(err) || attempt >= 5) throw err;
      }
    }
  }

  /** Binds a code to a display; `kind` KIOSK makes the credential a kiosk's (role KIOSK instead of DEVICE). */
  async claim(
    viewer: Viewer,
    codeInput: string,
    displayId: string,
    meta: RequestMeta,
    kind: PairingKind = PairingKind.DISPLAY,
  ): Promise<Pairing> {
    const display = await this.displays.reachable(viewer, displayId);
    const guessLimit = {
      name: 'pairing_claim',
      key: viewer.subject,
      max: 10,
      windowSeconds: this.env.AUTH_LOGIN_WINDOW,
      message: 'Too many pairing codes that did not match',
    };
    await this.limiter.check(guessLimit);
    const code = normalisePairingCode(codeInput).slice(0, 20);
    const now = this.clock();
    const claimed = await this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(PairingCode, {
        where: { code, status: PairingStatus.PENDING },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row || row.expiresAt.getTime() <= now) return null;
      row.status = PairingStatus.CLAIMED;
      row.tenantId = display.tenantId;
      row.displayId = display.id;
      row.storeId = display.storeId;
      row.deviceKind = kind;
      row.claimedBy = viewer.subject;
      row.claimedAt = new Date(now);
      // The player gets a fresh window to collect its credential.
      row.expiresAt = new Date(now + this.env.AUTH_PAIRING_CODE_TTL * 1000);
      await manager.save(row);
      await this.audit.record(manager, {
        type: AuditEventType.PAIRING_CLAIMED,
        tenantId: display.tenantId,
        actor: actorOf(viewer),
        subject: { type: AuditPartyType.DISPLAY, id: display.id },
        meta,
        details: { pairingId: row.id, storeId: display.storeId, kind },
      });
      return row;
    });
    if (!claimed) {
      await this.limiter.fail(guessLimit);
      throw pairingCodeUnknown(code);
    }
    this.metrics.pairings.inc({ step: 'claimed' });
    return {
      code: claimed.code,
      status: claimed.status,
      displayId: claimed.displayId,
      kind: claimed.deviceKind,
      claimedAt: claimed.claimedAt,
      expiresAt: claimed.expiresAt,
    };
  }

  /** The player's poll; the first one after the claim delivers the credential (and only that one). */
  async poll(codeInput: string, secret: string, meta: RequestMeta): Promise<PairingPoll> {
    await this.publicLimit(meta);
    const code = normalisePairingCode(codeInput);
    const now = this.clock();
    const result = await this.dataSource.transaction(async (manager): Promise<PairingPoll> => {
      const row = await manager.findOne(PairingCode, {
        where: { secretHash: sha256(secret.slice(0, 200)) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row || row.code !== code) throw pairingSecretInvalid();
      if (OPEN.includes(row.status) && row.expiresAt.getTime() <= now) {
        await manager.update(PairingCode, { id: row.id }, { status: PairingStatus.EXPIRED });
        return { status: PairingStatus.EXPIRED, credential: null };
      }
      if (row.status !== PairingStatus.CLAIMED) return { status: row.status, credential: null };
      const display = await this.displays.get(row.displayId!, manager);
      if (!display || display.archivedAt || display.tenantId !== row.tenantId) {
        await manager.update(PairingCode, { id: row.id }, { status: PairingStatus.EXPIRED });
        return { status: PairingStatus.EXPIRED, credential: null };
      }
      // One player per display: pairing a new one retires the old credential.
      const replaced = await this.revoker.revokeSessions(
        manager,
        { tenantId: display.tenantId, displayId: display.id },
        'display_repaired',
      );
      const binding = {
        tenantId: display.tenantId,
        displayId: display.id,
        storeId: display.storeId,
        kind: row.deviceKind,
      };
      const issued = await this.sessions.startDeviceSession(manager, binding, meta);
      await manager.update(
        PairingCode,
        { id: row.id },
        { status: PairingStatus.COMPLETED, completedAt: new Date(now) },
      );
      await this.audit.record(manager, {
        type: AuditEventType.DEVICE_PAIRED,
        tenantId: display.tenantId,
        actor: { type: AuditPartyType.DEVICE, id: display.id },
        subject: { type: AuditPartyType.SESSION, id: issued.sessionId },
        meta,
        details: { pairingId: row.id, claimedBy: row.claimedBy, replacedSessions: replaced.length },
      });
      const { kind: _kind, ...device } = binding;
      await emitDevice(manager, 'DevicePaired', device, new Date(now));
      return {
        status: PairingStatus.COMPLETED,
        credential: {
          displayId: display.id,
          accessToken: issued.accessToken,
          refreshToken: issued.refreshToken,
          expiresAt: issued.expiresAt,
          refreshTokenExpiresAt: issued.refreshTokenExpiresAt,
        },
      };
    });
    if (result.credential) {
      this.onCommit();
      this.metrics.pairings.inc({ step: 'completed' });
    }
    return result;
  }

  /** Revokes every credential of the display's player; returns how many were live. */
  async revokeDevice(viewer: Viewer, displayId: string, meta: RequestMeta): Promise<number> {
    const display = await this.displays.reachable(viewer, displayId, { allowArchived: true });
    const revoked = await this.dataSource.transaction(async (manager) => {
      const ids = await this.revoker.revokeSessions(
        manager,
        { tenantId: display.tenantId, displayId: display.id },
        'device_revoked',
      );
      // Codes claimed for this display but not collected yet must not deliver a credential either.
      await manager.update(
        PairingCode,
        { displayId: display.id, status: PairingStatus.CLAIMED },
        { status: PairingStatus.EXPIRED },
      );
      await this.audit.record(manager, {
        type: AuditEventType.DEVICE_REVOKED,
        tenantId: display.tenantId,
        actor: actorOf(viewer),
        subject: { type: AuditPartyType.DISPLAY, id: display.id },
        meta,
        details: { sessionsRevoked: ids.length },
      });
      const binding = { tenantId: display.tenantId, displayId: display.id, storeId: display.storeId };
      await emitDevice(manager, 'DeviceRevoked', binding, new Date(this.clock()));
      return ids;
    });
    this.onCommit();
    return revoked.length;
  }

  /** Deletes codes that expired over a week ago (finished or not). */
  async purgeEnded(): Promise<number> {
    const result = await this.dataSource.manager.delete(PairingCode, {
      expiresAt: LessThanOrEqual(new Date(this.clock() - ENDED_RETENTION_SECONDS * 1000)),
    });
    return result.affected ?? 0;
  }

  private publicLimit(meta: RequestMeta): Promise<void> {
    return this.limiter.hit({
      name: 'public_ip',
      key: meta.clientIp,
      max: this.env.AUTH_PUBLIC_MAX_REQUESTS_PER_IP,
      windowSeconds: this.env.AUTH_LOGIN_WINDOW,
      message: 'Too many requests from your network address',
    });
  }
}
