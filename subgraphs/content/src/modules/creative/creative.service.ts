import { createHash } from 'node:crypto';
import { aemCreativeRequestedEventV1, aemRenditionEventV1, type AemRenditionEventV1 } from '@phub/contracts';
import { enqueue, extensionFor, type Clock, type Logger, type Storage } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { AemError, AemErrorCode } from '../../aem/aem.errors.js';
import type { AemReaders } from '../../aem/aem.readers.js';
import type { AemTarget } from '../../aem/aem.client.js';
import type { SearchService } from '../search/search.service.js';
import type { SourceService } from '../source/source.service.js';
import { AemCreative, ContentFile } from './creative.entity.js';
import { renderFragment } from './creative.template.js';

type Requested = ReturnType<typeof aemCreativeRequestedEventV1.schema.parse>;
export type RefreshOutcome = 'copied' | 'unchanged' | 'failed';

/** Where a copy lives in the object storage: per tenant, content-addressed (`aem` is no creative's uuid). */
export const copyKey = (tenantId: string, checksum: string, mimeType: string): string =>
  `${tenantId}/aem/${checksum}.${extensionFor(mimeType)}`;

/**
 * Creatives from AEM: an asset's original rendition, or a content fragment rendered by its template, copied into
 * the platform's object storage (content-addressed) and announced to campaign as `content.aem-rendition.v1` with a
 * new version whenever the content changed. AEM failing never takes a played version away: the last copy stays.
 */
export class AemCreativeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sources: SourceService,
    private readonly readers: AemReaders,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly storage: Storage,
    private readonly nudgeOutbox: () => void,
    private readonly search: SearchService,
  ) {}

  /** Campaign asked for a creative: remember it and copy its content now (the sync job retries what fails). */
  async requested(event: Requested): Promise<RefreshOutcome> {
    const repo = this.dataSource.getRepository(AemCreative);
    const existing = await repo.findOneBy({ creativeId: event.creativeId });
    if (existing) return this.refresh(existing);
    const binding = await repo.save(
      repo.create({
        creativeId: event.creativeId,
        tenantId: event.tenantId,
        sourceId: event.sourceId,
        aemPath: event.aemPath,
        template: event.template,
        fragmentId: null,
        etag: null,
        checksum: null,
        version: 0,
        failure: null,
        checkedAt: null,
      }),
    );
    // Searchable by its path at once, by its content's words once copied.
    await this.search.creative(event.tenantId, event.creativeId, event.sourceId, event.aemPath);
    return this.refresh(binding);
  }

  /** The ones checked longest ago (never checked first), for the sync job. */
  due(limit: number): Promise<AemCreative[]> {
    return this.dataSource
      .getRepository(AemCreative)
      .createQueryBuilder('c')
      .orderBy('c.checkedAt', 'ASC', 'NULLS FIRST')
      .limit(limit)
      .getMany();
  }

  /** A copy kept in Postgres before copies moved to the object storage, until `moveLegacyCopies` has moved it. */
  async legacyFile(checksum: string): Promise<ContentFile | null> {
    if (!/^[0-9a-f]{64}$/.test(checksum)) return null;
    return this.dataSource.getRepository(ContentFile).findOneBy({ checksum });
  }

  /**
   * Moves copies kept in Postgres (`content_file.bytes`) into the object storage: each tenant whose creatives
   * play it gets its object, and those creatives a new version at the object's URL (campaign switches playlists
   * to it); the row goes in the same transaction as the announcements, so a crash between leaves the row for the
   * next run and a second runner finds nothing to announce. Returns how many rows were moved.
   */
  async moveLegacyCopies(limit: number): Promise<number> {
    const files = this.dataSource.getRepository(ContentFile);
    const legacy = await files.find({ select: { checksum: true }, order: { checksum: 'ASC' }, take: limit });
    let moved = 0;
    for (const { checksum } of legacy) {
      const file = await files.findOneBy({ checksum });
      if (!file) continue;
      const playing = await this.dataSource.getRepository(AemCreative).findBy({ checksum });
      for (const tenantId of new Set(playing.map((b) => b.tenantId))) {
        await this.storage.putIfAbsent(copyKey(tenantId, checksum, file.mimeType), file.bytes, file.mimeType);
      }
      const done = await this.dataSource.transaction(async (m) => {
        const deleted = await m
          .createQueryBuilder()
          .delete()
          .from(ContentFile)
          .where('checksum = :checksum', { checksum })
          .execute();
        if (!deleted.affected) return false;
        for (const binding of await m.findBy(AemCreative, { checksum })) {
          const version = binding.version + 1;
          // Only from the version read: a refresh that announced a newer copy meanwhile has moved it on already.
          const bumped = await m.update(
            AemCreative,
            { creativeId: binding.creativeId, version: binding.version, checksum },
            { version },
          );
          if (!bumped.affected) continue;
          await this.announce(m, binding, {
            version,
            url: this.storage.publicUrl(copyKey(binding.tenantId, checksum, file.mimeType)),
            mimeType: file.mimeType,
            checksum,
            sizeBytes: file.bytes.length,
            failure: null,
          });
        }
        return true;
      });
      if (done) moved += 1;
    }
    if (moved) {
      this.nudgeOutbox();
      this.logger.info({ moved }, 'AEM copies moved from Postgres to the object storage');
    }
    return moved;
  }

  /** Reads the content (conditionally, by ETag); a change becomes a new version. */
  async refresh(binding: AemCreative): Promise<RefreshOutcome> {
    const repo = this.dataSource.getRepository(AemCreative);
    const now = new Date(this.clock.now());
    try {
      const source = await this.sources.find(binding.tenantId, binding.sourceId);
      if (!source) throw new AemError(AemErrorCode.NOT_FOUND, `AEM source ${binding.sourceId} no longer exists`);
      const target = await this.sources.target(source);
      const read = binding.template ? await this.readFragment(target, binding) : await this.readAsset(target, binding);
      if (!read) {
        await repo.update({ creativeId: binding.creativeId }, { checkedAt: now, failure: null });
        return 'unchanged';
      }
      const checksum = createHash('sha256').update(read.bytes).digest('hex');
      if (checksum === binding.checksum) {
        await repo.update({ creativeId: binding.creativeId }, { checkedAt: now, etag: read.etag, failure: null });
        return 'unchanged';
      }
      const version = binding.version + 1;
      // Stored before it is announced: a player never gets a URL whose object is not there yet.
      const key = copyKey(binding.tenantId, checksum, read.mimeType);
      await this.storage.putIfAbsent(key, read.bytes, read.mimeType);
      await this.dataSource.transaction(async (m) => {
        await m.update(
          AemCreative,
          { creativeId: binding.creativeId },
          { checksum, etag: read.etag, version, failure: null, checkedAt: now, fragmentId: binding.fragmentId },
        );
        await this.announce(m, binding, {
          version,
          url: this.storage.publicUrl(key),
          mimeType: read.mimeType,
          checksum,
          sizeBytes: read.bytes.length,
          failure: null,
        });
      });
      this.nudgeOutbox();
      await this.search.creative(binding.tenantId, binding.creativeId, binding.sourceId, binding.aemPath, read.content);
      return 'copied';
    } catch (err) {
      if (!(err instanceof AemError)) throw err;
      await repo.update(
        { creativeId: binding.creativeId },
        { checkedAt: now, failure: `${err.reason}: ${err.message}` },
      );
      // A path that is not there (or a source removed) will not heal by itself: campaign marks a never-copied
      // creative FAILED. Anything else is retried by the sync job; a copied version keeps playing meanwhile.
      if (err.reason === AemErrorCode.NOT_FOUND && binding.version === 0) {
        await this.dataSource.transaction((m) =>
          this.announce(m, binding, {
            version: 1,
            url: null,
            mimeType: null,
            checksum: null,
            sizeBytes: null,
            failure: err.message,
          }),
        );
        await repo.update({ creativeId: binding.creativeId }, { version: 1 });
        this.nudgeOutbox();
      }
      this.logger.warn({ creativeId: binding.creativeId, reason: err.reason }, 'AEM creative not refreshed');
      return 'failed';
    }
  }

  private async announce(
    m: import('typeorm').EntityManager,
    binding: AemCreative,
    rendition: Omit<AemRenditionEventV1, 'tenantId' | 'creativeId' | 'occurredAt'>,
  ): Promise<void> {
    const payload: AemRenditionEventV1 = {
      tenantId: binding.tenantId,
      creativeId: binding.creativeId,
      occurredAt: new Date(this.clock.now()).toISOString(),
      ...rendition,
    };
    await enqueue(m, {
      topic: aemRenditionEventV1.topic,
      key: binding.creativeId,
      payload: aemRenditionEventV1.schema.parse(payload),
    });
  }

  private async readAsset(target: AemTarget, binding: AemCreative) {
    const r = await this.readers.rendition(target, binding.aemPath, 'original', binding.etag ?? undefined);
    if (r.notModified) return null;
    const mimeType = r.mimeType ?? 'application/octet-stream';
    return { bytes: r.bytes, mimeType, etag: r.etag, content: { title: null, mimeType } };
  }

  private async readFragment(target: AemTarget, binding: AemCreative) {
    if (!binding.fragmentId) binding.fragmentId = await this.findFragmentId(target, binding.aemPath);
    const { fragment, etag } = await this.readers.fragment(target, binding.fragmentId, binding.etag ?? undefined);
    if (!fragment) return null;
    return {
      bytes: Buffer.from(renderFragment(fragment.fields)),
      mimeType: 'text/html',
      etag,
      content: { title: fragment.title, fields: fragment.fields },
    };
  }

  /** The delivery API addresses fragments by id: find it among its folder's fragments (a page at a time). */
  private async findFragmentId(target: AemTarget, path: string): Promise<string> {
    const folder = path.split('/').slice(0, -1).join('/');
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const res = await this.readers.fragments(target, { path: folder, cursor, limit: 50 });
      const hit = res.items.find((f) => f.path === path);
      if (hit) return hit.id;
      if (!res.cursor) break;
      cursor = res.cursor;
    }
    throw new AemError(AemErrorCode.NOT_FOUND, `AEM has no content fragment at ${path}`);
  }
}
