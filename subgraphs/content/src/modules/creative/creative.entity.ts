import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A campaign creative made from AEM content: what it references, and the version of it last copied. */
@Entity({ name: 'aem_creative' })
export class AemCreative {
  @PrimaryColumn({ name: 'creative_id', type: 'uuid' })
  creativeId: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'source_id', type: 'uuid' })
  sourceId: string;

  @Column({ name: 'aem_path', type: 'text' })
  aemPath: string;

  /** Null: an asset (its original rendition plays); else a content fragment rendered by this template. */
  @Column({ type: 'text', nullable: true })
  template: string | null;

  /** The content fragment's id in the delivery API, once found by its path. */
  @Column({ name: 'fragment_id', type: 'text', nullable: true })
  fragmentId: string | null;

  /** AEM's ETag of what was last copied: the sync job asks with If-None-Match. */
  @Column({ type: 'text', nullable: true })
  etag: string | null;

  @Column({ type: 'text', nullable: true })
  checksum: string | null;

  @Column({ type: 'integer', default: 0 })
  version: number;

  @Column({ type: 'text', nullable: true })
  failure: string | null;

  @Column({ name: 'checked_at', type: 'timestamptz', nullable: true })
  checkedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/**
 * A copy of AEM content as kept before copies moved to the object storage: nothing writes it any more, and the
 * sync job moves what is left (AemCreativeService.moveLegacyCopies); a later release drops the emptied table.
 */
@Entity({ name: 'content_file' })
export class ContentFile {
  @PrimaryColumn({ type: 'text' })
  checksum: string;

  @Column({ name: 'mime_type', type: 'text' })
  mimeType: string;

  @Column({ type: 'bytea' })
  bytes: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
