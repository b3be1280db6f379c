import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum CreativeKind {
  IMAGE = 'IMAGE',
  VIDEO = 'VIDEO',
  HTML = 'HTML',
  AEM = 'AEM',
  QUEUE_BOARD = 'QUEUE_BOARD',
}
registerEnumType(CreativeKind, {
  name: 'CreativeKind',
  valuesConfig: {
    HTML: { description: 'An HTML page, or a zip of a page and its files' },
    AEM: { description: 'A reference to AEM content, resolved by the content integration' },
    QUEUE_BOARD: {
      description: 'Built in: the store’s live "now serving" board, drawn by the player from the graph (no upload)',
    },
  },
});

/** Creatives the platform draws itself: created with createBuiltInCreative, never uploaded. */
export enum BuiltInCreativeKind {
  QUEUE_BOARD = 'QUEUE_BOARD',
}
registerEnumType(BuiltInCreativeKind, {
  name: 'BuiltInCreativeKind',
  valuesConfig: { QUEUE_BOARD: { description: 'The store’s "now serving" board (its queue lines, live)' } },
});

export enum CreativeStatus {
  PENDING_UPLOAD = 'PENDING_UPLOAD',
  READY = 'READY',
  FAILED = 'FAILED',
}
registerEnumType(CreativeStatus, {
  name: 'CreativeStatus',
  valuesConfig: {
    PENDING_UPLOAD: { description: 'Waiting for its bytes (or, for AEM references, for the content integration)' },
    READY: { description: 'Uploaded and verified; playable' },
    FAILED: { description: 'The upload did not match what was declared (see failureReason)' },
  },
});

export enum FitMode {
  CONTAIN = 'CONTAIN',
  COVER = 'COVER',
  FILL = 'FILL',
}
registerEnumType(FitMode, {
  name: 'FitMode',
  description: 'How the player fits a creative into a screen of another shape',
  valuesConfig: {
    CONTAIN: { description: 'Whole, letterboxed or pillarboxed (the default)' },
    COVER: { description: 'Fills the screen, cropping what sticks out' },
    FILL: { description: 'Stretched to the screen, distorting it' },
  },
});

/** A creative's shape, from its pixel dimensions. */
export enum CreativeOrientation {
  LANDSCAPE = 'LANDSCAPE',
  PORTRAIT = 'PORTRAIT',
  SQUARE = 'SQUARE',
}
registerEnumType(CreativeOrientation, {
  name: 'CreativeOrientation',
  description: 'Wider than high, higher than wide, or square (within 2 %)',
});

/** LANDSCAPE, PORTRAIT or SQUARE (sides within 2 % of each other); null when the size is unknown. */
export function orientationOf(width: number | null | undefined, height: number | null | undefined) {
  if (!width || !height) return null;
  if (Math.abs(width - height) <= Math.max(width, height) * 0.02) return CreativeOrientation.SQUARE;
  return width > height ? CreativeOrientation.LANDSCAPE : CreativeOrientation.PORTRAIT;
}

/** A version of a creative, as stored in `creative.variants` (keyed by locale, or `@LANDSCAPE` / `@PORTRAIT`). */
export interface VariantData {
  url: string;
  mimeType: string;
  checksum: string;
  durationMs?: number | null;
  width?: number | null;
  height?: number | null;
}

/** A variant upload that is not completed yet. */
export interface PendingVariant {
  key: string;
  mimeType: string;
  sizeBytes: number;
  durationMs: number | null;
  width?: number | null;
  height?: number | null;
}

@ObjectType({
  description:
    'A version of a creative for a locale or for a display orientation; the playlist picks the display’s language first, then its orientation',
})
export class CreativeVariant {
  @Field(() => String, { nullable: true, description: 'BCP 47, e.g. fr-CA or fr; null for an orientation version' })
  locale: string | null;

  @Field(() => CreativeOrientation, {
    nullable: true,
    description: 'Set for an orientation version: played on displays of that orientation',
  })
  orientation: CreativeOrientation | null;

  @Field(() => Int, { nullable: true, description: 'Pixels, as declared at upload' })
  width: number | null;

  @Field(() => Int, { nullable: true })
  height: number | null;

  @Field(() => String)
  url: string;

  @Field(() => String)
  mimeType: string;

  @Field(() => String, { description: 'sha256 of the bytes, hex' })
  checksum: string;

  @Field(() => Int, { description: 'The variant’s own duration, else the creative’s' })
  durationMs: number;
}

const bigintAsNumber = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

@ObjectType({
  description:
    'An asset campaigns play: an image, a video, an HTML package, an AEM content reference or a built-in screen',
})
@Directive('@key(fields: "id")')
@Entity({ name: 'creative' })
export class Creative {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Field(() => CreativeKind)
  @Column({ type: 'text' })
  kind: CreativeKind;

  @Field(() => String, { nullable: true, description: 'Null for AEM references until resolved' })
  @Column({ name: 'mime_type', type: 'text', nullable: true })
  mimeType: string | null;

  @Field(() => Float, { nullable: true, description: 'Declared size; null for AEM references' })
  @Column({ name: 'size_bytes', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  sizeBytes: number | null;

  @Field(() => Int, { description: 'How long it plays in a loop' })
  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  @Field(() => Int, { nullable: true, description: 'Pixels (images, videos: from the upload); null when unknown' })
  @Column({ type: 'integer', nullable: true })
  width: number | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'integer', nullable: true })
  height: number | null;

  @Field(() => FitMode, { description: 'How players fit it into a screen of another shape' })
  @Column({ name: 'fit_mode', type: 'text', default: FitMode.CONTAIN })
  fitMode: FitMode;

  @Field(() => [String], { description: 'Library tags, lower case, sorted' })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Field(() => String, { nullable: true, description: 'sha256 of the bytes, hex; null until uploaded' })
  @Column({ type: 'text', nullable: true })
  checksum: string | null;

  @Field(() => String, { nullable: true, description: 'Where players fetch it; null until it can be fetched' })
  @Column({ type: 'text', nullable: true })
  url: string | null;

  @Field(() => CreativeStatus)
  @Column({ type: 'text' })
  status: CreativeStatus;

  @Field(() => String, { nullable: true, description: 'Why the upload FAILED' })
  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  /** Locale → variant; exposed as a list by the resolver. */
  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  variants: Record<string, VariantData>;

  @Column({ name: 'pending_variants', type: 'jsonb', default: () => "'{}'::jsonb" })
  pendingVariants: Record<string, PendingVariant>;

  /** Object key in storage; null for AEM references. */
  @Column({ name: 'storage_key', type: 'text', nullable: true })
  storageKey: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'AEM content path; AEM content references are filled in by the content integration later',
  })
  @Column({ name: 'aem_path', type: 'text', nullable: true })
  aemPath: string | null;

  /** Which `content.aem-rendition.v1` version the row holds (AEM creatives); older ones are ignored. */
  @Column({ name: 'aem_version', type: 'integer', default: 0 })
  aemVersion: number;

  /** The AEM source it is copied from (AEM creatives made with one). */
  @Field(() => ID, { nullable: true, description: 'AEM creatives: the content source it is copied from' })
  @Column({ name: 'aem_source_id', type: 'uuid', nullable: true })
  aemSourceId: string | null;

  @Field(() => String, { description: 'User (or API client) id of the creator' })
  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@ObjectType()
export class HttpHeader {
  @Field(() => String)
  name: string;

  @Field(() => String)
  value: string;
}

@ObjectType({
  description: 'Where to send a creative’s bytes; then call completeCreativeUpload (or completeCreativeVariant)',
})
export class CreativeUpload {
  @Field(() => Creative)
  creative: Creative;

  @Field(() => String, { description: 'Presigned: no Authorization header' })
  uploadUrl: string;

  @Field(() => String)
  uploadMethod: string;

  @Field(() => [HttpHeader], { description: 'Send exactly these headers; they are part of the signature' })
  uploadHeaders: HttpHeader[];

  @Field(() => Date)
  expiresAt: Date;
}
