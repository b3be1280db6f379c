import { randomUUID } from 'node:crypto';
import type { Clock, Egress, Envelope, Logger } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { ImsTokenExchange, parseServiceCredentials } from '../../aem/aem.auth.js';
import type { AemClient, AemOutcome, AemTarget } from '../../aem/aem.client.js';
import { AemError, AemErrorCode } from '../../aem/aem.errors.js';
import { CircuitState } from '../../aem/circuit-breaker.js';
import type { ContentScope } from '../../scope.js';
import { AemAuthKind, AemSource, AemSourceHealth, AemSourceStatus } from './source.entity.js';
import { invalidSourceField, sourceNameTaken, sourceNotFound } from './source.errors.js';
import type { CreateContentSourceInput, UpdateContentSourceInput } from './source.input.js';

const secretContext = (id: string) => `content.aem_source:${id}`;
const MAX_SECRET_CHARS = 16_384;

export interface SourceServiceOptions {
  /** http:// base URLs allowed (development, tests). */
  allowHttp: boolean;
}

/**
 * AEM sources: HQ admins register them (secrets sealed with the envelope key, never returned), every read records
 * its outcome as the source's health, and readers get an AemTarget (base URL and authorization) per source.
 */
export class SourceService {
  private readonly targets = new Map<string, { version: number; target: AemTarget }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly envelope: Envelope,
    private readonly egress: Egress,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: SourceServiceOptions,
    private readonly client: () => AemClient,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(AemSource);
  }

  list(scope: ContentScope): Promise<AemSource[]> {
    scope.assertCanSeeSources();
    return this.repo.find({ where: { tenantId: scope.tenantId }, order: { name: 'ASC' } });
  }

  /** The caller's tenant's source, or NOT_FOUND (another tenant's does not exist for it). */
  async get(scope: ContentScope, id: string): Promise<AemSource> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw sourceNotFound(id);
    const source = await this.repo.findOneBy({ id, tenantId: scope.tenantId });
    if (!source) throw sourceNotFound(id);
    return source;
  }

  /** A source by id for trusted internal callers (the sync job) that have their tenant from the row they hold. */
  find(tenantId: string, id: string): Promise<AemSource | null> {
    return this.repo.findOneBy({ id, tenantId });
  }

  async create(scope: ContentScope, input: CreateContentSourceInput): Promise<AemSource> {
    scope.assertCanManage();
    const source = this.repo.create({
      tenantId: scope.tenantId,
      name: this.checkName(input.name),
      baseUrl: this.checkBaseUrl(input.baseUrl),
      authKind: input.authKind,
      username: null,
      secret: null,
      createdBy: scope.subject,
      lastSuccessAt: null,
      lastErrorAt: null,
      lastErrorCode: null,
      lastErrorMessage: null,
      circuitState: CircuitState.CLOSED,
      consecutiveFailures: 0,
    });
    source.id = randomUUID();
    await this.applyAuth(source, input.authKind, input.username, input.secret, true);
    return this.save(source);
  }

  async update(scope: ContentScope, input: UpdateContentSourceInput): Promise<AemSource> {
    scope.assertCanManage();
    const source = await this.get(scope, input.id);
    if (input.name != null) source.name = this.checkName(input.name);
    if (input.baseUrl != null) source.baseUrl = this.checkBaseUrl(input.baseUrl);
    const kindChanged = input.authKind != null && input.authKind !== source.authKind;
    if (kindChanged || input.secret != null || input.username !== undefined) {
      await this.applyAuth(
        source,
        input.authKind ?? source.authKind,
        input.username ?? source.username,
        input.secret,
        kindChanged,
      );
    }
    const saved = await this.save(source);
    // New URL or credentials: the breaker's and the token's memory are of the old ones.
    this.targets.delete(saved.id);
    this.client().reset(saved.id);
    return saved;
  }

  async remove(scope: ContentScope, id: string): Promise<boolean> {
    scope.assertCanManage();
    const source = await this.get(scope, id);
    await this.repo.delete({ id: source.id, tenantId: source.tenantId });
    this.targets.delete(source.id);
    this.client().reset(source.id);
    return true;
  }

  health(source: AemSource): AemSourceHealth {
    const status =
      !source.lastSuccessAt && !source.lastErrorAt
        ? AemSourceStatus.UNKNOWN
        : source.lastErrorAt && (!source.lastSuccessAt || source.lastErrorAt >= source.lastSuccessAt)
          ? AemSourceStatus.FAILING
          : AemSourceStatus.OK;
    return {
      status,
      lastSuccessAt: source.lastSuccessAt,
      lastErrorAt: source.lastErrorAt,
      lastErrorCode: source.lastErrorCode,
      lastErrorMessage: source.lastErrorMessage,
      circuitState: source.circuitState,
      consecutiveFailures: source.consecutiveFailures,
    };
  }

  /**
   * Records one read's outcome (called by the AemClient for every read of every source). Plain SQL: health is not
   * an edit of the source, so `updated_at` (which keys the unsealed-secret cache) stays.
   */
  async record(sourceId: string, outcome: AemOutcome): Promise<void> {
    const table = this.dataSource.getMetadata(AemSource).tablePath;
    const now = new Date(this.clock.now());
    if (outcome.ok) {
      await this.dataSource.query(
        `UPDATE ${table} SET "last_success_at" = $2, "consecutive_failures" = 0, "circuit_state" = $3 WHERE "id" = $1`,
        [sourceId, now, outcome.circuit],
      );
      return;
    }
    // A missing path is an answer, not a failing source.
    if (outcome.error.reason === AemErrorCode.NOT_FOUND) return;
    // A fast failure of an open circuit only restates the failures that opened it.
    const counted = outcome.error.reason === AemErrorCode.CIRCUIT_OPEN ? 0 : 1;
    await this.dataSource.query(
      `UPDATE ${table} SET "last_error_at" = $2, "last_error_code" = $3, "last_error_message" = $4,
         "circuit_state" = $5, "consecutive_failures" = "consecutive_failures" + $6 WHERE "id" = $1`,
      [sourceId, now, outcome.error.reason, outcome.error.message.slice(0, 1000), outcome.circuit, counted],
    );
    this.logger.warn({ sourceId, api: outcome.api, reason: outcome.error.reason }, 'AEM read failed');
  }

  /** Where reads of `source` go and how they authenticate; the secret is unsealed once per version of the row. */
  async target(source: AemSource): Promise<AemTarget> {
    const version = source.updatedAt.getTime();
    const cached = this.targets.get(source.id);
    if (cached && cached.version === version) return cached.target;
    const secret = source.secret
      ? (await this.envelope.open(source.secret, secretContext(source.id))).toString('utf8')
      : null;
    const baseUrl = source.baseUrl.replace(/\/+$/, '');
    let target: AemTarget;
    switch (source.authKind) {
      case AemAuthKind.BASIC: {
        const header = `Basic ${Buffer.from(`${source.username ?? ''}:${secret ?? ''}`).toString('base64')}`;
        target = { id: source.id, baseUrl, authorization: () => Promise.resolve(header) };
        break;
      }
      case AemAuthKind.BEARER:
        target = { id: source.id, baseUrl, authorization: () => Promise.resolve(`Bearer ${secret ?? ''}`) };
        break;
      case AemAuthKind.SERVICE_CREDENTIALS: {
        const credentials = parseServiceCredentials(secret ?? '');
        if (!credentials)
          throw new AemError(AemErrorCode.TOKEN_EXCHANGE_FAILED, 'The stored service credentials are unreadable');
        const ims = new ImsTokenExchange(
          credentials,
          this.egress,
          this.clock,
          this.options.allowHttp && baseUrl.startsWith('http:') ? 'http' : 'https',
        );
        target = {
          id: source.id,
          baseUrl,
          authorization: async () => `Bearer ${await ims.bearer()}`,
          invalidate: () => ims.invalidate(),
        };
        break;
      }
      default:
        target = { id: source.id, baseUrl, authorization: () => Promise.resolve(undefined) };
    }
    this.targets.set(source.id, { version, target });
    return target;
  }

  private async save(source: AemSource): Promise<AemSource> {
    try {
      return await this.repo.save(source);
    } catch (err) {
      if ((err as { code?: string; driverError?: { code?: string } }).driverError?.code === '23505') {
        throw sourceNameTaken(source.name);
      }
      throw err;
    }
  }

  private async applyAuth(
    source: AemSource,
    kind: AemAuthKind,
    username: string | null | undefined,
    secret: string | null | undefined,
    secretRequired: boolean,
  ): Promise<void> {
    source.authKind = kind;
    source.username = kind === AemAuthKind.BASIC ? (username?.trim() ?? '') : null;
    if (kind === AemAuthKind.BASIC && !source.username)
      throw invalidSourceField('username', 'BASIC needs the AEM user');
    if (kind === AemAuthKind.NONE) {
      source.secret = null;
      return;
    }
    if (secret == null || secret === '') {
      if (secretRequired || !source.secret) throw invalidSourceField('secret', `${kind} needs its secret`);
      return;
    }
    if (secret.length > MAX_SECRET_CHARS) throw invalidSourceField('secret', 'The secret is too long');
    if (kind === AemAuthKind.SERVICE_CREDENTIALS && !parseServiceCredentials(secret)) {
      throw invalidSourceField(
        'secret',
        'SERVICE_CREDENTIALS needs the Developer Console JSON (integration, technicalAccount, privateKey…)',
      );
    }
    source.secret = await this.envelope.seal(secret, secretContext(source.id));
  }

  private checkName(name: string): string {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 120) throw invalidSourceField('name', 'name must have 1 to 120 characters');
    return trimmed;
  }

  private checkBaseUrl(value: string): string {
    let url: URL;
    try {
      url = new URL(value.trim());
    } catch {
      throw invalidSourceField('baseUrl', 'baseUrl must be an absolute URL');
    }
    const allowed = url.protocol === 'https:' || (this.options.allowHttp && url.protocol === 'http:');
    if (!allowed) throw invalidSourceField('baseUrl', 'baseUrl must be https:// (CONTENT_AEM_ALLOW_HTTP for http://)');
    if (url.username || url.password || url.search || url.hash) {
      throw invalidSourceField('baseUrl', 'baseUrl takes no credentials, query or fragment: credentials go in secret');
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }
}
