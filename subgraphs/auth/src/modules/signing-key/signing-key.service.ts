import { randomUUID } from 'node:crypto';
import {
  ACCESS_TOKEN_TYPE,
  isSealedSecret,
  type AccessTokenClaims,
  type Envelope,
  type Logger,
  type Viewer,
} from '@phub/kit';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { In, LessThan, type DataSource, type EntityManager } from 'typeorm';
import type { RequestMeta } from '../../context.js';
import { maxAccessTokenTtl, type AuthEnv } from '../../env.js';
import type { AuthMetrics } from '../../metrics.js';
import { AuditEventType, AuditPartyType } from '../audit/audit.entity.js';
import { actorOf, type AuditService } from '../audit/audit.service.js';
import { SigningKey, SigningKeyStatus } from './signing-key.entity.js';
import { noActiveSigningKey } from './signing-key.errors.js';

/** How long this replica trusts its copy of the keys; other replicas' rotations show up within it. */
const KEY_CACHE_MS = 30_000;
/** Head-room for clocks and for replicas still signing with a key another replica just retired. */
const RETIRED_GRACE_SECONDS = 300;
const LOCK = 'phub:auth:signing-keys';
const sealContext = (kid: string) => `auth.signing_key:${kid}`;

export interface SignedToken {
  token: string;
  tokenId: string;
  expiresAt: Date;
}

interface ActiveKey {
  kid: string;
  algorithm: string;
  key: CryptoKey;
  loadedAt: number;
}

/**
 * Access-token signing keys: one ACTIVE key signs, one PENDING key is already published to
 * take over at the next rotation, RETIRED keys stay published until their last token expires.
 * Rotation therefore never invalidates a token and never logs anyone out.
 */
export class SigningKeyService {
  private active?: Promise<ActiveKey>;
  private published?: { keys: JSONWebKeySet; loadedAt: number };
  private lastReload = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly env: AuthEnv,
    private readonly clock: () => number,
    private readonly audit: AuditService,
    private readonly metrics: AuthMetrics,
    private readonly logger: Logger,
    private readonly envelope: Envelope,
  ) {}

  /**
   * Makes sure an ACTIVE and a PENDING key exist (first start, or after keys were lost), and
   * seals private keys still stored in plain text (written before encryption at rest).
   */
  async ensureKeys(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK]);
      const plain = (await manager.find(SigningKey)).filter((k) => !isSealedSecret(k.privateJwk));
      for (const key of plain) {
        const sealed = await this.seal(key.kid, key.privateJwk as JWK);
        await manager.update(SigningKey, { kid: key.kid }, { privateJwk: sealed });
      }
      if (plain.length) this.logger.info({ keys: plain.length }, 'encrypted plain-text signing keys at rest');
      const keys = await manager.find(SigningKey, {
        where: { status: In([SigningKeyStatus.ACTIVE, SigningKeyStatus.PENDING]) },
      });
      if (!keys.some((k) => k.status === SigningKeyStatus.ACTIVE)) {
        await this.createKey(manager, SigningKeyStatus.ACTIVE);
        this.logger.info('created the first signing key');
      }
      if (!keys.some((k) => k.status === SigningKeyStatus.PENDING))
        await this.createKey(manager, SigningKeyStatus.PENDING);
    });
    this.forget();
    // Fail the start, not the first sign-in, when the master key is not the one the keys were sealed with.
    await this.activeKey();
    await this.rewrapDataKeys();
  }

  /**
   * Re-wraps the data key of every private key sealed under a retired master key with the current one
   * (after a master-key rotation); the encrypted private keys themselves stay as they are. One row per
   * transaction, locked and re-read, so signing goes on meanwhile and replicas doing the same at once
   * write each row once. Returns how many rows changed (0 on a re-run).
   */
  async rewrapDataKeys(): Promise<number> {
    const stale = (await this.dataSource.manager.find(SigningKey, { select: { kid: true, privateJwk: true } }))
      .filter((k) => isSealedSecret(k.privateJwk) && !this.envelope.isCurrent(k.privateJwk))
      .map((k) => k.kid);
    let rewrapped = 0;
    for (const kid of stale) {
      const changed = await this.dataSource.transaction(async (manager) => {
        const row = await manager.findOne(SigningKey, { where: { kid }, lock: { mode: 'pessimistic_write' } });
        if (!row || !isSealedSecret(row.privateJwk)) return false;
        const next = await this.envelope.rewrap(row.privateJwk, sealContext(kid));
        if (next) await manager.update(SigningKey, { kid }, { privateJwk: next });
        return Boolean(next);
      });
      if (changed) rewrapped++;
    }
    if (rewrapped) {
      this.logger.info({ keys: rewrapped, masterKey: this.envelope.kek.id }, 're-wrapped signing keys’ data keys');
    }
    return rewrapped;
  }

  /** PENDING → ACTIVE, ACTIVE → RETIRED, a fresh PENDING key; expired retired keys are dropped. */
  async rotate(trigger: 'manual' | 'schedule', by?: { viewer: Viewer; meta: RequestMeta }): Promise<SigningKey> {
    const rotated = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK]);
      return this.rotateLocked(manager, trigger, by);
    });
    this.forget();
    this.metrics.keyRotations.inc({ trigger });
    this.logger.info({ kid: rotated.kid, trigger }, 'signing key rotated');
    return rotated;
  }

  /** Rotates when the active key is older than AUTH_KEY_ROTATION_INTERVAL; safe to call from every replica. */
  async rotateIfDue(): Promise<SigningKey | null> {
    const due = (active: SigningKey | null) =>
      !active?.activatedAt || active.activatedAt.getTime() <= this.clock() - this.env.AUTH_KEY_ROTATION_INTERVAL * 1000;
    const rotated = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK]);
      const active = await manager.findOneBy(SigningKey, { status: SigningKeyStatus.ACTIVE });
      // Another replica may have rotated while we waited for the lock.
      return due(active) ? this.rotateLocked(manager, 'schedule') : null;
    });
    if (rotated) {
      this.forget();
      this.metrics.keyRotations.inc({ trigger: 'schedule' });
      this.logger.info({ kid: rotated.kid }, 'signing key rotated on schedule');
    }
    return rotated;
  }

  /** Every key a verifier may meet: pending, active, and retired ones whose tokens may still be alive. */
  async list(): Promise<SigningKey[]> {
    const keys = await this.dataSource.manager.find(SigningKey, { order: { createdAt: 'DESC' } });
    const horizon = this.retiredHorizon();
    return keys.filter((k) => k.status !== SigningKeyStatus.RETIRED || (k.retiredAt?.getTime() ?? 0) > horizon);
  }

  /** The public JWKS (cached briefly). */
  async jwks(): Promise<JSONWebKeySet> {
    if (this.published && this.clock() - this.published.loadedAt < KEY_CACHE_MS) return this.published.keys;
    const keys = {
      keys: (await this.list()).map((k) => ({ ...k.publicJwk, kid: k.kid, alg: k.algorithm, use: 'sig' })),
    };
    this.published = { keys, loadedAt: this.clock() };
    return keys;
  }

  /** Key resolver for this service's own verifier: no HTTP round trip to itself. */
  keyResolver(): JWTVerifyGetKey {
    return async (header, token) => {
      let keys = await this.jwks();
      // A kid we do not know may come from a rotation on another replica: reload, at most once a second.
      if (header.kid && !keys.keys.some((k) => k.kid === header.kid) && this.clock() - this.lastReload > 1_000) {
        this.lastReload = this.clock();
        this.published = undefined;
        keys = await this.jwks();
      }
      return createLocalJWKSet(keys)(header, token);
    };
  }

  /**
   * Signs an access token with the active key. Pass the caller's transaction manager when
   * signing inside a transaction: embedded Postgres (PGlite) serves one transaction at a
   * time, so a lookup on another connection would wait for the caller's commit forever.
   */
  async sign(claims: AccessTokenClaims, ttlSeconds: number, manager?: EntityManager): Promise<SignedToken> {
    const active = await this.activeKey(manager);
    const now = Math.floor(this.clock() / 1000);
    const { sub, jti, ...rest } = claims;
    const payload = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: active.algorithm, kid: active.kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(this.env.AUTH_ISSUER)
      .setAudience(this.env.AUTH_AUDIENCE)
      .setSubject(sub)
      .setJti(jti)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(active.key);
    return { token, tokenId: jti, expiresAt: new Date((now + ttlSeconds) * 1000) };
  }

  newTokenId(): string {
    return randomUUID();
  }

  private async rotateLocked(
    manager: EntityManager,
    trigger: 'manual' | 'schedule',
    by?: { viewer: Viewer; meta: RequestMeta },
  ): Promise<SigningKey> {
    const now = new Date(this.clock());
    const current = await manager.findBy(SigningKey, {
      status: In([SigningKeyStatus.ACTIVE, SigningKeyStatus.PENDING]),
    });
    const active = current.find((k) => k.status === SigningKeyStatus.ACTIVE);
    const pending = current.find((k) => k.status === SigningKeyStatus.PENDING);
    if (active) {
      await manager.update(SigningKey, { kid: active.kid }, { status: SigningKeyStatus.RETIRED, retiredAt: now });
    }
    let next: SigningKey;
    if (pending) {
      await manager.update(SigningKey, { kid: pending.kid }, { status: SigningKeyStatus.ACTIVE, activatedAt: now });
      next = { ...pending, status: SigningKeyStatus.ACTIVE, activatedAt: now };
    } else {
      next = await this.createKey(manager, SigningKeyStatus.ACTIVE);
    }
    await this.createKey(manager, SigningKeyStatus.PENDING);
    await manager.delete(SigningKey, {
      status: SigningKeyStatus.RETIRED,
      retiredAt: LessThan(new Date(this.retiredHorizon())),
    });
    await this.audit.record(manager, {
      type: AuditEventType.SIGNING_KEY_ROTATED,
      tenantId: by?.viewer.tenantId ?? null,
      actor: by ? actorOf(by.viewer) : { type: AuditPartyType.SYSTEM, id: 'key-rotation' },
      subject: { type: AuditPartyType.SIGNING_KEY, id: next.kid },
      meta: by?.meta,
      details: { trigger, retiredKid: active?.kid ?? null },
    });
    return next;
  }

  private async createKey(manager: EntityManager, status: SigningKeyStatus): Promise<SigningKey> {
    const algorithm = this.env.AUTH_SIGNING_ALG;
    const { publicKey, privateKey } = await generateKeyPair(algorithm, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = await this.seal(kid, await exportJWK(privateKey));
    const now = new Date(this.clock());
    const key = manager.create(SigningKey, {
      kid,
      algorithm,
      status,
      publicJwk,
      privateJwk,
      createdAt: now,
      activatedAt: status === SigningKeyStatus.ACTIVE ? now : null,
      retiredAt: null,
    });
    await manager.insert(SigningKey, key);
    return key;
  }

  /** The private JWK of a key, decrypted; bound to its kid so a sealed key cannot be swapped into another row. */
  async privateJwkOf(row: Pick<SigningKey, 'kid' | 'privateJwk'>): Promise<JWK> {
    if (!isSealedSecret(row.privateJwk)) return row.privateJwk;
    return JSON.parse((await this.envelope.open(row.privateJwk, sealContext(row.kid))).toString('utf8')) as JWK;
  }

  private seal(kid: string, jwk: JWK) {
    return this.envelope.seal(JSON.stringify(jwk), sealContext(kid));
  }

  private retiredHorizon(): number {
    return this.clock() - (maxAccessTokenTtl(this.env) + RETIRED_GRACE_SECONDS) * 1000;
  }

  private forget(): void {
    this.active = undefined;
    this.published = undefined;
  }

  private async activeKey(manager: EntityManager = this.dataSource.manager): Promise<ActiveKey> {
    const cached = this.active;
    if (cached) {
      const key = await cached.catch(() => undefined);
      if (key && this.clock() - key.loadedAt < KEY_CACHE_MS) return key;
    }
    const loading = (async () => {
      const row = await manager.findOneBy(SigningKey, { status: SigningKeyStatus.ACTIVE });
      if (!row) throw noActiveSigningKey();
      const key = (await importJWK(await this.privateJwkOf(row), row.algorithm)) as CryptoKey;
      return { kid: row.kid, algorithm: row.algorithm, key, loadedAt: this.clock() };
    })();
    this.active = loading;
    return loading;
  }
}
