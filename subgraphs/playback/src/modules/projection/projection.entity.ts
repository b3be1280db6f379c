import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Playback's copy of location's displays (from `location.display.v1`); location owns the truth. */
@Entity({ name: 'known_display' })
export class KnownDisplay {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  /** Null when known from before names were kept (until location's next event of it). */
  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;
}
