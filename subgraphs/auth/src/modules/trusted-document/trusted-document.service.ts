import { createHash } from 'node:crypto';
import type { Viewer } from '@phub/kit';
import { Kind, parse } from 'graphql';
import type { DataSource } from 'typeorm';
import type { RequestMeta } from '../../context.js';
import { isUuid } from '../../ids.js';
import { findInTenant, inTenant } from '../../tenant-scope.js';
import { ApiClient } from '../api-client/api-client.entity.js';
import { apiClientNotFound, apiClientRevoked } from '../api-client/api-client.errors.js';
import { AuditEventType, AuditPartyType } from '../audit/audit.entity.js';
import { actorOf, type AuditService } from '../audit/audit.service.js';
import { documentDoesNotParse, documentNotExecutable } from './trusted-document.errors.js';
import { TrustedDocument } from './trusted-document.entity.js';
import type { RegisterTrustedDocumentsInput } from './trusted-document.input.js';

/** The id clients send: the document's SHA-256, lower-case hex (as Apollo's persisted queries use). */
export const documentId = (body: string) => createHash('sha256').update(body, 'utf8').digest('hex');

/**
 * Partners' trusted documents: in production the gateway runs, for a partner token, only documents
 * registered for its client. Registration is idempotent (same text, same id), so CI can upload a
 * client's whole manifest on every deploy.
 */
export class TrustedDocumentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async register(viewer: Viewer, input: RegisterTrustedDocumentsInput, meta: RequestMeta): Promise<TrustedDocument[]> {
    // Parsed here so a typo fails the upload, not a partner's call in production.
    input.documents.forEach((body, index) => {
      let document;
      try {
        document = parse(body);
      } catch (err) {
        throw documentDoesNotParse(index, (err as Error).message);
      }
      const executable = document.definitions.every(
        (d) => d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION,
      );
      if (!executable) throw documentNotExecutable(index);
    });
    return this.dataSource.transaction(async (manager) => {
      const client = await findInTenant(manager, ApiClient, viewer.tenantId, input.clientId);
      if (!client) throw apiClientNotFound(input.clientId);
      if (client.revokedAt) throw apiClientRevoked(client.id);
      const rows = [...new Set(input.documents)].map((body) =>
        manager.create(TrustedDocument, { clientId: client.id, id: documentId(body), tenantId: client.tenantId, body }),
      );
      await manager
        .createQueryBuilder()
        .insert()
        .into(TrustedDocument)
        .values(rows)
        .orIgnore() // registered before: same id, same text
        .execute();
      await this.audit.record(manager, {
        type: AuditEventType.TRUSTED_DOCUMENTS_REGISTERED,
        tenantId: client.tenantId,
        actor: actorOf(viewer),
        subject: { type: AuditPartyType.API_CLIENT, id: client.id },
        meta,
        details: { ids: rows.map((r) => r.id) },
      });
      return manager.findBy(
        TrustedDocument,
        rows.map((r) => ({ clientId: client.id, id: r.id })),
      );
    });
  }

  list(viewer: Viewer, clientId: string): Promise<TrustedDocument[]> {
    return inTenant(this.dataSource.manager, TrustedDocument, 'd', viewer.tenantId)
      .andWhere('d.clientId = :clientId', { clientId })
      .orderBy('d.createdAt', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .getMany();
  }

  async remove(viewer: Viewer, clientId: string, id: string, meta: RequestMeta): Promise<boolean> {
    // Ids that cannot exist are simply not registered (Postgres would refuse to compare a malformed uuid).
    if (!isUuid(clientId) || !/^[0-9a-f]{64}$/.test(id)) return false;
    return this.dataSource.transaction(async (manager) => {
      const found = await inTenant(manager, TrustedDocument, 'd', viewer.tenantId)
        .andWhere('d.clientId = :clientId AND d.id = :id', { clientId, id })
        .getOne();
      if (!found) return false;
      await manager.delete(TrustedDocument, { clientId, id });
      await this.audit.record(manager, {
        type: AuditEventType.TRUSTED_DOCUMENTS_REMOVED,
        tenantId: found.tenantId,
        actor: actorOf(viewer),
        subject: { type: AuditPartyType.API_CLIENT, id: clientId },
        meta,
        details: { ids: [id] },
      });
      return true;
    });
  }

  /** For the gateway (internal route): the text registered for a live client under `id`, or null. */
  async lookup(clientId: string, id: string): Promise<string | null> {
    if (!/^[0-9a-f]{64}$/.test(id)) return null;
    const row = await this.dataSource.manager
      .createQueryBuilder(TrustedDocument, 'd')
      .innerJoin(ApiClient, 'c', 'c.id = d.clientId AND c.revokedAt IS NULL')
      .where('d.clientId = :clientId AND d.id = :id', { clientId, id })
      .getOne();
    return row?.body ?? null;
  }
}
