import { randomBytes, randomUUID } from 'node:crypto';
import {
  aemCreativeRequestedEventV1,
  type AemCreativeRequestedEventV1,
  type AemRenditionEventV1,
} from '@phub/contracts';
import {
  DomainError,
  enqueue,
  ErrorCode,
  paginate,
  type Connection,
  type Viewer,
  extensionFor,
  type Storage,
  type UploadTarget,
} from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { Creative as EngineCreative, CreativeVariant as EngineVariant } from '../../engine/index.js';
import { BUILT_IN } from './creative.builtin.js';
import {
  Creative,
  CreativeKind,
  CreativeOrientation,
  CreativeStatus,
  FitMode,
  type PendingVariant,
} from './creative.entity.js';
import {
  creativeArchived,
  creativeFailed,
  creativeNotArchived,
  invalidCreativeField,
  noUploadForAem,
  noUploadForBuiltIn,
  notUploadedYet,
  uploadMismatch,
  variantNotFound,
} from './creative.errors.js';
import {
  MAX_DURATION_MS,
  MAX_PIXELS,
  MAX_TAGS,
  MIN_DURATION_MS,
  type AddCreativeVariantInput,
  type CreateAemCreativeInput,
  type CreateBuiltInCreativeInput,
  type CreateCreativeUploadInput,
  CreativeSort,
  type CreativesArgs,
  type UpdateCreativeInput,
} from './creative.input.js';
import { CreativeScope } from './creative.scope.js';
import { usedSql } from './creative.usage.js';
import { emitCreative } from '../../events.js';

/** The orientation of `c.width`/`c.height` in SQL, as `orientationOf` computes it. */
const ORIENTATION_SQL = `(CASE WHEN c.width IS NULL OR c.height IS NULL THEN NULL
  WHEN abs(c.width - c.height) <= greatest(c.width, c.height) * 0.02 THEN 'SQUARE'
  WHEN c.width > c.height THEN 'LANDSCAPE' ELSE 'PORTRAIT' END)`;

type UploadedKind = Exclude<CreativeKind, CreativeKind.AEM | CreativeKind.QUEUE_BOARD>;
const isBuiltIn = (kind: CreativeKind): kind is CreativeKind.QUEUE_BOARD => kind === CreativeKind.QUEUE_BOARD;

/** Content types each uploaded kind accepts. */
export const ALLOWED_MIME_TYPES: Record<UploadedKind, readonly string[]> = {
  [CreativeKind.IMAGE]: ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/svg+xml'],
  [CreativeKind.VIDEO]: ['video/mp4', 'video/webm'],
  [CreativeKind.HTML]: ['text/html', 'application/zip'],
};

const MB = 1024 * 1024;
export const DEFAULT_MAX_BYTES: Record<CreativeKind, number> = {
  [CreativeKind.IMAGE]: 20 * MB,
  [CreativeKind.VIDEO]: 500 * MB,
  [CreativeKind.HTML]: 5 * MB,
  [CreativeKind.AEM]: 0,
  [CreativeKind.QUEUE_BOARD]: 0,
};

export interface CreativeServiceOptions {
  maxBytes: Record<CreativeKind, number>;
  /** Duration of images and HTML when none is given. */
  defaultImageDurationMs: number;
}

export interface CreativeUploadResult {
  creative: Creative;
  upload: UploadTarget;
}

/** Creatives: uploads (presigned, verified on completion), AEM references, locale variants. */
export class CreativeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: Storage,
    private readonly options: CreativeServiceOptions,
    /** Wakes the outbox relay after an AEM creative's request was written. */
    private readonly nudgeOutbox: () => void = () => undefined,
    /** A change of what players play (the fit mode) for a tenant's creatives: playlists are resolved again. */
    private readonly playablesChanged: (tenantId: string) => Promise<void> = async () => undefined,
  ) {}

  /** The database, for per-request read loaders (where used). */
  get dataSourceForReads(): DataSource {
    return this.dataSource;
  }

  scope(viewer: Viewer | null): CreativeScope {
    return new CreativeScope(this.dataSource, viewer);
  }

  /** Saves a creative and announces its library state (campaign.creative.v1) in the same transaction. */
  private saveAnnounced(creative: Creative): Promise<Creative> {
    return this.dataSource.transaction(async (m) => {
      const saved = await m.getRepository(Creative).save(creative);
      await emitCreative(m, saved);
      return saved;
    });
  }

  async list(viewer: Viewer | null, args: CreativesArgs): Promise<Connection<Creative>> {
    const qb = await this.scope(viewer).query('c');
    const filter = args.filter ?? {};
    if (filter.archivedOnly) qb.andWhere('c.archivedAt IS NOT NULL');
    else if (!filter.includeArchived) qb.andWhere('c.archivedAt IS NULL');
    if (filter.kind) qb.andWhere('c.kind = :kind', { kind: filter.kind });
    if (filter.status) qb.andWhere('c.status = :status', { status: filter.status });
    if (filter.search?.trim()) {
      const term = filter.search.trim();
      const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('(c.name ILIKE :pattern OR :searchTag = ANY(c.tags))', { pattern, searchTag: term.toLowerCase() });
    }
    if (filter.tag?.trim()) qb.andWhere(':tag = ANY(c.tags)', { tag: filter.tag.trim().toLowerCase() });
    if (filter.orientation) qb.andWhere(`${ORIENTATION_SQL} = :orientation`, { orientation: filter.orientation });
    if (filter.used != null) qb.andWhere(filter.used ? usedSql(this.dataSource) : `NOT ${usedSql(this.dataSource)}`);
    return args.sort === CreativeSort.NEWEST
      ? paginate(qb, { first: args.first, after: args.after, sortColumn: 'createdAt', direction: 'DESC' })
      : paginate(qb, { first: args.first, after: args.after, sortColumn: 'name' });
  }

  /** The caller's creative, or NOT_FOUND. */
  get(viewer: Viewer | null, id: string): Promise<Creative> {
    return this.scope(viewer).find(id);
  }

  /** The caller's creative, or null when it names none of theirs. */
  async find(viewer: Viewer | null, id: string): Promise<Creative | null> {
    const scope = this.scope(viewer);
    scope.assertCanRead();
    return scope.find(id).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === ErrorCode.NOT_FOUND) return null;
      throw err;
    });
  }

  /**
   * Creatives by id for trusted internal callers (playlist resolution, reference loaders) that have
   * established the tenant themselves; ids of other tenants are simply absent.
   */
  async loadForTenant(tenantId: string, ids: readonly string[]): Promise<Creative[]> {
    const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (valid.length === 0) return [];
    return this.dataSource
      .getRepository(Creative)
      .createQueryBuilder('c')
      .where('c.tenantId = :tenantId AND c.id IN (:...ids)', { tenantId, ids: valid })
      .getMany();
  }

  async createUpload(viewer: Viewer | null, input: CreateCreativeUploadInput): Promise<CreativeUploadResult> {
    const scope = this.scope(viewer);
    scope.assertCanWrite();
    const name = checkName(input.name);
    if (input.kind === CreativeKind.AEM) throw noUploadForAem();
    if (isBuiltIn(input.kind)) throw noUploadForBuiltIn();
    this.checkFile(input.kind, input.mimeType, input.sizeBytes);
    const durationMs = this.durationFor(input.kind, input.durationMs);
    const size = checkSize(input.width, input.height);
    const id = randomUUID();
    const key = objectKey(scope.tenantId, id, 'original', input.mimeType);
    const upload = await this.storage.presignUpload({ key, mimeType: input.mimeType, sizeBytes: input.sizeBytes });
    const repo = this.dataSource.getRepository(Creative);
    const creative = await this.saveAnnounced(
      repo.create({
        id,
        tenantId: scope.tenantId,
        name,
        kind: input.kind,
        mimeType: input.mimeType,
        sizeBytes: input.sizeBytes,
        durationMs,
        ...size,
        fitMode: input.fitMode ?? FitMode.CONTAIN,
        tags: [],
        checksum: null,
        url: null,
        status: CreativeStatus.PENDING_UPLOAD,
        failureReason: null,
        variants: {},
        pendingVariants: {},
        storageKey: key,
        aemPath: null,
        createdBy: scope.who.subject,
        archivedAt: null,
      }),
    );
    return { creative, upload };
  }

  /** Checks the stored object against the declaration: READY with its checksum, or FAILED. */
  async completeUpload(viewer: Viewer | null, id: string): Promise<Creative> {
    const scope = this.scope(viewer);
    const creative = await scope.find(id);
    scope.assertCanManage(creative);
    if (creative.archivedAt) throw creativeArchived(id);
    if (isBuiltIn(creative.kind)) throw noUploadForBuiltIn();
    if (creative.kind === CreativeKind.AEM || !creative.storageKey) throw noUploadForAem();
    if (creative.status === CreativeStatus.READY) return creative;
    if (creative.status === CreativeStatus.FAILED) throw creativeFailed(id);
    const stored = await this.storage.inspect(creative.storageKey);
    if (!stored) throw notUploadedYet(id);
    const problems = mismatches(stored, { mimeType: creative.mimeType ?? '', sizeBytes: creative.sizeBytes ?? 0 });
    if (problems.length > 0) {
      creative.status = CreativeStatus.FAILED;
      creative.failureReason = problems.map((p) => p.message).join('; ');
      await this.saveAnnounced(creative);
      await this.storage.remove(creative.storageKey).catch(() => undefined);
      throw uploadMismatch(problems);
    }
    creative.checksum = stored.checksum;
    creative.url = this.storage.publicUrl(creative.storageKey);
    creative.status = CreativeStatus.READY;
    creative.failureReason = null;
    return this.saveAnnounced(creative);
  }

  /**
   * A reference to AEM content. With a source, `campaign.aem-creative.v1` asks the content subgraph to copy it
   * (an asset's rendition, or a fragment rendered by `template`); its `content.aem-rendition.v1` makes it READY.
   */
  async createAem(viewer: Viewer | null, input: CreateAemCreativeInput): Promise<Creative> {
    const scope = this.scope(viewer);
    scope.assertCanWrite();
    const name = checkName(input.name);
    checkDuration(input.durationMs);
    if (!/^\/content(\/[\w.:-]+)+$/.test(input.aemPath) || input.aemPath.includes('..')) {
      throw invalidCreativeField('aemPath', 'aemPath must be an AEM path under /content');
    }
    if (input.sourceId != null && !/^[0-9a-f-]{36}$/i.test(input.sourceId)) {
      throw invalidCreativeField('sourceId', 'sourceId must be the id of a content source');
    }
    const creative = await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(Creative);
      const saved = await repo.save(
        repo.create({
          tenantId: scope.tenantId,
          name,
          kind: CreativeKind.AEM,
          mimeType: null,
          sizeBytes: null,
          durationMs: input.durationMs,
          checksum: null,
          url: null,
          status: CreativeStatus.PENDING_UPLOAD,
          failureReason: null,
          variants: {},
          pendingVariants: {},
          storageKey: null,
          aemPath: input.aemPath,
          aemSourceId: input.sourceId ?? null,
          aemVersion: 0,
          createdBy: scope.who.subject,
          archivedAt: null,
        }),
      );
      await emitCreative(m, saved);
      if (input.sourceId) {
        const payload: AemCreativeRequestedEventV1 = {
          tenantId: saved.tenantId,
          creativeId: saved.id,
          sourceId: input.sourceId,
          aemPath: input.aemPath,
          template: input.template ?? null,
          occurredAt: new Date().toISOString(),
        };
        await enqueue(m, { topic: aemCreativeRequestedEventV1.topic, key: saved.id, payload });
      }
      return saved;
    });
    if (input.sourceId) this.nudgeOutbox();
    return creative;
  }

  /**
   * The content subgraph's copy of an AEM creative (a newer version than the row holds): READY with its URL and
   * checksum, or FAILED with the reason. True when the row changed (then playlists must be resolved again).
   */
  async applyAemRendition(event: AemRenditionEventV1): Promise<boolean> {
    const changes = event.failure
      ? { status: CreativeStatus.FAILED, failureReason: event.failure, aemVersion: event.version }
      : {
          status: CreativeStatus.READY,
          failureReason: null,
          url: event.url,
          checksum: event.checksum,
          mimeType: event.mimeType,
          sizeBytes: event.sizeBytes,
          aemVersion: event.version,
        };
    const result = await this.dataSource
      .createQueryBuilder()
      .update(Creative)
      .set(changes)
      .where('id = :id AND tenant_id = :tenantId AND kind = :kind AND aem_version < :version', {
        id: event.creativeId,
        tenantId: event.tenantId,
        kind: CreativeKind.AEM,
        version: event.version,
      })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * A creative the platform draws itself (the store's "now serving" board): READY at once, with the built-in's
   * URL, type and checksum, so campaigns, playlist resolution and playlistChanged carry it like any other.
   */
  async createBuiltIn(viewer: Viewer | null, input: CreateBuiltInCreativeInput): Promise<Creative> {
    const scope = this.scope(viewer);
    scope.assertCanWrite();
    const name = checkName(input.name);
    const builtIn = BUILT_IN[input.kind];
    if (!builtIn) throw invalidCreativeField('kind', `kind must be one of ${Object.keys(BUILT_IN).join(', ')}`);
    const durationMs = input.durationMs ?? this.options.defaultImageDurationMs;
    checkDuration(durationMs);
    const repo = this.dataSource.getRepository(Creative);
    return this.saveAnnounced(
      repo.create({
        tenantId: scope.tenantId,
        name,
        kind: input.kind as unknown as CreativeKind,
        mimeType: builtIn.mimeType,
        sizeBytes: null,
        durationMs,
        checksum: builtIn.checksum,
        url: builtIn.url,
        status: CreativeStatus.READY,
        failureReason: null,
        variants: {},
        pendingVariants: {},
        storageKey: null,
        aemPath: null,
        createdBy: scope.who.subject,
        archivedAt: null,
      }),
    );
  }

  /** Starts the upload of a locale variant; completeVariant verifies it and adds it to `variants`. */
  async addVariant(viewer: Viewer | null, input: AddCreativeVariantInput): Promise<CreativeUploadResult> {
    const scope = this.scope(viewer);
    const creative = await scope.find(input.creativeId);
    scope.assertCanManage(creative);
    if (creative.archivedAt) throw creativeArchived(creative.id);
    if (creative.kind === CreativeKind.AEM || isBuiltIn(creative.kind)) {
      throw invalidCreativeField('creativeId', `${creative.kind} creatives have no uploaded variants`);
    }
    const locale = variantKey(input.locale, input.orientation);
    this.checkFile(creative.kind, input.mimeType, input.sizeBytes);
    if (input.durationMs != null) checkDuration(input.durationMs);
    const size = checkSize(input.width, input.height);
    const key = objectKey(scope.tenantId, creative.id, locale.replace('@', 'o-'), input.mimeType);
    const upload = await this.storage.presignUpload({ key, mimeType: input.mimeType, sizeBytes: input.sizeBytes });
    const pending: PendingVariant = {
      key,
      mimeType: input.mimeType,
      sizeBytes: input.sizeBytes,
      durationMs: input.durationMs ?? null,
      ...size,
    };
    await this.dataSource.query(
      `UPDATE ${this.table} SET pending_variants = pending_variants || $1::jsonb, updated_at = now()
       WHERE id = $2 AND tenant_id = $3`,
      [JSON.stringify({ [locale]: pending }), creative.id, scope.tenantId],
    );
    return { creative: await scope.find(creative.id), upload };
  }

  async completeVariant(
    viewer: Viewer | null,
    creativeId: string,
    localeInput: string | null | undefined,
    orientation?: CreativeOrientation | null,
  ): Promise<Creative> {
    const scope = this.scope(viewer);
    const creative = await scope.find(creativeId);
    scope.assertCanManage(creative);
    const locale = variantKey(localeInput, orientation);
    const pending = creative.pendingVariants[locale];
    if (!pending) {
      if (creative.variants[locale]) return creative;
      throw variantNotFound(creative.id, locale);
    }
    const stored = await this.storage.inspect(pending.key);
    if (!stored) throw notUploadedYet(`${creative.id} (${locale})`);
    const problems = mismatches(stored, pending);
    const { [locale]: _done, ...stillPending } = creative.pendingVariants;
    creative.pendingVariants = stillPending;
    if (problems.length > 0) {
      await this.dataSource.getRepository(Creative).save(creative);
      await this.storage.remove(pending.key).catch(() => undefined);
      throw uploadMismatch(problems);
    }
    creative.variants = {
      ...creative.variants,
      [locale]: {
        url: this.storage.publicUrl(pending.key),
        mimeType: stored.mimeType,
        checksum: stored.checksum,
        ...(pending.durationMs != null ? { durationMs: pending.durationMs } : {}),
        ...(pending.width && pending.height ? { width: pending.width, height: pending.height } : {}),
      },
    };
    return this.dataSource.getRepository(Creative).save(creative);
  }

  async removeVariant(
    viewer: Viewer | null,
    creativeId: string,
    localeInput: string | null | undefined,
    orientation?: CreativeOrientation | null,
  ): Promise<Creative> {
    const scope = this.scope(viewer);
    const creative = await scope.find(creativeId);
    scope.assertCanManage(creative);
    const locale = variantKey(localeInput, orientation);
    if (!creative.variants[locale] && !creative.pendingVariants[locale]) throw variantNotFound(creative.id, locale);
    const { [locale]: _variant, ...variants } = creative.variants;
    const { [locale]: _pending, ...pendingVariants } = creative.pendingVariants;
    creative.variants = variants;
    creative.pendingVariants = pendingVariants;
    // The object stays: playlists already sent to players may still name its URL.
    return this.dataSource.getRepository(Creative).save(creative);
  }

  /** Takes the creative out of lists and new campaigns; its asset stays for playlists already sent. */
  async archive(viewer: Viewer | null, id: string): Promise<Creative> {
    const scope = this.scope(viewer);
    const creative = await scope.find(id);
    scope.assertCanManage(creative);
    if (creative.archivedAt) return creative;
    creative.archivedAt = new Date();
    return this.saveAnnounced(creative);
  }

  /** Back into lists and pickers (and campaigns). */
  async restore(viewer: Viewer | null, id: string): Promise<Creative> {
    const scope = this.scope(viewer);
    const creative = await scope.find(id);
    scope.assertCanManage(creative);
    if (!creative.archivedAt) throw creativeNotArchived(id);
    creative.archivedAt = null;
    return this.saveAnnounced(creative);
  }

  /**
   * Library changes: name, tags, fit mode, and the pixel size of a creative uploaded without one. A fit mode
   * change reaches the screens playing it at once (playlistChanged).
   */
  async update(viewer: Viewer | null, input: UpdateCreativeInput): Promise<Creative> {
    const scope = this.scope(viewer);
    const creative = await scope.find(input.id);
    scope.assertCanManage(creative);
    if (creative.archivedAt) throw creativeArchived(creative.id);
    if (input.name != null) creative.name = checkName(input.name);
    if (input.tags != null) creative.tags = normaliseTags(input.tags);
    const fitChanged = input.fitMode != null && input.fitMode !== creative.fitMode;
    if (input.fitMode != null) {
      if (!Object.values(FitMode).includes(input.fitMode)) throw invalidCreativeField('fitMode', 'unknown fit mode');
      creative.fitMode = input.fitMode;
    }
    if (input.width != null || input.height != null) Object.assign(creative, checkSize(input.width, input.height));
    const saved = await this.saveAnnounced(creative);
    // Players fit by the playlist item: the tenant's displays are resolved again (only changed versions are sent).
    if (fitChanged) await this.playablesChanged(scope.tenantId);
    return saved;
  }

  private get table(): string {
    return this.dataSource
      .getRepository(Creative)
      .metadata.tablePath.split('.')
      .map((part) => `"${part}"`)
      .join('.');
  }

  private checkFile(kind: CreativeKind, mimeType: string, sizeBytes: number): void {
    const allowed = ALLOWED_MIME_TYPES[kind as UploadedKind] ?? [];
    if (!allowed.includes(mimeType)) {
      throw invalidCreativeField('mimeType', `${kind} creatives must be one of ${allowed.join(', ')}`, {
        reason: 'UNSUPPORTED_TYPE',
      });
    }
    if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 1) {
      throw invalidCreativeField('sizeBytes', 'sizeBytes must be a whole number of at least 1');
    }
    const max = this.options.maxBytes[kind];
    if (sizeBytes > max) {
      throw invalidCreativeField('sizeBytes', `${kind} creatives may be at most ${max} bytes (${formatBytes(max)})`, {
        reason: 'TOO_LARGE',
        maxBytes: max,
      });
    }
  }

  private durationFor(kind: CreativeKind, durationMs: number | null | undefined): number {
    if (durationMs == null) {
      if (kind === CreativeKind.VIDEO) throw invalidCreativeField('durationMs', 'durationMs is required for VIDEO');
      return this.options.defaultImageDurationMs;
    }
    checkDuration(durationMs);
    return durationMs;
  }
}

/** The engine's view of a creative; creatives that are not READY map with empty url/checksum. */
export function toEngineCreative(c: Creative): EngineCreative {
  const variants = Object.entries(c.variants ?? {});
  return {
    id: c.id,
    kind: c.kind,
    url: c.url ?? '',
    mimeType: c.mimeType ?? '',
    durationMs: c.durationMs,
    checksum: c.checksum ?? '',
    fit: c.fitMode ?? FitMode.CONTAIN,
    variants:
      variants.length === 0
        ? null
        : Object.fromEntries(
            variants.map(([locale, v]): [string, EngineVariant] => [
              locale,
              { url: v.url, mimeType: v.mimeType, checksum: v.checksum, durationMs: v.durationMs ?? null },
            ]),
          ),
  };
}

/** True when players can play it: READY, not archived, with a URL. */
export const isPlayable = (c: Creative): boolean =>
  c.status === CreativeStatus.READY && !c.archivedAt && Boolean(c.url) && Boolean(c.checksum);

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 200) {
    throw invalidCreativeField('name', 'name must be 1 to 200 characters');
  }
  return trimmed;
}

function checkDuration(durationMs: number): void {
  if (!Number.isInteger(durationMs) || durationMs < MIN_DURATION_MS || durationMs > MAX_DURATION_MS) {
    throw invalidCreativeField('durationMs', `durationMs must be between ${MIN_DURATION_MS} and ${MAX_DURATION_MS}`);
  }
}

/** Width and height together (or neither), each 1…MAX_PIXELS. */
function checkSize(width: number | null | undefined, height: number | null | undefined) {
  if (width == null && height == null) return { width: null, height: null };
  for (const [field, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (value == null) throw invalidCreativeField(field, 'width and height go together');
    if (!Number.isInteger(value) || value < 1 || value > MAX_PIXELS) {
      throw invalidCreativeField(field, `${field} must be a whole number of pixels between 1 and ${MAX_PIXELS}`);
    }
  }
  return { width: width!, height: height! };
}

const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _.&-]{0,49}$/u;

/** Trimmed, lower case, unique and sorted; each 1–50 letters, digits, spaces or `_ . & -`. */
export function normaliseTags(tags: readonly string[]): string[] {
  if (tags.length > MAX_TAGS) throw invalidCreativeField('tags', `at most ${MAX_TAGS} tags`);
  const out = new Set<string>();
  tags.forEach((raw, i) => {
    const tag = raw.trim().replace(/\s+/g, ' ').toLowerCase();
    if (!TAG.test(tag)) {
      throw invalidCreativeField(`tags[${i}]`, 'a tag is 1 to 50 letters, digits, spaces or _ . & -');
    }
    out.add(tag);
  });
  return [...out].sort();
}

/** The `variants` key: a canonical locale, or `@LANDSCAPE` / `@PORTRAIT`; exactly one of them. */
export function variantKey(locale: string | null | undefined, orientation: CreativeOrientation | null | undefined) {
  if ((locale == null || locale === '') === (orientation == null)) {
    throw invalidCreativeField('locale', 'give either a locale or an orientation', { reason: 'ONE_VARIANT_KEY' });
  }
  if (orientation != null) {
    if (orientation === CreativeOrientation.SQUARE) {
      throw invalidCreativeField('orientation', 'displays are LANDSCAPE or PORTRAIT');
    }
    return `@${orientation}`;
  }
  return canonicalLocale(locale!);
}

/** 'EN_gb' → 'en-GB'; BAD_USER_INPUT for anything that is not a BCP 47 tag. */
export function canonicalLocale(locale: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale.trim().replace(/_/g, '-'));
    if (canonical && /^[A-Za-z0-9-]{2,35}$/.test(canonical)) return canonical;
  } catch {
    // RangeError: not a language tag
  }
  throw invalidCreativeField('locale', 'locale must be a BCP 47 language tag such as fr or fr-CA');
}

function mismatches(
  stored: { sizeBytes: number; mimeType: string },
  declared: { sizeBytes: number; mimeType: string },
): { field: string; message: string }[] {
  const problems = [];
  if (stored.sizeBytes !== declared.sizeBytes) {
    problems.push({
      field: 'sizeBytes',
      message: `the upload is ${stored.sizeBytes} bytes, ${declared.sizeBytes} were declared`,
    });
  }
  if (stored.mimeType !== declared.mimeType) {
    problems.push({
      field: 'mimeType',
      message: `the upload is ${stored.mimeType}, ${declared.mimeType} was declared`,
    });
  }
  return problems;
}

/** Random per upload, so an asset URL always names the same bytes and can be cached forever. */
const objectKey = (tenantId: string, creativeId: string, name: string, mimeType: string) =>
  `${tenantId}/${creativeId}/${name}-${randomBytes(6).toString('hex')}.${extensionFor(mimeType)}`;

const formatBytes = (n: number) => (n >= MB ? `${Math.round((n / MB) * 10) / 10} MB` : `${n} bytes`);
