import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What auth knows about a display, projected from location's `location.display.v1`
 * events (auth never reads location's tables). Used to check pairing claims.
 */
@Entity({ name: 'display' })
export class KnownDisplay {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'store_id', type: 'uuid' })
  storeId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  /** occurredAt of the event applied last; older events arriving late are ignored. */
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;
}
