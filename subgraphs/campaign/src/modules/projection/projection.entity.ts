import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Campaign's copy of location's stores (from `location.store.v1`); location owns the truth. */
@Entity({ name: 'known_store' })
@Index(['tenantId'])
export class KnownStore {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'region_id', type: 'uuid', nullable: true })
  regionId: string | null;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  timezone: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  /** Of the last applied event: an older event never overwrites a newer one. */
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;
}

/** Campaign's copy of location's displays (from `location.display.v1`). */
@Entity({ name: 'known_display' })
@Index(['tenantId', 'storeId'])
export class KnownDisplay {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Column({ type: 'text' })
  orientation: string;

  @Column({ name: 'zone_id', type: 'uuid', nullable: true })
  zoneId: string | null;

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;
}

/** Campaign's copy of each queue line's latest state (from `queue.line.v1`), for queue conditions. */
@Entity({ name: 'known_queue_line' })
@Index(['tenantId', 'storeId'])
export class KnownQueueLine {
  @PrimaryColumn({ name: 'line_id', type: 'uuid' })
  lineId: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Column({ type: 'boolean' })
  open: boolean;

  @Column({ type: 'int' })
  waiting: number;

  @Column({ name: 'estimated_wait_minutes', type: 'int', nullable: true })
  estimatedWaitMinutes: number | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;
}

/**
 * Campaign's copy of each presence moment (`presence.moment.v1`): pseudonymous, a zone and segment keys only.
 * The latest event of a moment wins; rows are purged a while after they expire.
 */
@Entity({ name: 'known_presence_moment' })
@Index(['tenantId', 'storeId', 'expiresAt'])
export class KnownPresenceMoment {
  @PrimaryColumn({ name: 'moment_id', type: 'uuid' })
  momentId: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Column({ type: 'text' })
  source: 'PROXIMITY' | 'CHECK_IN';

  @Column({ name: 'zone_id', type: 'uuid', nullable: true })
  zoneId: string | null;

  @Column({ name: 'segment_keys', type: 'text', array: true, default: () => "'{}'" })
  segmentKeys: string[];

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
