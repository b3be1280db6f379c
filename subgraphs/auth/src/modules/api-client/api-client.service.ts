import { randomUUID } from 'node:crypto';
import { isPartnerScope, paginate, Role, type Connection, type Viewer } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { RequestMeta } from '../../context.js';
import type { AuthEnv } from '../../env.js';
import { isUuid } from '../../ids.js';
import type { AuthMetrics } from '../../metrics.js';
import type { RateLimiter } from '../../security/rate-limit.js';
import { randomSecret, sameHash, sha256 } from '../../security/secrets.js';
import { findInTenant, inTenant } from '../../tenant-scope.js';
import { AuditEventType, AuditPartyType } from '../audit/audit.entity.js';
import { actorOf, type AuditService } from '../audit/audit.service.js';
import type { SessionRevoker } from '../session/session.service.js';
import type { SigningKeyService } from '../signing-key/signing-key.service.js';
import { ApiClient, type ClientToken, type CreateApiClientPayload } from './api-client.entity.js';
import { apiClientNotFound, apiClientRevoked, clientAuthFailed, scopeNotGranted } from './api-client.errors.js';
import {
  PARTNER_SCOPES,
  type ApiClientsArgs,
  type CreateApiClientInput,
  type SetApiClientScopesInput,
} from './api-client.input.js';

const canonicalScopes = (scopes: string[]) => PARTNER_SCOPES.filter((s) => scopes.includes(s));

export class ApiClientService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly env: AuthEnv,
    private readonly clock: () => number,
    private readonly keys: SigningKeyService,
    private readonly revoker: SessionRevoker,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditService,
    private readonly metrics: AuthMetrics,
  ) {}

  async create(viewer: Viewer, input: CreateApiClientInput, meta: RequestMeta): Promise<CreateApiClientPayload> {
    const clientSecret = randomSecret('pcs');
    const apiClient = await this.dataSource.transaction(async (manager) => {
      const client = manager.create(ApiClient, {
        tenantId: viewer.tenantId,
        name: input.name.trim(),
        scopes: canonicalScopes(input.scopes),
        secretHash: sha256(clientSecret),
        tokenFamily: randomUUID(),
        createdBy: viewer.subject,
        lastUsedAt: null,
        revokedAt: null,
      });
      await manager.save(client);
      await this.audit.record(manager, {
        type: AuditEventType.API_CLIENT_CREATED,
        tenantId: viewer.tenantId,
        actor: actorOf(viewer),
        subject: { type: AuditPartyType.API_CLIENT, id: client.id },
        meta,
        details: { name: client.name, scopes: client.scopes },
      });
      return client;
    });
    return { apiClient, clientSecret };
  }

  list(viewer: Viewer, args: ApiClientsArgs): Promise<Connection<ApiClient>> {
    const qb = inTenant(this.dataSource.manager, ApiClient, 'c', viewer.tenantId);
    if (!args.includeRevoked) qb.andWhere('c.revokedAt IS NULL');
    return paginate(qb, { first: args.first, after: args.after, sortColumn: 'name' });
  }

  /** New scopes apply to new tokens; tokens already issued stop working at once. */
  async setScopes(viewer: Viewer, input: SetApiClientScopesInput, meta: RequestMeta): Promise<ApiClient> {
    return this.change(viewer, input.id, async (manager, client) => {
      if (client.revokedAt) throw apiClientRevoked(client.id);
      const before = client.scopes;
      client.scopes = canonicalScopes(input.scopes);
      await manager.save(client);
      await this.audit.record(manager, {
        type: AuditEventType.API_CLIENT_SCOPES_CHANGED,
        tenantId: client.tenantId,
        actor: actorOf(viewer),
        subject: { type: AuditPartyType.API_CLIENT, id: client.id },
        meta,
        details: { before, after: client.scopes },
      });
    });
  }

  async revoke(viewer: Viewer, id: string, meta: RequestMeta): Promise<ApiClient> {
    return this.change(viewer, id, async (manager, client) => {
      if (client.revokedAt) return;
      client.revokedAt = new Date(this.clock());
      await manager.save(client);
      await this.audit.record(manager, {
        type: AuditEventType.API_CLIENT_REVOKED,
        tenantId: client.tenantId,
        actor: actorOf(viewer),
        subject: { type: AuditPartyType.API_CLIENT, id: client.id },
        meta,
      });
    });
  }

  /** OAuth2 client-credentials grant (RFC 6749 §4.4). */
  async issueToken(
    clientId: string,
    clientSecret: string,
    scope: string | null | undefined,
    meta: RequestMeta,
  ): Promise<ClientToken> {
    await this.limiter.hit({
      name: 'public_ip',
      key: meta.clientIp,
      max: this.env.AUTH_PUBLIC_MAX_REQUESTS_PER_IP,
      windowSeconds: this.env.AUTH_LOGIN_WINDOW,
      message: 'Too many requests from your network address',
    });
    const client = isUuid(clientId) ? await this.dataSource.manager.findOneBy(ApiClient, { id: clientId }) : null;
    if (!client || client.revokedAt || !sameHash(clientSecret, client.secretHash)) {
      await this.audit.record(null, {
        type: AuditEventType.CLIENT_AUTH_FAILED,
        tenantId: client?.tenantId ?? null,
        subject: client ? { type: AuditPartyType.API_CLIENT, id: client.id } : null,
        meta,
        details: { reason: !client ? 'unknown_client' : client.revokedAt ? 'revoked' : 'wrong_secret' },
      });
      throw clientAuthFailed();
    }
    const asked = scope?.trim() ? [...new Set(scope.trim().split(/\s+/))] : null;
    // A client granted a scope since withdrawn (campaign:write, playback:write) no longer gets it.
    const missing = (asked ?? []).filter((s) => !client.scopes.includes(s) || !isPartnerScope(s));
    if (missing.length) throw scopeNotGranted(missing);
    const granted = canonicalScopes(asked ?? client.scopes);
    const ttl = this.env.AUTH_CLIENT_ACCESS_TOKEN_TTL;
    const signed = await this.keys.sign(
      {
        sub: client.id,
        tid: client.tenantId,
        roles: [Role.PARTNER],
        stores: [],
        scope: granted.join(' '),
        jti: this.keys.newTokenId(),
        sid: client.tokenFamily,
      },
      ttl,
    );
    await this.dataSource.transaction(async (manager) => {
      await manager.update(ApiClient, { id: client.id }, { lastUsedAt: new Date(this.clock()) });
      await this.audit.record(manager, {
        type: AuditEventType.CLIENT_TOKEN_ISSUED,
        tenantId: client.tenantId,
        actor: { type: AuditPartyType.API_CLIENT, id: client.id },
        subject: { type: AuditPartyType.API_CLIENT, id: client.id },
        meta,
        details: { scope: granted, tokenId: signed.tokenId },
      });
    });
    this.metrics.tokensIssued.inc({ kind: 'partner' });
    return {
      accessToken: signed.token,
      tokenType: 'Bearer',
      expiresIn: ttl,
      expiresAt: signed.expiresAt,
      scope: granted.join(' '),
    };
  }

  private async change(
    viewer: Viewer,
    id: string,
    apply: (manager: EntityManager, client: ApiClient) => Promise<void>,
  ): Promise<ApiClient> {
    return this.dataSource.transaction(async (manager) => {
      const client = await findInTenant(manager, ApiClient, viewer.tenantId, id, { lock: true });
      if (!client) throw apiClientNotFound(id);
      const family = client.tokenFamily;
      await apply(manager, client);
      // Tokens carry the family as `sid`: a new family retires every token issued before this change.
      client.tokenFamily = randomUUID();
      await manager.update(ApiClient, { id: client.id }, { tokenFamily: client.tokenFamily });
      await this.revoker.revokeFamilies(manager, [family], 'api_client_changed');
      return client;
    });
  }
}
